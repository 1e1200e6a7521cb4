// Convolution2D.swift — the 2-D convolution layer (a cross-correlation, exactly PyTorch's Conv2d).
//
// Fast path: for each example, "im2col" copies every k×k input patch into a column of a matrix, and the
// convolution becomes one matrix multiply with the SIMD kernel of MatrixMultiplyKernel.swift. The
// examples of a batch are dealt out to the worker threads. Convolution2D+Naive.swift holds the slow,
// obvious twin that tests compare against.

import KernelLoops
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A 2-D convolution with a square kernel:
///
///     y[o, i, j] = b[o] + Σ_c Σ_u Σ_v W[o, c, u, v] · x[c, i·s − p + u, j·s − p + v]
///
/// with stride s, zero padding p and x read as 0 outside the image. Shapes, per example:
/// x [C, H, W] → y [O, H′, W′] with H′ = ⌊(H + 2p − k)/s⌋ + 1 (W′ alike); W [O, C·k·k] (the tensor
/// [O, C, k, k] in model files), b [1, O].
///
/// Backward, with col(x) the im2col matrix [C·k·k, H′·W′] of one example and dy [O, H′·W′]:
///     ∂L/∂W += Σ_examples dy · col(x)ᵀ      ∂L/∂b += Σ_examples Σ_positions dy
///     ∂L/∂x  = col2im(Wᵀ · dy)              (col2im adds each patch back where it came from)
public final class Convolution2D: Layer {
    public let inputShape: ImageShape
    public let outputShape: ImageShape
    public let kernelSize: Int
    public let stride: Int
    public let padding: Int
    public let weight: Parameter
    public let bias: Parameter
    let geometry: ConvolutionGeometry
    /// The Winograd F(2×2, 3×3) fast path for 3×3 kernels with stride 1 (forward pass, weight and input
    /// gradients); nil for other kernels, which use im2col.
    let winograd: WinogradConvolution?
    /// The transformed kernels U [16, O, C] (or Uᵀ [16, C, O] for the input gradient), recomputed every pass
    /// whose weights differ from the last forward pass's.
    private let winogradKernels: UnsafeMutablePointer<Float>
    /// U packed for the multiply kernel, once per pass (`WinogradConvolution.packKernels`).
    private let packedWinogradKernels: UnsafeMutablePointer<Float>
    /// The weights, bit for bit, that `winogradKernels` and `packedWinogradKernels` hold the forward transform of
    /// (and whether they could be packed); empty when they hold something else (a backward pass's Uᵀ). Reading
    /// one drawing after another with the same weights then skips the transform and the packing.
    private var forwardKernelsWeights: [Float] = []
    private var forwardKernelsPacked = false
    private var output = Matrix(rows: 0, columns: 0)
    /// After a `.rectifiedAndPooled` forward pass: which value of each 2×2 window won (0…3), shaped like `output`.
    private var poolingWinners = Matrix(rows: 0, columns: 0)
    private var inputGradient = Matrix(rows: 0, columns: 0)
    /// Per-group sums of the weight gradient [O, C·k·k] followed by the bias gradient [O], group after
    /// group; added up in group order after a backward pass.
    private let groupGradients: UnsafeMutablePointer<Float>

    /// Examples per batch are split into at most this many fixed groups for the weight gradient, whatever
    /// the thread count, so gradients are summed in the same order with 1 or 2 threads.
    static let gradientGroups = 8

