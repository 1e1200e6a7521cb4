// NetworkArchitecture.swift — a network written as one line of layer tokens, and how it is built.
//
//     conv32k3-relu-conv64k3-relu-maxpool2-dropout0.25-flatten-dense128-relu-dropout0.5-dense10
//
// is PyTorch's MNIST example CNN. Tokens (separated by "-", "," or spaces):
//     conv<O>k<K>[s<S>][p<P>]   2-D convolution, O output channels, K×K kernel, stride S (1), padding P (0)
//     maxpool<K>[s<S>]          max pooling over K×K windows, stride S (K)
//     batchnorm                 batch normalization (per channel after a convolution, per feature after dense)
//     dense<N>  relu  flatten  dropout<P>

/// A sequential architecture as a list of layer descriptions.
public struct NetworkArchitecture: Sendable, Equatable, CustomStringConvertible {
    public enum Token: Sendable, Equatable {
        case convolution(outputs: Int, kernel: Int, stride: Int, padding: Int)
        case maxPool(window: Int, stride: Int)
        case batchNorm
        case dense(Int)
        case relu
        case flatten
        case dropout(Double)
    }

    public var tokens: [Token]

    public init(tokens: [Token]) {
        self.tokens = tokens
    }

    /// Reads the text form; the error names the token that is wrong and shows the accepted forms.
    public init(parsing text: String) throws(ArchitectureError) {
        let words = text.lowercased().split(whereSeparator: { $0 == "-" || $0 == "," || $0 == " " }).map(String.init)
        guard !words.isEmpty else { throw ArchitectureError("the architecture is empty; write layers like conv32k3-relu-maxpool2-flatten-dense10") }
        tokens = try words.map { word throws(ArchitectureError) in try Self.token(word) }
    }

    private static func token(_ word: String) throws(ArchitectureError) -> Token {
        /// "32k3s2p1" after "conv" → ["": 32, "k": 3, "s": 2, "p": 1]; nil unless numbers and letters alternate.
        func number(after prefix: String) -> [String: Int]? {
            var result: [String: Int] = [:]
            var key = "", digits = ""
            func flush() -> Bool {
                guard let value = Int(digits), result[key] == nil else { return false }
                result[key] = value
                return true
            }
            for character in word.dropFirst(prefix.count) {
                if character.isASCII && character.isNumber {
                    digits.append(character)
                } else {
                    guard flush() else { return nil }
                    key = String(character)
                    digits = ""
                }
            }
            return flush() ? result : nil
        }
        let forms = "conv<O>k<K>[s<S>][p<P>], maxpool<K>[s<S>], batchnorm, dense<N>, relu, flatten, dropout<P>"
        switch word {
        case "relu": return .relu
        case "flatten": return .flatten
        case "batchnorm", "bn": return .batchNorm
        default: break
        }
        if word.hasPrefix("conv"), let parts = number(after: "conv"), let outputs = parts[""], let kernel = parts["k"],
           Set(parts.keys).isSubset(of: ["", "k", "s", "p"]) {
            let (stride, padding) = (parts["s"] ?? 1, parts["p"] ?? 0)
            guard (1...4096).contains(outputs), (1...15).contains(kernel), (1...kernel).contains(stride), (0..<kernel).contains(padding) else {
                throw ArchitectureError("\"\(word)\": a convolution needs 1–4096 channels, a kernel of 1–15, a stride from 1 to the kernel and a padding below the kernel")
            }
            return .convolution(outputs: outputs, kernel: kernel, stride: stride, padding: padding)
        }
        if word.hasPrefix("maxpool"), let parts = number(after: "maxpool"), let window = parts[""], Set(parts.keys).isSubset(of: ["", "s"]) {
            let stride = parts["s"] ?? window
            guard (1...28).contains(window), (1...window).contains(stride) else {
                throw ArchitectureError("\"\(word)\": max pooling needs a window of 1–28 and a stride from 1 to the window")
            }
            return .maxPool(window: window, stride: stride)
        }
        if word.hasPrefix("dense"), let parts = number(after: "dense"), parts.count == 1, let outputs = parts[""] {
            guard (1...16384).contains(outputs) else { throw ArchitectureError("\"\(word)\": a dense layer needs 1–16384 outputs") }
            return .dense(outputs)
        }
        if word.hasPrefix("dropout"), let p = Double(word.dropFirst("dropout".count)) {
            guard p >= 0 && p < 1 else { throw ArchitectureError("\"\(word)\": dropout needs a probability in [0, 1), like dropout0.25") }
            return .dropout(p)
        }
        throw ArchitectureError("unknown layer \"\(word)\"; layers are \(forms)")
    }

    /// The canonical text form, which `init(parsing:)` reads back.
    public var description: String {
        tokens.map { token in
            switch token {
            case let .convolution(outputs, kernel, stride, padding):
                return "conv\(outputs)k\(kernel)" + (stride != 1 ? "s\(stride)" : "") + (padding != 0 ? "p\(padding)" : "")
            case let .maxPool(window, stride): return "maxpool\(window)" + (stride != window ? "s\(stride)" : "")
            case .batchNorm: return "batchnorm"
            case let .dense(outputs): return "dense\(outputs)"
            case .relu: return "relu"
            case .flatten: return "flatten"
            case let .dropout(p): return "dropout\(p)"
            }
        }.joined(separator: "-")
    }

