// Pooling.swift — max pooling, and flatten (the bridge from image-shaped layers to dense ones).

/// Max pooling over k×k windows moved by stride s, plane by plane (PyTorch's MaxPool2d without padding):
///
///     y[c, i, j] = max_{0≤u,v<k} x[c, i·s + u, j·s + v]        H′ = ⌊(H − k)/s⌋ + 1 (W′ alike)
///
/// Backward sends each dy[c, i, j] to the input that won the max (the first one on ties); every other
/// input gets 0. Shapes per example: [C, H, W] → [C, H′, W′].
public final class MaxPool2D: Layer {
    public let inputShape: ImageShape
    public let outputShape: ImageShape
    public let windowSize: Int
    public let stride: Int
    private var output = Matrix(rows: 0, columns: 0)
    private var inputGradient = Matrix(rows: 0, columns: 0)
    /// For every output value, the index within its example of the input that won the max.
    private var winners = [Int32]()

    public init(inputShape: ImageShape, windowSize: Int, stride: Int? = nil) {
        let stride = stride ?? windowSize
        precondition(windowSize >= 1 && stride >= 1, "pooling needs a window and a stride of at least 1")
        precondition(windowSize <= inputShape.height && windowSize <= inputShape.width, "a \(windowSize)×\(windowSize) window does not fit \(inputShape)")
        self.inputShape = inputShape
        self.windowSize = windowSize
        self.stride = stride
        self.outputShape = ImageShape(channels: inputShape.channels,
                                      height: (inputShape.height - windowSize) / stride + 1,
                                      width: (inputShape.width - windowSize) / stride + 1)
    }

    public var summary: String { stride == windowSize ? "maxpool(\(windowSize))" : "maxpool(\(windowSize), stride \(stride))" }
    public var specification: LayerSpecification {
        LayerSpecification(Specification(input: inputShape, window: windowSize, stride: stride))
    }

    /// `{"type": "maxpool2d", "channels": C, "height": H, "width": W, "kernel": K, "stride": S}` (the input's
    /// shape, the window K×K and the stride); no tensors.
    public struct Specification: ParameterFreeLayerDescription {
        public static let type = "maxpool2d"
        public var input: ImageShape
        public var window: Int
        public var stride: Int
        enum CodingKeys: String, CodingKey { case channels, height, width, window = "kernel", stride }

        public init(input: ImageShape, window: Int, stride: Int) {
            (self.input, self.window, self.stride) = (input, window, stride)
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            input = ImageShape(channels: try container.decode(Int.self, forKey: .channels), height: try container.decode(Int.self, forKey: .height),
                               width: try container.decode(Int.self, forKey: .width))
            window = try container.decode(Int.self, forKey: .window)
            stride = try container.decode(Int.self, forKey: .stride)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(input.channels, forKey: .channels)
            try container.encode(input.height, forKey: .height)
            try container.encode(input.width, forKey: .width)
            try container.encode(window, forKey: .window)
            try container.encode(stride, forKey: .stride)
        }

        public func outputFeatures(receiving inputFeatures: Int) throws(LayerSpecificationError) -> Int {
            try input.check(receiving: inputFeatures, channelsKey: "channels")
            guard window >= 1, stride >= 1, stride <= window, window <= input.height, window <= input.width else {
                throw LayerSpecificationError("needs integer \"kernel\" that fits its input and \"stride\" from 1 to the kernel")
            }
            return MaxPool2D(inputShape: input, windowSize: window, stride: stride).outputShape.count
        }

        func makeLayer() -> Layer { MaxPool2D(inputShape: input, windowSize: window, stride: stride) }
    }
    public var parameters: [Parameter] { [] }
    public func outputFeatures(inputFeatures: Int) -> Int { outputShape.count }