    /// A layer with the given weight [O, C·k·k] and bias [1, O].
    public init(inputShape: ImageShape, kernelSize: Int, stride: Int = 1, padding: Int = 0, weight: Matrix, bias: Matrix) {
        precondition(kernelSize >= 1 && stride >= 1 && padding >= 0 && padding < kernelSize, "convolution needs k ≥ 1, s ≥ 1, 0 ≤ p < k")
        precondition(weight.columns == inputShape.channels * kernelSize * kernelSize, "weight must be [out, \(inputShape.channels)·\(kernelSize)·\(kernelSize)]")
        precondition(bias.rows == 1 && bias.columns == weight.rows, "bias must be [1, \(weight.rows)]")
        let height = (inputShape.height + 2 * padding - kernelSize) / stride + 1
        let width = (inputShape.width + 2 * padding - kernelSize) / stride + 1
        precondition(inputShape.height + 2 * padding >= kernelSize && inputShape.width + 2 * padding >= kernelSize,
                     "a \(kernelSize)×\(kernelSize) kernel does not fit a \(inputShape) input with padding \(padding)")
        self.inputShape = inputShape
        self.outputShape = ImageShape(channels: weight.rows, height: height, width: width)
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.weight = Parameter(name: "weight", value: weight, decays: true,
                                shape: [weight.rows, inputShape.channels, kernelSize, kernelSize])
        self.bias = Parameter(name: "bias", value: bias, decays: false)
        // With few input channels the 16 multiplies per tile have too little depth; im2col is faster there.
        let useWinograd = kernelSize == 3 && stride == 1 && inputShape.channels >= 8
        self.geometry = ConvolutionGeometry(input: inputShape, output: outputShape, kernel: kernelSize, stride: stride, padding: padding,
                                            indexesPatches: !useWinograd)
        winograd = useWinograd ? WinogradConvolution(input: inputShape, outputChannels: weight.rows, padding: padding) : nil
        winogradKernels = .allocate(capacity: useWinograd ? 16 * weight.rows * inputShape.channels : 1)
        packedWinogradKernels = .allocate(capacity: useWinograd
            ? max(WinogradConvolution.packedKernelsCount(outputs: weight.rows, inputs: inputShape.channels),
                  WinogradConvolution.packedKernelsCount(outputs: inputShape.channels, inputs: weight.rows)) : 1)
        let weightSlots = useWinograd ? 16 * weight.rows * inputShape.channels : weight.count
        groupGradients = .allocate(capacity: Self.gradientGroups * (weightSlots + bias.count))
    }

    deinit {
        groupGradients.deallocate()
        winogradKernels.deallocate()
        packedWinogradKernels.deallocate()
    }

    /// A layer initialized by `initialization` (fan-in C·k·k, fan-out O·k·k), bias zero.
    public convenience init(inputShape: ImageShape, outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                            initialization: Initialization, generator: inout SeededGenerator) {
        let fanIn = inputShape.channels * kernelSize * kernelSize
        let weight = initialization.weights(rows: outputChannels, columns: fanIn, fanIn: fanIn,
                                            fanOut: outputChannels * kernelSize * kernelSize, generator: &generator)
        self.init(inputShape: inputShape, kernelSize: kernelSize, stride: stride, padding: padding,
                  weight: weight, bias: Matrix(rows: 1, columns: outputChannels))
    }

    public var summary: String {
        var text = "conv(\(inputShape.channels)→\(outputShape.channels), \(kernelSize)×\(kernelSize)"
        if stride != 1 { text += ", stride \(stride)" }
        if padding != 0 { text += ", pad \(padding)" }
        return text + ")"
    }

    public var specification: LayerSpecification {
        LayerSpecification(Specification(input: inputShape, outputChannels: outputShape.channels, kernel: kernelSize, stride: stride, padding: padding))
    }

    public var parameters: [Parameter] { [weight, bias] }
    public func outputFeatures(inputFeatures: Int) -> Int { outputShape.count }

    public func forward(_ input: Matrix, mode: PassMode, generator: inout SeededGenerator, workers: WorkerThreads?) -> Matrix {
        forward(input, stage: .linear, workers: workers)
    }

    public func backward(input: Matrix, outputGradient: Matrix, needsInputGradient: Bool, accumulate: Bool, workers: WorkerThreads?) -> Matrix? {
        backward(input: input, outputGradient: outputGradient, stage: .linear, needsInputGradient: needsInputGradient,
                 accumulate: accumulate, workers: workers)
    }

    /// Whether the `.rectifiedAndPooled` stage is available: the Winograd path, with an even output size
    /// (each 2×2 output tile is then one pooling window).
    var canPoolOutputs: Bool { winograd?.canPoolTiles ?? false }

