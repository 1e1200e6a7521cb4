// BatchNormalization.swift — batch normalization (Ioffe & Szegedy 2015), PyTorch's BatchNorm1d/2d.

/// Normalizes each channel over the batch (and, for images, over every pixel of the plane), then scales
/// and shifts it. Per channel c, with the N = B·H·W values x of that channel in the batch:
///
///     μ = mean(x)    σ² = mean((x − μ)²)    x̂ = (x − μ)/√(σ² + ε)    y = γ·x̂ + β
///
/// Training uses the batch's μ and σ² and updates running estimates (momentum 0.1, unbiased variance,
/// as PyTorch); inference uses the running estimates. Backward, per channel:
///
///     ∂L/∂β = Σ dy    ∂L/∂γ = Σ dy·x̂    ∂L/∂x = γ/(N·√(σ² + ε)) · (N·dy − Σ dy − x̂·Σ dy·x̂)
///
/// Shapes per example: [C, H, W] → [C, H, W] (H = W = 1 after a dense layer); γ, β [1, C].
public final class BatchNormalization: Layer {
    public let shape: ImageShape
    public let epsilon: Float = 1e-5
    public let momentum: Float = 0.1
    /// γ, PyTorch's "weight", initially 1.
    public let scale: Parameter
    /// β, PyTorch's "bias", initially 0.
    public let shift: Parameter
    /// Running estimates used at inference; stored in model files, never trained by the optimizer.
    public let runningMean: Parameter
    public let runningVariance: Parameter
    private var output = Matrix(rows: 0, columns: 0)
    private var inputGradient = Matrix(rows: 0, columns: 0)
    /// x̂ of the last training batch, and 1/√(σ² + ε) per channel.
    private var normalized = Matrix(rows: 0, columns: 0)
    private var inverseDeviation = [Float]()

    public init(shape: ImageShape, scale: Matrix? = nil, shift: Matrix? = nil, runningMean: Matrix? = nil, runningVariance: Matrix? = nil) {
        let channels = shape.channels
        self.shape = shape
        self.scale = Parameter(name: "weight", value: scale ?? Matrix(rows: 1, columns: channels, value: 1), decays: false, shape: [channels])
        self.shift = Parameter(name: "bias", value: shift ?? Matrix(rows: 1, columns: channels), decays: false)
        self.runningMean = Parameter(name: "running_mean", value: runningMean ?? Matrix(rows: 1, columns: channels), decays: false, shape: [channels])
        self.runningVariance = Parameter(name: "running_var", value: runningVariance ?? Matrix(rows: 1, columns: channels, value: 1),
                                         decays: false, shape: [channels])
        inverseDeviation = [Float](repeating: 0, count: channels)
    }

    public var summary: String { "batchnorm(\(shape.channels))" }
    public var specification: LayerSpecification { LayerSpecification(Specification(shape: shape)) }

    /// `{"type": "batchnorm", "channels": C, "height": H, "width": W}`, tensors `weight` (γ), `bias` (β),
    /// `running_mean` and `running_var`, each [C].
    public struct Specification: LayerDescription {
        public static let type = "batchnorm"
        public var shape: ImageShape
        enum CodingKeys: String, CodingKey { case channels, height, width }

        public init(shape: ImageShape) { self.shape = shape }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            shape = ImageShape(channels: try container.decode(Int.self, forKey: .channels), height: try container.decode(Int.self, forKey: .height),
                               width: try container.decode(Int.self, forKey: .width))
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(shape.channels, forKey: .channels)
            try container.encode(shape.height, forKey: .height)
            try container.encode(shape.width, forKey: .width)
        }

        public func outputFeatures(receiving inputFeatures: Int) throws(LayerSpecificationError) -> Int {
            try shape.check(receiving: inputFeatures, channelsKey: "channels")
            return inputFeatures
        }

        public var tensorShapes: [(name: String, shape: [Int])] {
            ["weight", "bias", "running_mean", "running_var"].map { ($0, [shape.channels]) }
        }

