// Activation.swift — ReLU and dropout: layers without parameters.

import KernelLoops

/// Rectified linear unit, y = max(x, 0), elementwise. Backward: dx = dy where x > 0, else 0.
public final class ReLU: Layer {
    private var output = Matrix(rows: 0, columns: 0)
    private var inputGradient = Matrix(rows: 0, columns: 0)

    public init() {}

    public var summary: String { "relu" }
    public var specification: LayerSpecification { LayerSpecification(Specification()) }

    /// `{"type": "relu"}`: no values, no tensors.
    public struct Specification: ParameterFreeLayerDescription {
        public static let type = "relu"
        public init() {}
        public func outputFeatures(receiving inputFeatures: Int) throws(LayerSpecificationError) -> Int { inputFeatures }
        func makeLayer() -> Layer { ReLU() }
    }
    public var parameters: [Parameter] { [] }
    public func outputFeatures(inputFeatures: Int) -> Int { inputFeatures }

    public func forward(_ input: Matrix, mode: PassMode, generator: inout SeededGenerator, workers: WorkerThreads?) -> Matrix {
        output.reshape(rows: input.rows, columns: input.columns)
        input.values.withUnsafeBufferPointer { xBuffer in
            output.values.withUnsafeMutableBufferPointer { yBuffer in
                let (x, y, loops) = (xBuffer.baseAddress!, yBuffer.baseAddress!, KernelFamily.selected.loops)
                forEachElementRange(count: xBuffer.count, workers: workers) { range in
                    loops.applyReLU(from: x + range.lowerBound, to: y + range.lowerBound, count: range.count)
                }
            }
        }
        return output
    }

    public func backward(input: Matrix, outputGradient: Matrix, needsInputGradient: Bool, accumulate: Bool, workers: WorkerThreads?) -> Matrix? {
        guard needsInputGradient else { return nil }
        inputGradient.reshape(rows: input.rows, columns: input.columns)
        input.values.withUnsafeBufferPointer { xBuffer in
            outputGradient.values.withUnsafeBufferPointer { dyBuffer in
                inputGradient.values.withUnsafeMutableBufferPointer { dxBuffer in
                    let (x, dy, dx) = (xBuffer.baseAddress!, dyBuffer.baseAddress!, dxBuffer.baseAddress!)
                    let loops = KernelFamily.selected.loops
                    forEachElementRange(count: xBuffer.count, workers: workers) { range in
                        loops.applyReLUGradient(from: dy + range.lowerBound, gate: x + range.lowerBound, to: dx + range.lowerBound, count: range.count)
                    }
                }
            }
        }
        return inputGradient
    }
}

/// Inverted dropout: while training, each element is zeroed with probability p and the survivors are
/// scaled by 1/(1−p), so inference needs no rescaling: y = x·m/(1−p), m ~ Bernoulli(1−p).
/// Backward: dx = dy·m/(1−p). At inference it is the identity.
public final class Dropout: Layer {
    /// The probability of dropping an element, in [0, 1).
    public let probability: Float
    private var scaledMask = [Float]()
    private var output = Matrix(rows: 0, columns: 0)
    private var inputGradient = Matrix(rows: 0, columns: 0)

    public init(probability: Float) {
        precondition(probability >= 0 && probability < 1, "dropout probability must be in [0, 1)")
        self.probability = probability
    }

    public var summary: String { "dropout(\(probability))" }
    /// The probability written as the shortest decimal of the Float (0.25, not 0.25000000372529).
    public var specification: LayerSpecification { LayerSpecification(Specification(probability: Double("\(probability)") ?? Double(probability))) }

    /// `{"type": "dropout", "p": 0.25}`: no tensors; the identity at inference.
    public struct Specification: ParameterFreeLayerDescription {
        public static let type = "dropout"
        public var probability: Double
        enum CodingKeys: String, CodingKey { case probability = "p" }
        public init(probability: Double) { self.probability = probability }