    /// The shape after every layer, starting from `input`; a flat shape is [features, 1, 1].
    /// Throws when a layer does not fit what it receives (a kernel larger than the image, a convolution
    /// after a dense layer).
    public func shapes(input: ImageShape) throws(ArchitectureError) -> [ImageShape] {
        var shape = input, flat = false, result: [ImageShape] = []
        for (index, token) in tokens.enumerated() {
            let name = "layer \(index + 1) (\(NetworkArchitecture(tokens: [token])))"
            switch token {
            case let .convolution(outputs, kernel, stride, padding):
                guard !flat else { throw ArchitectureError("\(name) comes after flatten or dense; convolutions need an image") }
                guard shape.height + 2 * padding >= kernel && shape.width + 2 * padding >= kernel else {
                    throw ArchitectureError("\(name) needs at least \(kernel)×\(kernel) pixels but receives \(shape)")
                }
                shape = ImageShape(channels: outputs, height: (shape.height + 2 * padding - kernel) / stride + 1,
                                   width: (shape.width + 2 * padding - kernel) / stride + 1)
            case let .maxPool(window, stride):
                guard !flat else { throw ArchitectureError("\(name) comes after flatten or dense; pooling needs an image") }
                guard shape.height >= window && shape.width >= window else {
                    throw ArchitectureError("\(name) needs at least \(window)×\(window) pixels but receives \(shape)")
                }
                shape = ImageShape(channels: shape.channels, height: (shape.height - window) / stride + 1, width: (shape.width - window) / stride + 1)
            case let .dense(outputs):
                flat = true
                shape = ImageShape(channels: outputs, height: 1, width: 1)
            case .flatten:
                flat = true
                shape = ImageShape(channels: shape.count, height: 1, width: 1)
            case .relu, .dropout, .batchNorm:
                break
            }
            result.append(shape)
        }
        return result
    }

    /// The layers as model files describe them, for images of shape `input`; throws like `shapes(input:)`.
    public func specifications(input: ImageShape = .mnist) throws(ArchitectureError) -> [LayerSpecification] {
        let shapes = try shapes(input: input)
        var shape = input
        var result: [LayerSpecification] = []
        for (token, next) in zip(tokens, shapes) {
            let layer: any LayerDescription
            switch token {
            case let .convolution(outputs, kernel, stride, padding):
                layer = Convolution2D.Specification(input: shape, outputChannels: outputs, kernel: kernel, stride: stride, padding: padding)
            case let .maxPool(window, stride): layer = MaxPool2D.Specification(input: shape, window: window, stride: stride)
            case .batchNorm: layer = BatchNormalization.Specification(shape: shape)
            case let .dense(outputs): layer = Dense.Specification(inputs: shape.count, outputs: outputs)
            case .relu: layer = ReLU.Specification()
            case .flatten: layer = Flatten.Specification()
            case let .dropout(p): layer = Dropout.Specification(probability: p)
            }
            result.append(LayerSpecification(layer))
            shape = next
        }
        return result
    }

    /// A freshly initialized network: weights from `initialization`, drawn in layer order from `generator`.
    public func makeNetwork(input: ImageShape = .mnist, initialization: Initialization = .he,
                            normalization: InputNormalization = .unitRange, generator: inout SeededGenerator) throws(ArchitectureError) -> Network {
        let layers = try specifications(input: input).map { $0.layer.makeLayer(initialization: initialization, generator: &generator) }
        return Network(inputFeatures: input.count, layers: layers, normalization: normalization)
    }
}

/// An architecture that cannot be read or built; the message says what to change.
public struct ArchitectureError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension NetworkArchitecture {
    /// What a network of this architecture costs, computed from the shapes alone (nothing is allocated).
    public struct Cost: Sendable, Equatable {
        /// Trainable values: a convolution has (K²·C_in + 1)·C_out, a dense layer (in + 1)·out, batch
        /// normalization 2 per channel (scale and shift).
        public var parameters: Int
        /// Multiply-adds of one forward pass of one image: K²·C_in·C_out·H_out·W_out per convolution,
        /// in·out per dense layer (the rest is negligible).
        public var multiplyAdds: Int

        public init(parameters: Int, multiplyAdds: Int) {
            self.parameters = parameters
            self.multiplyAdds = multiplyAdds
        }
    }

    /// The cost of this architecture on `input` images; throws like `shapes(input:)`.
    public func cost(input: ImageShape = .mnist) throws(ArchitectureError) -> Cost {
        let shapes = try shapes(input: input)
        var cost = Cost(parameters: 0, multiplyAdds: 0)
        var shape = input
        for (token, next) in zip(tokens, shapes) {
            switch token {
            case let .convolution(outputs, kernel, _, _):
                let weights = kernel * kernel * shape.channels * outputs
                cost.parameters += weights + outputs
                cost.multiplyAdds += weights * next.height * next.width
            case let .dense(outputs):
                cost.parameters += (shape.count + 1) * outputs
                cost.multiplyAdds += shape.count * outputs
            case .batchNorm:
                cost.parameters += 2 * shape.channels
            case .maxPool, .relu, .flatten, .dropout:
                break
            }
            shape = next
        }
        return cost
    }
}