        public func makeLayer(tensors: [[Float]]) -> Layer {
            let row = { (values: [Float]) in Matrix(rows: 1, columns: shape.channels, values: values) }
            return BatchNormalization(shape: shape, scale: row(tensors[0]), shift: row(tensors[1]),
                                      runningMean: row(tensors[2]), runningVariance: row(tensors[3]))
        }

        public func makeLayer(initialization: Initialization, generator: inout SeededGenerator) -> Layer {
            BatchNormalization(shape: shape)
        }
    }
    public var parameters: [Parameter] { [scale, shift] }
    public var buffers: [Parameter] { [runningMean, runningVariance] }
    public func outputFeatures(inputFeatures: Int) -> Int { inputFeatures }

    public func forward(_ input: Matrix, mode: PassMode, generator: inout SeededGenerator, workers: WorkerThreads?) -> Matrix {
        precondition(input.columns == shape.count, "\(summary) expects \(shape) per example, got \(input.columns) values")
        output.reshape(rows: input.rows, columns: input.columns)
        let (batch, channels, plane) = (input.rows, shape.channels, shape.planeSize)
        let training = mode == .training
        if training { normalized.reshape(rows: input.rows, columns: input.columns) }
        let (epsilon, momentum) = (self.epsilon, self.momentum)
        input.values.withUnsafeBufferPointer { xBuffer in
            output.values.withUnsafeMutableBufferPointer { yBuffer in
                normalized.values.withUnsafeMutableBufferPointer { xHatBuffer in
                    inverseDeviation.withUnsafeMutableBufferPointer { inverseBuffer in
                        let (x, y, inverse) = (xBuffer.baseAddress!, yBuffer.baseAddress!, inverseBuffer.baseAddress!)
                        let xHat = training ? xHatBuffer.baseAddress : nil
                        let (gamma, beta) = (scale.value.values, shift.value.values)
                        let (mean, variance) = (runningMean.value.values, runningVariance.value.values)
                        var newMean = mean, newVariance = variance
                        newMean.withUnsafeMutableBufferPointer { newMeanBuffer in
                            newVariance.withUnsafeMutableBufferPointer { newVarianceBuffer in
                                let (meanOut, varianceOut) = (newMeanBuffer.baseAddress!, newVarianceBuffer.baseAddress!)
                                forEachExampleRange(count: channels, workers: workers) { channelRange in
                                    for c in channelRange {
                                        var channelMean = mean[c], channelVariance = variance[c]
                                        let count = Double(batch * plane)
                                        if training {
                                            // Plane sums eight lanes at a time, added up per plane in Double.
                                            var sum = 0.0
                                            for b in 0..<batch { sum += Double(Convolution2D.sum(x + (b * channels + c) * plane, count: plane)) }
                                            let batchMean = sum / count
                                            var squares = 0.0
                                            for b in 0..<batch {
                                                squares += Double(Self.sumOfSquares(x + (b * channels + c) * plane, count: plane, around: Float(batchMean)))
                                            }
                                            channelMean = Float(batchMean)
                                            channelVariance = Float(squares / count)
                                            let unbiased = Float(squares / max(count - 1, 1))
                                            meanOut[c] = (1 - momentum) * mean[c] + momentum * channelMean
                                            varianceOut[c] = (1 - momentum) * variance[c] + momentum * unbiased
                                        }
                                        let inverseC = 1 / (channelVariance + epsilon).squareRoot()
                                        inverse[c] = inverseC
                                        let (g, bt) = (gamma[c], beta[c])
                                        for b in 0..<batch {
                                            let offset = (b * channels + c) * plane
                                            if training, let xHat {
                                                for i in 0..<plane { xHat[offset + i] = (x[offset + i] - channelMean) * inverseC }
                                                for i in 0..<plane { y[offset + i] = g * xHat[offset + i] + bt }
                                            } else {
                                                for i in 0..<plane { y[offset + i] = g * ((x[offset + i] - channelMean) * inverseC) + bt }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                        if training {
                            runningMean.value.values = newMean
                            runningVariance.value.values = newVariance
                        }
                    }
                }
            }
        }
        return output
    }

    public func backward(input: Matrix, outputGradient: Matrix, needsInputGradient: Bool, accumulate: Bool, workers: WorkerThreads?) -> Matrix? {
        precondition(normalized.count == outputGradient.count, "backward needs a training-mode forward of the same batch")
        let (batch, channels, plane) = (input.rows, shape.channels, shape.planeSize)
        if needsInputGradient { inputGradient.reshape(rows: input.rows, columns: input.columns) }
        var gammaGradient = [Float](repeating: 0, count: channels), betaGradient = [Float](repeating: 0, count: channels)
        let gamma = scale.value.values
        outputGradient.values.withUnsafeBufferPointer { dyBuffer in
            normalized.values.withUnsafeBufferPointer { xHatBuffer in
                inputGradient.values.withUnsafeMutableBufferPointer { dxBuffer in
                    inverseDeviation.withUnsafeBufferPointer { inverseBuffer in
                        gammaGradient.withUnsafeMutableBufferPointer { dGammaBuffer in
                            betaGradient.withUnsafeMutableBufferPointer { dBetaBuffer in
                                let (dy, xHat, dx, inverse) = (dyBuffer.baseAddress!, xHatBuffer.baseAddress!, dxBuffer.baseAddress, inverseBuffer.baseAddress!)
                                let (dGamma, dBeta) = (dGammaBuffer.baseAddress!, dBetaBuffer.baseAddress!)
                                forEachExampleRange(count: channels, workers: workers) { channelRange in
                                    for c in channelRange {
                                        var sumDy = 0.0, sumDyXHat = 0.0
                                        for b in 0..<batch {
                                            let offset = (b * channels + c) * plane
                                            sumDy += Double(Convolution2D.sum(dy + offset, count: plane))
                                            sumDyXHat += Double(Self.dot(dy + offset, xHat + offset, count: plane))
                                        }
                                        dGamma[c] = Float(sumDyXHat)
                                        dBeta[c] = Float(sumDy)
                                        guard needsInputGradient, let dx else { continue }
                                        let count = Float(batch * plane)
                                        let factor = gamma[c] * inverse[c] / count
                                        let (meanDy, meanDyXHat) = (Float(sumDy), Float(sumDyXHat))
                                        for b in 0..<batch {
                                            let offset = (b * channels + c) * plane
                                            for i in 0..<plane {
                                                dx[offset + i] = factor * (count * dy[offset + i] - meanDy - xHat[offset + i] * meanDyXHat)
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        for c in 0..<channels {
            scale.gradient.values[c] = (accumulate ? scale.gradient.values[c] : 0) + gammaGradient[c]
            shift.gradient.values[c] = (accumulate ? shift.gradient.values[c] : 0) + betaGradient[c]
        }
        return needsInputGradient ? inputGradient : nil
    }

    /// Σ (values[i] − center)², eight lanes at a time.
    static func sumOfSquares(_ values: UnsafePointer<Float>, count: Int, around center: Float) -> Float {
        var lanes = SIMD8<Float>()
        let middle = SIMD8<Float>(repeating: center)
        var index = 0
        while index + 8 <= count {
            let difference = UnsafeRawPointer(values + index).loadUnaligned(as: SIMD8<Float>.self) - middle
            lanes.addProduct(difference, difference)
            index += 8
        }
        var total = lanes.sum()
        while index < count {
            total += (values[index] - center) * (values[index] - center)
            index += 1
        }
        return total
    }

    /// Σ a[i]·b[i], eight lanes at a time.
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var lanes = SIMD8<Float>()
        var index = 0
        while index + 8 <= count {
            lanes.addProduct(UnsafeRawPointer(a + index).loadUnaligned(as: SIMD8<Float>.self),
                             UnsafeRawPointer(b + index).loadUnaligned(as: SIMD8<Float>.self))
            index += 8
        }
        var total = lanes.sum()
        while index < count {
            total += a[index] * b[index]
            index += 1
        }
        return total
    }
}