    /// y = conv(x) + b, or what `stage` makes of it while each output is still in cache: max(y, 0), or that
    /// max-pooled over 2×2 windows (`Network` does this when a ReLU, and a 2×2 max pooling, come next).
    func forward(_ input: Matrix, stage: ConvolutionOutputStage, workers: WorkerThreads?) -> Matrix {
        precondition(input.columns == inputShape.count, "\(summary) expects \(inputShape) = \(inputShape.count) values per example, got \(input.columns)")
        precondition(stage != .rectifiedAndPooled || canPoolOutputs, "\(summary) cannot pool its outputs")
        let pooled = stage == .rectifiedAndPooled, rectified = stage != .linear
        let resultCount = pooled ? outputShape.count / 4 : outputShape.count
        output.reshape(rows: input.rows, columns: resultCount)
        if pooled { poolingWinners.reshape(rows: input.rows, columns: resultCount) }
        let geometry = self.geometry
        let (outputChannels, positions, patchSize) = (outputShape.channels, outputShape.planeSize, geometry.patchSize)
        input.values.withUnsafeBufferPointer { xBuffer in
            weight.value.values.withUnsafeBufferPointer { wBuffer in
                bias.value.values.withUnsafeBufferPointer { bBuffer in
                    output.values.withUnsafeMutableBufferPointer { yBuffer in
                        poolingWinners.values.withUnsafeMutableBufferPointer { winnerBuffer in
                            let (x, w, b, y) = (xBuffer.baseAddress!, wBuffer.baseAddress!, bBuffer.baseAddress!, yBuffer.baseAddress!)
                            let winners = pooled ? winnerBuffer.baseAddress! : nil
                            if let winograd = self.winograd {
                                let kernels = winogradKernels
                                if !Self.sameBits(forwardKernelsWeights, wBuffer) {
                                    WinogradConvolution.transformKernels(w, outputs: outputChannels, inputs: inputShape.channels, transposed: false, into: kernels)
                                    forwardKernelsPacked = WinogradConvolution.packKernels(kernels, rows: outputChannels, columns: inputShape.channels,
                                                                                           into: packedWinogradKernels)
                                    forwardKernelsWeights = Array(wBuffer)
                                }
                                let packed = forwardKernelsPacked ? UnsafePointer(packedWinogradKernels) : nil
                                forEachChunk(count: input.rows, chunkSize: winograd.imagesPerGroup, workers: workers) { examples in
                                    let scratch = ConvolutionScratch.forCurrentThread().winograd(count: winograd.scratchCount)
                                    winograd.apply(x + examples.lowerBound * geometry.input.count, count: examples.count, kernels: kernels,
                                                   packedKernels: packed, bias: b, rectified: rectified,
                                                   poolingWinners: winners.map { $0 + examples.lowerBound * resultCount },
                                                   into: y + examples.lowerBound * resultCount, scratch: scratch)
                                }
                                return
                            }
                            forEachChunk(count: input.rows, chunkSize: 4, workers: workers) { examples in
                                let columns = ConvolutionScratch.forCurrentThread().columns(count: patchSize * positions)
                                for example in examples {
                                    let image = y + example * outputChannels * positions
                                    geometry.imageToColumns(x + example * geometry.input.count, into: columns)
                                    for o in 0..<outputChannels { (image + o * positions).update(repeating: b[o], count: positions) }
                                    // y [O, H′W′] += W [O, Ckk] · col(x) [Ckk, H′W′]
                                    GEMMProblem(m: outputChannels, n: positions, k: patchSize,
                                                a: w, aRowStride: patchSize, aTransposed: false,
                                                b: columns, bRowStride: positions, bTransposed: false,
                                                c: image, cRowStride: positions, accumulate: true).run(workers: nil)
                                    if rectified { KernelFamily.selected.loops.applyReLU(from: image, to: image, count: outputChannels * positions) }
                                }
                            }
                        }
                    }
                }
            }
        }
        return output
    }

    /// Whether `values` holds exactly the floats of `buffer`, bit for bit (so −0 and 0 differ, and NaN equals itself).
    static func sameBits(_ values: [Float], _ buffer: UnsafeBufferPointer<Float>) -> Bool {
        values.count == buffer.count && values.withUnsafeBytes { memcmp($0.baseAddress!, buffer.baseAddress!, $0.count) == 0 }
    }

