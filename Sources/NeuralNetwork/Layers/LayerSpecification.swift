// LayerSpecification.swift — the one description of a layer: what a model file's architecture stores, what
// is checked when it is read, and how the layer is built from it.
//
// Every layer type has a `Specification` beside it (`Dense.Specification` in Dense.swift, …): a Codable
// struct whose coding keys are the model file's JSON keys. It checks its own values against what the layer
// receives, names the tensors a model file stores for it, and builds the layer, fresh or from those tensors.
// `LayerSpecification` holds any one of them and reads and writes it with its "type". A new layer type adds
// its Specification beside the layer and one entry to `LayerSpecification.kinds`: nothing outside this
// target changes.

/// Why a layer's description cannot be used; the message says which value is wrong and what is allowed.
public struct LayerSpecificationError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The description of one kind of layer, as stored in model files (JSON keys are the coding keys).
public protocol LayerDescription: Codable, Sendable, Equatable {
    /// The value of "type" in model files, e.g. "dense".
    static var type: String { get }
    /// Checks every value, and that the layer fits `inputFeatures` values per example; returns the values per
    /// example it outputs.
    func outputFeatures(receiving inputFeatures: Int) throws(LayerSpecificationError) -> Int
    /// The tensors a model file stores for the layer, parameters then buffers: names (PyTorch's) and shapes.
    var tensorShapes: [(name: String, shape: [Int])] { get }
    /// The layer holding `tensors`, one per entry of `tensorShapes` in that order, each of its shape's count.
    /// Call only after `outputFeatures(receiving:)` accepted the description.
    func makeLayer(tensors: [[Float]]) -> Layer
    /// A freshly initialized layer (weights drawn from `generator` by `initialization`).
    func makeLayer(initialization: Initialization, generator: inout SeededGenerator) -> Layer
}

extension LayerDescription {
    public var tensorShapes: [(name: String, shape: [Int])] { [] }

    /// Equality with a description of any kind.
    func isEqual(to other: any LayerDescription) -> Bool {
        guard let other = other as? Self else { return false }
        return self == other
    }
}

/// Descriptions of layers without tensors build the same layer either way.
protocol ParameterFreeLayerDescription: LayerDescription {
    func makeLayer() -> Layer
}

extension ParameterFreeLayerDescription {
    public func makeLayer(tensors: [[Float]]) -> Layer { makeLayer() }
    public func makeLayer(initialization: Initialization, generator: inout SeededGenerator) -> Layer { makeLayer() }
}

/// One layer of a model file's architecture, of any kind: `{"type": "dense", "in": 784, "out": 128}`.
/// Encodes as the kind's own keys plus "type"; decoding picks the kind by "type" from `kinds`.
public struct LayerSpecification: Sendable, Equatable, Codable {
    /// The kind's description.
    public let layer: any LayerDescription

    public init(_ layer: any LayerDescription) {
        self.layer = layer
    }

    /// Every kind of layer that model files can hold.
    public static let kinds: [any LayerDescription.Type] = [
        Dense.Specification.self, ReLU.Specification.self, Dropout.Specification.self, Flatten.Specification.self,
        Convolution2D.Specification.self, MaxPool2D.Specification.self, BatchNormalization.Specification.self,
    ]

    /// The "type" of the kind, e.g. "conv2d".
    public var type: String { Swift.type(of: layer).type }

    private enum TypeKey: String, CodingKey { case type }

    public init(from decoder: any Decoder) throws {
        let type = try decoder.container(keyedBy: TypeKey.self).decode(String.self, forKey: .type)
        guard let kind = Self.kinds.first(where: { $0.type == type }) else {
            throw LayerSpecificationError("unknown type \"\(type)\" (known: \(Self.kinds.map { $0.type }.joined(separator: ", "))); a newer digits may read it")
        }
        layer = try kind.init(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: TypeKey.self)
        try container.encode(type, forKey: .type)
        try layer.encode(to: encoder)
    }

    public static func == (lhs: LayerSpecification, rhs: LayerSpecification) -> Bool {
        lhs.layer.isEqual(to: rhs.layer)
    }
}

extension ImageShape {
    /// Checks that the shape is sensible and holds exactly `features` values (what the layer before gives).
    func check(receiving features: Int, channelsKey: String) throws(LayerSpecificationError) {
        guard (1...65536).contains(channels), (1...4096).contains(height), (1...4096).contains(width) else {
            throw LayerSpecificationError("needs positive integer \"\(channelsKey)\", \"height\" and \"width\"")
        }
        guard count == features else {
            throw LayerSpecificationError("expects \(self) = \(count) values per example but receives \(features)")
        }
    }
}
