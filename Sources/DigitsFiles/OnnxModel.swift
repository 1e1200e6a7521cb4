// OnnxModel.swift — a network written as an ONNX model (opset 17), so it runs in other runtimes: in a
// browser, on a phone, in Python's onnxruntime. The protobuf is written by hand (`Protobuf.swift`): the
// format is small, and generated code from swift-protobuf would be a dependency and a thousand lines to
// carry for the six messages used here.
//
//     image [N, 1, 28, 28] (raw pixels 0–255, ink bright, preprocessed like the studio's input)
//       → Mul(1 / (255·σ)) → Add(−μ/σ)            the network's input normalization
//       → Conv / Relu / MaxPool / BatchNormalization / Flatten / Gemm, layer by layer (dropout is left out)
//       → Softmax → probabilities [N, 10]

import NeuralNetwork

public enum OnnxModel {
    static let opset = 17
    static let irVersion = 8

    /// The ONNX bytes of `network` (which must read 28×28 images: 784 inputs).
    public static func encode(_ network: Network, producerVersion: String = "") throws -> [UInt8] {
        guard network.inputFeatures == 784 else {
            throw OnnxError(description: "the model takes \(network.inputFeatures) inputs; ONNX export needs a 28×28 (784-input) digit model")
        }
        var graph = GraphBuilder()
        let normalization = network.normalization
        var current = "image"
        current = graph.node("Mul", [current, graph.scalar("input_scale", 1 / (255 * normalization.standardDeviation))], "scaled")
        current = graph.node("Add", [current, graph.scalar("input_shift", -normalization.mean / normalization.standardDeviation)], "normalized")
        var flat = false
        for (index, layer) in network.layers.enumerated() {
            let name = "layer\(index + 1)"
            switch layer {
            case let dense as Dense:
                if !flat { current = graph.node("Flatten", [current], "\(name)_flat", attributes: [.int("axis", 1)]); flat = true }
                let weight = graph.tensor("\(name).weight", dims: [dense.weight.value.rows, dense.weight.value.columns], values: dense.weight.value.values)
                let bias = graph.tensor("\(name).bias", dims: [dense.bias.value.columns], values: dense.bias.value.values)
                current = graph.node("Gemm", [current, weight, bias], name, attributes: [.int("transB", 1)])
            case let convolution as Convolution2D:
                let (k, channels) = (convolution.kernelSize, convolution.inputShape.channels)
                let weight = graph.tensor("\(name).weight", dims: [convolution.outputShape.channels, channels, k, k], values: convolution.weight.value.values)
                let bias = graph.tensor("\(name).bias", dims: [convolution.outputShape.channels], values: convolution.bias.value.values)
                let p = convolution.padding
                current = graph.node("Conv", [current, weight, bias], name, attributes: [
                    .ints("kernel_shape", [k, k]), .ints("strides", [convolution.stride, convolution.stride]), .ints("pads", [p, p, p, p]),
                ])
            case let pool as MaxPool2D:
                current = graph.node("MaxPool", [current], name, attributes: [
                    .ints("kernel_shape", [pool.windowSize, pool.windowSize]), .ints("strides", [pool.stride, pool.stride]),
                ])
            case let norm as BatchNormalization:
                let c = norm.shape.channels
                let inputs = [current,
                              graph.tensor("\(name).scale", dims: [c], values: norm.scale.value.values),
                              graph.tensor("\(name).bias", dims: [c], values: norm.shift.value.values),
                              graph.tensor("\(name).mean", dims: [c], values: norm.runningMean.value.values),
                              graph.tensor("\(name).variance", dims: [c], values: norm.runningVariance.value.values)]
                current = graph.node("BatchNormalization", inputs, name, attributes: [.float("epsilon", norm.epsilon)])
            case is ReLU:
                current = graph.node("Relu", [current], name)
            case is Flatten:
                if !flat { current = graph.node("Flatten", [current], name, attributes: [.int("axis", 1)]); flat = true }
            case is Dropout:
                continue   // inference: the identity
            default:
                throw OnnxError(description: "layer \(index + 1) (\(layer.summary)) has no ONNX form in this exporter")
            }
        }
        _ = graph.node("Softmax", [current], "probabilities", attributes: [.int("axis", 1)])

        var model = ProtobufWriter()
        model.integer(1, irVersion)
        model.string(2, "digits")
        model.string(3, producerVersion)
        model.message(7) { g in
            for node in graph.nodes { g.bytes(1, node) }
            g.string(2, "digits")
            for tensor in graph.initializers { g.bytes(5, tensor) }
            g.bytes(11, valueInfo("image", dims: [nil, 1, 28, 28]))
            g.bytes(12, valueInfo("probabilities", dims: [nil, network.outputFeatures]))
        }
        model.message(8) { opset in
            opset.string(1, "")
            opset.integer(2, Self.opset)
        }
        return model.bytes
    }

    /// A float tensor's type and shape; nil dimensions are the batch, "N".
    static func valueInfo(_ name: String, dims: [Int?]) -> [UInt8] {
        var info = ProtobufWriter()
        info.string(1, name)
        info.message(2) { type in
            type.message(1) { tensor in
                tensor.integer(1, 1)   // FLOAT
                tensor.message(2) { shape in
                    for dim in dims {
                        shape.message(1) { d in
                            if let dim { d.integer(1, dim) } else { d.string(2, "N") }
                        }
                    }
                }
            }
        }
        return info.bytes
    }