    /// The backward pass, for the `stage` of the last forward pass: `outputGradient` is the gradient of that
    /// stage's outputs, passed back through the pooling and the ReLU first (using the stored outputs and winners).
    func backward(input: Matrix, outputGradient: Matrix, stage: ConvolutionOutputStage, needsInputGradient: Bool, accumulate: Bool,
                  workers: WorkerThreads?) -> Matrix? {
        let pooled = stage == .rectifiedAndPooled, rectified = stage != .linear
        precondition(!rectified || output.rows == input.rows, "a rectified backward pass needs the outputs of its forward pass")
        precondition(!pooled || (poolingWinners.rows == input.rows && outputGradient.columns == outputShape.count / 4),
                     "a pooled backward pass needs the winners of its forward pass and pooled gradients")
        let count = input.rows
        let groups = max(1, min(Self.gradientGroups, count))
        let geometry = self.geometry
        let (outputChannels, positions, patchSize) = (outputShape.channels, outputShape.planeSize, geometry.patchSize)
        let (inCount, outCount) = (inputShape.count, outputShape.count)
        let weightSlots = groupWeightSlots
        let groupStride = weightSlots + outputChannels
        let groupGradients = self.groupGradients
        if needsInputGradient { inputGradient.reshape(rows: count, columns: inCount) }
        input.values.withUnsafeBufferPointer { xBuffer in
            outputGradient.values.withUnsafeBufferPointer { dyBuffer in
                weight.value.values.withUnsafeBufferPointer { wBuffer in
                    inputGradient.values.withUnsafeMutableBufferPointer { dxBuffer in
                        output.values.withUnsafeBufferPointer { yBuffer in
                            poolingWinners.values.withUnsafeBufferPointer { winnerBuffer in
                                let (x, dy, w) = (xBuffer.baseAddress!, dyBuffer.baseAddress!, wBuffer.baseAddress!)
                                let winners = pooled ? winnerBuffer.baseAddress! : nil
                                let gradientCount = pooled ? outCount / 4 : outCount
                                let reluOutputs = rectified ? yBuffer.baseAddress : nil
                                let dx = needsInputGradient ? dxBuffer.baseAddress : nil
                                let winograd = self.winograd
                                let kernels = winogradKernels
                                let packed: UnsafePointer<Float>?
                                if winograd != nil && dx != nil {
                                    forwardKernelsWeights = []   // the buffers now hold Uᵀ
                                    WinogradConvolution.transformKernels(w, outputs: outputChannels, inputs: inputShape.channels, transposed: true, into: kernels)
                                    packed = WinogradConvolution.packKernels(kernels, rows: inputShape.channels, columns: outputChannels,
                                                                             into: packedWinogradKernels) ? UnsafePointer(packedWinogradKernels) : nil
                                } else {
                                    packed = nil
                                }
                                forEachChunk(count: groups, chunkSize: 1, workers: workers) { groupRange in
                                    let scratch = ConvolutionScratch.forCurrentThread()
                                    let columns = scratch.columns(count: winograd == nil ? patchSize * positions : 0)
                                    let columnGradients = scratch.columnGradients(count: dx != nil && winograd == nil ? patchSize * positions : 0)
                                    let winogradScratch = scratch.winograd(count: winograd?.backwardScratchCount ?? 0)
                                    let passedGradients = scratch.reluPassedGradients(count: reluOutputs != nil && winograd == nil ? outCount : 0)
                                    for group in groupRange {
                                        let dW = groupGradients + group * groupStride
                                        let dB = dW + weightSlots
                                        let examples = count * group / groups..<count * (group + 1) / groups
                                        if let winograd {
                                            // Ŵ [16, O, C] = Σ_tiles Ê·Vᵀ, turned into ∂L/∂W after the groups are added up; ∂L/∂b; ∂L/∂x.
                                            winograd.backward(x + examples.lowerBound * inCount, outputGradients: dy + examples.lowerBound * gradientCount,
                                                              reluOutputs: reluOutputs.map { $0 + examples.lowerBound * gradientCount },
                                                              poolingWinners: winners.map { $0 + examples.lowerBound * gradientCount }, count: examples.count,
                                                              kernelGradient: dW, biasGradient: dB, accumulate: false,
                                                              inputGradients: dx.map { $0 + examples.lowerBound * inCount },
                                                              transposedKernels: kernels, packedKernels: packed, scratch: winogradScratch)
                                            continue
                                        }
                                        for example in examples {
                                            // This example's dy [O, H′W′], passed back through the ReLU first when the layer applied one.
                                            var gradient = dy + example * outCount
                                            if let reluOutputs {
                                                KernelFamily.selected.loops.applyReLUGradient(from: gradient, gate: reluOutputs + example * outCount, to: passedGradients, count: outCount)
                                                gradient = UnsafePointer(passedGradients)
                                            }
                                            // ∂L/∂b[o] (+)= Σ over positions of dy[o, ·]
                                            for o in 0..<outputChannels {
                                                let sum = Self.sum(gradient + o * positions, count: positions)
                                                dB[o] = example == examples.lowerBound ? sum : dB[o] + sum
                                            }
                                            geometry.imageToColumns(x + example * inCount, into: columns)
                                            // dW [O, Ckk] (+)= dy [O, H′W′] · col(x)ᵀ [H′W′, Ckk]
                                            GEMMProblem(m: outputChannels, n: patchSize, k: positions,
                                                        a: gradient, aRowStride: positions, aTransposed: false,
                                                        b: columns, bRowStride: positions, bTransposed: true,
                                                        c: dW, cRowStride: patchSize, accumulate: example != examples.lowerBound).run(workers: nil)
                                            guard let dx else { continue }
                                            // dcol [Ckk, H′W′] = Wᵀ [Ckk, O] · dy [O, H′W′], then scattered back onto dx.
                                            GEMMProblem(m: patchSize, n: positions, k: outputChannels,
                                                        a: w, aRowStride: patchSize, aTransposed: true,
                                                        b: gradient, bRowStride: positions, bTransposed: false,
                                                        c: columnGradients, cRowStride: positions, accumulate: false).run(workers: nil)
                                            geometry.columnsToImage(columnGradients, into: dx + example * inCount)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        // Add the group sums up, group 0 first, then add (or, without `accumulate`, write) them into the gradients.
        for group in 1..<groups {
            let part = groupGradients + group * groupStride
            for i in 0..<groupStride { groupGradients[i] += part[i] }
        }
        weight.gradient.values.withUnsafeMutableBufferPointer { dW in
            if winograd != nil {
                WinogradConvolution.kernelGradient(from: groupGradients, outputs: outputShape.channels, inputs: inputShape.channels,
                                                   into: dW.baseAddress!, accumulate: accumulate)
            } else {
                for i in 0..<dW.count { dW[i] = (accumulate ? dW[i] : 0) + groupGradients[i] }
            }
        }
        for o in 0..<outputChannels { bias.gradient.values[o] = (accumulate ? bias.gradient.values[o] : 0) + groupGradients[weightSlots + o] }
        return needsInputGradient ? inputGradient : nil
    }

    /// Σ values[0..<count], eight lanes at a time.
    @inline(__always)
    static func sum(_ values: UnsafePointer<Float>, count: Int) -> Float {
        var lanes = SIMD8<Float>()
        var index = 0
        while index + 8 <= count {
            lanes += UnsafeRawPointer(values + index).loadUnaligned(as: SIMD8<Float>.self)
            index += 8
        }
        var total = lanes.sum()
        while index < count {
            total += values[index]
            index += 1
        }
        return total
    }

    /// Floats per group for the weight gradient: Ŵ [16, O, C] on the Winograd path, else [O, C·k·k].
    private var groupWeightSlots: Int {
        winograd != nil ? 16 * outputShape.channels * inputShape.channels : weight.value.count
    }
}

/// Per-thread scratch buffers of a convolution, grown on demand: the im2col matrix, its gradient, the
/// Winograd workspace, and one example's output gradient passed back through a ReLU.
final class ConvolutionScratch {
    private var buffers: [(pointer: UnsafeMutablePointer<Float>, capacity: Int)] = []

    private func buffer(_ index: Int, count: Int) -> UnsafeMutablePointer<Float> {
        while buffers.count <= index { buffers.append((.allocate(capacity: 1), 1)) }
        if count > buffers[index].capacity {
            buffers[index].pointer.deallocate()
            buffers[index] = (.allocate(capacity: count), count)
        }
        return buffers[index].pointer
    }

    func columns(count: Int) -> UnsafeMutablePointer<Float> { buffer(0, count: count) }
    func columnGradients(count: Int) -> UnsafeMutablePointer<Float> { buffer(1, count: count) }
    func winograd(count: Int) -> UnsafeMutablePointer<Float> { buffer(2, count: count) }
    func reluPassedGradients(count: Int) -> UnsafeMutablePointer<Float> { buffer(3, count: count) }

    deinit {
        for buffer in buffers { buffer.pointer.deallocate() }
    }

    private static let perThread = ThreadLocal { ConvolutionScratch() }
    static func forCurrentThread() -> ConvolutionScratch { perThread.value }
}