    public func forward(_ input: Matrix, mode: PassMode, generator: inout SeededGenerator, workers: WorkerThreads?) -> Matrix {
        precondition(input.columns == inputShape.count, "\(summary) expects \(inputShape) per example, got \(input.columns) values")
        output.reshape(rows: input.rows, columns: outputShape.count)
        if winners.count != output.count { winners = [Int32](repeating: 0, count: output.count) }
        let (inShape, outShape, k, s) = (inputShape, outputShape, windowSize, stride)
        input.values.withUnsafeBufferPointer { xBuffer in
            output.values.withUnsafeMutableBufferPointer { yBuffer in
                winners.withUnsafeMutableBufferPointer { winnerBuffer in
                    let (x, y, winner) = (xBuffer.baseAddress!, yBuffer.baseAddress!, winnerBuffer.baseAddress!)
                    forEachChunk(count: input.rows, chunkSize: 8, workers: workers) { examples in
                        for example in examples {
                            let image = x + example * inShape.count
                            var out = example * outShape.count
                            for c in 0..<inShape.channels {
                                let plane = c * inShape.planeSize
                                for i in 0..<outShape.height {
                                    var j = 0
                                    if k == 2 && s == 2 {
                                        j = Self.pool2x2(image, first: plane + 2 * i * inShape.width, width: inShape.width,
                                                         count: outShape.width, into: y + out, winners: winner + out)
                                        out += j
                                    }
                                    for j in j..<outShape.width {
                                        let first = plane + (i * s) * inShape.width + j * s
                                        var best = first
                                        if k == 2 {
                                            // The common 2×2 window, unrolled: the first maximum in reading order wins.
                                            let below = first + inShape.width
                                            if image[first + 1] > image[best] { best = first + 1 }
                                            if image[below] > image[best] { best = below }
                                            if image[below + 1] > image[best] { best = below + 1 }
                                        } else {
                                            for u in 0..<k {
                                                let rowStart = plane + (i * s + u) * inShape.width + j * s
                                                for v in 0..<k where image[rowStart + v] > image[best] { best = rowStart + v }
                                            }
                                        }
                                        y[out] = image[best]
                                        winner[out] = Int32(best)
                                        out += 1
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return output
    }

    /// The 2×2, stride-2 windows of one output row, 8 at a time: for the row pair starting at `first`, the
    /// window maxima and their input indices, the first maximum in reading order winning (strict `>`, like
    /// the scalar loop). Returns how many outputs it wrote, a multiple of 8; the caller does the rest.
    @inline(__always)
    static func pool2x2(_ image: UnsafePointer<Float>, first: Int, width: Int, count: Int,
                        into y: UnsafeMutablePointer<Float>, winners: UnsafeMutablePointer<Int32>) -> Int {
        var j = 0
        while j + 8 <= count {
            let start = first + 2 * j
            let upper = UnsafeRawPointer(image + start).loadUnaligned(as: SIMD16<Float>.self)
            let lower = UnsafeRawPointer(image + start + width).loadUnaligned(as: SIMD16<Float>.self)
            var best = upper.evenHalf
            var offset = SIMD8<Int32>()
            @inline(__always) func challenge(_ candidate: SIMD8<Float>, at candidateOffset: Int) {
                let wins = candidate .> best
                best.replace(with: candidate, where: wins)
                offset.replace(with: Int32(candidateOffset), where: wins)
            }
            challenge(upper.oddHalf, at: 1)
            challenge(lower.evenHalf, at: width)
            challenge(lower.oddHalf, at: width + 1)
            UnsafeMutableRawPointer(y + j).storeBytes(of: best, as: SIMD8<Float>.self)
            let columns = SIMD8<Int32>(0, 2, 4, 6, 8, 10, 12, 14) &+ Int32(start)
            UnsafeMutableRawPointer(winners + j).storeBytes(of: columns &+ offset, as: SIMD8<Int32>.self)
            j += 8
        }
        return j
    }

    public func backward(input: Matrix, outputGradient: Matrix, needsInputGradient: Bool, accumulate: Bool, workers: WorkerThreads?) -> Matrix? {
        guard needsInputGradient else { return nil }
        precondition(winners.count == outputGradient.count, "backward needs the forward pass of the same batch")
        inputGradient.reshape(rows: input.rows, columns: inputShape.count)
        let (inCount, outCount) = (inputShape.count, outputShape.count)
        outputGradient.values.withUnsafeBufferPointer { dyBuffer in
            winners.withUnsafeBufferPointer { winnerBuffer in
                inputGradient.values.withUnsafeMutableBufferPointer { dxBuffer in
                    let (dy, winner, dx) = (dyBuffer.baseAddress!, winnerBuffer.baseAddress!, dxBuffer.baseAddress!)
                    forEachChunk(count: input.rows, chunkSize: 8, workers: workers) { examples in
                        for example in examples {
                            let target = dx + example * inCount
                            target.update(repeating: 0, count: inCount)
                            for out in example * outCount..<(example + 1) * outCount {
                                target[Int(winner[out])] += dy[out]
                            }
                        }
                    }
                }
            }
        }
        return inputGradient
    }
}

/// Flatten: [C, H, W] per example → C·H·W features for a dense layer. Batch rows already store each
/// image flat (NCHW order, like PyTorch's `nn.Flatten`), so both passes return their argument unchanged;
/// the layer exists so that architectures read like their PyTorch twins.
public final class Flatten: Layer {
    public init() {}
    public var summary: String { "flatten" }
    public var specification: LayerSpecification { LayerSpecification(Specification()) }

    /// `{"type": "flatten"}`: no values, no tensors.
    public struct Specification: ParameterFreeLayerDescription {
        public static let type = "flatten"
        public init() {}
        public func outputFeatures(receiving inputFeatures: Int) throws(LayerSpecificationError) -> Int { inputFeatures }
        func makeLayer() -> Layer { Flatten() }
    }
    public var parameters: [Parameter] { [] }
    public func outputFeatures(inputFeatures: Int) -> Int { inputFeatures }

    public func forward(_ input: Matrix, mode: PassMode, generator: inout SeededGenerator, workers: WorkerThreads?) -> Matrix { input }

    public func backward(input: Matrix, outputGradient: Matrix, needsInputGradient: Bool, accumulate: Bool, workers: WorkerThreads?) -> Matrix? {
        needsInputGradient ? outputGradient : nil
    }
}