    /// The nodes and initializers of a graph under construction.
    struct GraphBuilder {
        var nodes: [[UInt8]] = []
        var initializers: [[UInt8]] = []

        enum Attribute {
            case int(String, Int)
            case ints(String, [Int])
            case float(String, Float)
        }

        /// Adds a node and returns the name of its output.
        mutating func node(_ op: String, _ inputs: [String], _ output: String, attributes: [Attribute] = []) -> String {
            var node = ProtobufWriter()
            for input in inputs { node.string(1, input) }
            node.string(2, output)
            node.string(3, output)
            node.string(4, op)
            for attribute in attributes {
                node.message(5) { a in
                    switch attribute {
                    case .int(let name, let value):
                        a.string(1, name); a.integer(3, value); a.integer(20, 2)
                    case .ints(let name, let values):
                        a.string(1, name); for value in values { a.integer(8, value) }; a.integer(20, 7)
                    case .float(let name, let value):
                        a.string(1, name); a.float(2, value); a.integer(20, 1)
                    }
                }
            }
            nodes.append(node.bytes)
            return output
        }

        /// Adds a float initializer and returns its name.
        mutating func tensor(_ name: String, dims: [Int], values: [Float]) -> String {
            precondition(dims.reduce(1, *) == values.count, "\(name): \(values.count) values for dims \(dims)")
            var tensor = ProtobufWriter()
            for dim in dims { tensor.integer(1, dim) }
            tensor.integer(2, 1)   // FLOAT
            tensor.string(8, name)
            var raw: [UInt8] = []
            raw.reserveCapacity(values.count * 4)
            for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { raw += $0 } }
            tensor.bytes(9, raw)
            initializers.append(tensor.bytes)
            return name
        }

        mutating func scalar(_ name: String, _ value: Float) -> String { tensor(name, dims: [], values: [value]) }
    }
}

/// Why a network cannot be exported, or a file is not a readable ONNX model.
public struct OnnxError: Error, CustomStringConvertible, Equatable {
    public let description: String
}

/// What `digits inspect` says of an ONNX file.
public struct OnnxSummary: Sendable, Equatable {
    /// "name [N, 1, 28, 28]" of a ValueInfoProto.
    static func describe(_ bytes: [UInt8]) throws -> String {
        let info = try ProtobufReader.fields(bytes)
        let name = info.first(where: { $0.number == 1 })?.string ?? "?"
        let typeBytes = info.first(where: { $0.number == 2 })?.data ?? []
        let tensorBytes = try ProtobufReader.fields(typeBytes).first(where: { $0.number == 1 })?.data ?? []
        let shapeBytes = try ProtobufReader.fields(tensorBytes).first(where: { $0.number == 2 })?.data ?? []
        var dims: [String] = []
        for dim in try ProtobufReader.fields(shapeBytes) where dim.number == 1 {
            let parts = try ProtobufReader.fields(dim.data ?? [])
            if let value = parts.first(where: { $0.number == 1 })?.integer {
                dims.append(String(value))
            } else {
                dims.append(parts.first(where: { $0.number == 2 })?.string ?? "?")
            }
        }
        return "\(name) [\(dims.joined(separator: ", "))]"
    }

    public var irVersion: Int
    public var producer: String
    public var opsets: [Int]
    public var operators: [String]
    public var inputs: [String]
    public var outputs: [String]
    public var parameters: Int

    /// Reads the model's header, graph nodes, inputs, outputs and initializer sizes.
    public static func read(_ bytes: [UInt8], path: String) throws -> OnnxSummary {
        do {
            let model = try ProtobufReader.fields(bytes)
            guard let graphBytes = model.first(where: { $0.number == 7 })?.data else {
                throw OnnxError(description: "\(path) has no graph: it is not an ONNX model")
            }
            let graph = try ProtobufReader.fields(graphBytes)
            let opsets = try model.filter { $0.number == 8 }.compactMap { try ProtobufReader.fields($0.data ?? []).first { $0.number == 2 }?.integer }
            let operators = try graph.filter { $0.number == 1 }.map { node in
                try ProtobufReader.fields(node.data ?? []).first { $0.number == 4 }?.string ?? "?"
            }
            var parameters = 0
            for initializer in graph where initializer.number == 5 {
                let dims = try ProtobufReader.fields(initializer.data ?? []).filter { $0.number == 1 }.compactMap(\.integer)
                parameters += dims.reduce(1, *)
            }
            return OnnxSummary(irVersion: model.first { $0.number == 1 }?.integer ?? 0,
                               producer: model.first { $0.number == 2 }?.string ?? "",
                               opsets: opsets, operators: operators,
                               inputs: try graph.filter { $0.number == 11 }.map { try describe($0.data ?? []) },
                               outputs: try graph.filter { $0.number == 12 }.map { try describe($0.data ?? []) }, parameters: parameters)
        } catch let error as ProtobufError {
            throw OnnxError(description: "\(path) is not a readable ONNX model: \(error.description)")
        }
    }
}