        public func outputFeatures(receiving inputFeatures: Int) throws(LayerSpecificationError) -> Int {
            guard probability >= 0 && probability < 1 else { throw LayerSpecificationError("needs \"p\" in [0, 1)") }
            return inputFeatures
        }
        func makeLayer() -> Layer { Dropout(probability: Float(probability)) }
    }
    public var parameters: [Parameter] { [] }
    public func outputFeatures(inputFeatures: Int) -> Int { inputFeatures }

    public func forward(_ input: Matrix, mode: PassMode, generator: inout SeededGenerator, workers: WorkerThreads?) -> Matrix {
        guard mode == .training, probability > 0 else {
            scaledMask.removeAll(keepingCapacity: true)
            return input
        }
        let keepScale = 1 / (1 - probability)
        // Compare 24-bit uniforms against p: an element is kept when u ≥ p.
        let threshold = UInt32((probability * 16_777_216).rounded())
        if scaledMask.count != input.count { scaledMask = [Float](repeating: 0, count: input.count) }
        output.reshape(rows: input.rows, columns: input.columns)
        input.values.withUnsafeBufferPointer { x in
            scaledMask.withUnsafeMutableBufferPointer { mask in
                output.values.withUnsafeMutableBufferPointer { y in
                    var i = 0
                    // 8 elements from 4 draws at a time, then the same stream one element at a time.
                    let (keep, limit) = (SIMD8<Float>(repeating: keepScale), SIMD8<UInt32>(repeating: threshold))
                    while i + 8 <= x.count {
                        var uniforms = SIMD8<UInt32>()
                        for pair in 0..<4 {
                            let bits = generator.next()
                            uniforms[2 * pair] = UInt32(truncatingIfNeeded: bits >> 40) & 0xFF_FFFF
                            uniforms[2 * pair + 1] = UInt32(truncatingIfNeeded: bits >> 16) & 0xFF_FFFF
                        }
                        let scales = SIMD8<Float>().replacing(with: keep, where: uniforms .>= limit)
                        let values = UnsafeRawPointer(x.baseAddress! + i).loadUnaligned(as: SIMD8<Float>.self)
                        UnsafeMutableRawPointer(mask.baseAddress! + i).storeBytes(of: scales, as: SIMD8<Float>.self)
                        UnsafeMutableRawPointer(y.baseAddress! + i).storeBytes(of: values * scales, as: SIMD8<Float>.self)
                        i += 8
                    }
                    while i < x.count {
                        // One 64-bit draw gives two 24-bit uniforms.
                        let bits = generator.next()
                        for half in 0..<2 where i < x.count {
                            let uniform = UInt32(truncatingIfNeeded: bits >> (half == 0 ? 40 : 16)) & 0xFF_FFFF
                            mask[i] = uniform >= threshold ? keepScale : 0
                            y[i] = x[i] * mask[i]
                            i += 1
                        }
                    }
                }
            }
        }
        return output
    }

    public func backward(input: Matrix, outputGradient: Matrix, needsInputGradient: Bool, accumulate: Bool, workers: WorkerThreads?) -> Matrix? {
        guard needsInputGradient else { return nil }
        guard scaledMask.count == outputGradient.count else { return outputGradient }  // inference or p = 0
        inputGradient.reshape(rows: outputGradient.rows, columns: outputGradient.columns)
        outputGradient.values.withUnsafeBufferPointer { dy in
            scaledMask.withUnsafeBufferPointer { mask in
                inputGradient.values.withUnsafeMutableBufferPointer { dxBuffer in
                    let (dy, mask, dx) = (dy.baseAddress!, mask.baseAddress!, dxBuffer.baseAddress!)
                    forEachElementRange(count: dxBuffer.count, workers: workers) { range in
                        for i in range { dx[i] = dy[i] * mask[i] }
                    }
                }
            }
        }
        return inputGradient
    }
}
