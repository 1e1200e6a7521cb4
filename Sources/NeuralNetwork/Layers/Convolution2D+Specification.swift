// Convolution2D+Specification.swift — how a convolution is written in a model file's architecture.

extension Convolution2D {
    /// `{"type": "conv2d", "in_channels": C, "height": H, "width": W, "out_channels": O, "kernel": K,
    /// "stride": S, "padding": P}` (the input's shape and the layer's own values), tensors `weight`
    /// [O, C, K, K] and `bias` [O].
    public struct Specification: LayerDescription {
        public static let type = "conv2d"
        public var input: ImageShape
        public var outputChannels: Int
        public var kernel: Int
        public var stride: Int
        public var padding: Int
        enum CodingKeys: String, CodingKey {
            case inputChannels = "in_channels", height, width, outputChannels = "out_channels", kernel, stride, padding
        }

        public init(input: ImageShape, outputChannels: Int, kernel: Int, stride: Int, padding: Int) {
            (self.input, self.outputChannels, self.kernel, self.stride, self.padding) = (input, outputChannels, kernel, stride, padding)
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            input = ImageShape(channels: try container.decode(Int.self, forKey: .inputChannels),
                               height: try container.decode(Int.self, forKey: .height), width: try container.decode(Int.self, forKey: .width))
            outputChannels = try container.decode(Int.self, forKey: .outputChannels)
            kernel = try container.decode(Int.self, forKey: .kernel)
            stride = try container.decode(Int.self, forKey: .stride)
            padding = try container.decode(Int.self, forKey: .padding)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(input.channels, forKey: .inputChannels)
            try container.encode(input.height, forKey: .height)
            try container.encode(input.width, forKey: .width)
            try container.encode(outputChannels, forKey: .outputChannels)
            try container.encode(kernel, forKey: .kernel)
            try container.encode(stride, forKey: .stride)
            try container.encode(padding, forKey: .padding)
        }

        public func outputFeatures(receiving inputFeatures: Int) throws(LayerSpecificationError) -> Int {
            try input.check(receiving: inputFeatures, channelsKey: "in_channels")
            guard (1...4096).contains(outputChannels), (1...15).contains(kernel), (1...kernel).contains(stride), (0..<kernel).contains(padding),
                  input.height + 2 * padding >= kernel, input.width + 2 * padding >= kernel
            else {
                throw LayerSpecificationError("needs integer \"out_channels\", \"kernel\", \"stride\" ≤ kernel and \"padding\" < kernel that fit its input")
            }
            return outputChannels * ((input.height + 2 * padding - kernel) / stride + 1) * ((input.width + 2 * padding - kernel) / stride + 1)
        }

        public var tensorShapes: [(name: String, shape: [Int])] {
            [("weight", [outputChannels, input.channels, kernel, kernel]), ("bias", [outputChannels])]
        }

        public func makeLayer(tensors: [[Float]]) -> Layer {
            Convolution2D(inputShape: input, kernelSize: kernel, stride: stride, padding: padding,
                          weight: Matrix(rows: outputChannels, columns: input.channels * kernel * kernel, values: tensors[0]),
                          bias: Matrix(rows: 1, columns: outputChannels, values: tensors[1]))
        }

        public func makeLayer(initialization: Initialization, generator: inout SeededGenerator) -> Layer {
            Convolution2D(inputShape: input, outputChannels: outputChannels, kernelSize: kernel, stride: stride, padding: padding,
                          initialization: initialization, generator: &generator)
        }
    }
}
