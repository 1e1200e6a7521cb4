// Convolution, pooling, batch normalization and architectures: fast paths against their naive twins on
// awkward shapes, finite-difference gradient checks, and thread-count independence.

import NeuralNetwork
import Testing

/// One convolution configuration: input [C, H, W], O outputs, k×k kernel, stride s, padding p, batch B.
struct ConvolutionCase: CustomStringConvertible, Sendable {
    let channels, height, width, outputs, kernel, stride, padding, batch: Int
    var description: String { "\(channels)×\(height)×\(width) → \(outputs), k\(kernel) s\(stride) p\(padding), batch \(batch)" }

    func makeLayer(_ generator: inout SeededGenerator) -> Convolution2D {
        let layer = Convolution2D(inputShape: ImageShape(channels: channels, height: height, width: width), outputChannels: outputs,
                                  kernelSize: kernel, stride: stride, padding: padding, initialization: .he, generator: &generator)
        layer.bias.value = randomMatrix(1, outputs, &generator)
        return layer
    }
}

let awkwardConvolutions = [
    ConvolutionCase(channels: 1, height: 7, width: 5, outputs: 3, kernel: 3, stride: 2, padding: 1, batch: 3),
    ConvolutionCase(channels: 3, height: 9, width: 9, outputs: 7, kernel: 5, stride: 1, padding: 2, batch: 2),
    ConvolutionCase(channels: 2, height: 6, width: 11, outputs: 5, kernel: 3, stride: 1, padding: 0, batch: 5),
    ConvolutionCase(channels: 4, height: 8, width: 8, outputs: 1, kernel: 1, stride: 1, padding: 0, batch: 3),
    ConvolutionCase(channels: 5, height: 13, width: 10, outputs: 6, kernel: 4, stride: 3, padding: 3, batch: 1),
    ConvolutionCase(channels: 1, height: 28, width: 28, outputs: 32, kernel: 3, stride: 1, padding: 0, batch: 2),
    ConvolutionCase(channels: 32, height: 12, width: 12, outputs: 17, kernel: 3, stride: 2, padding: 1, batch: 9),
    // 3×3 with stride 1 and at least 8 input channels takes the Winograd path: odd and even sizes, every
    // padding, tile rows of 1 to 14, more images than one Winograd group.
    ConvolutionCase(channels: 9, height: 7, width: 10, outputs: 5, kernel: 3, stride: 1, padding: 1, batch: 3),
    ConvolutionCase(channels: 8, height: 3, width: 3, outputs: 2, kernel: 3, stride: 1, padding: 2, batch: 2),
    ConvolutionCase(channels: 8, height: 5, width: 5, outputs: 3, kernel: 3, stride: 1, padding: 0, batch: 40),
    ConvolutionCase(channels: 3, height: 5, width: 19, outputs: 4, kernel: 3, stride: 1, padding: 1, batch: 3),
    ConvolutionCase(channels: 32, height: 26, width: 26, outputs: 64, kernel: 3, stride: 1, padding: 0, batch: 2),
    // A row of exactly 8 tiles: the input gradient of the last tile spills past its group of 8, onto columns
    // 16 and 17 of the image.
    ConvolutionCase(channels: 8, height: 6, width: 18, outputs: 3, kernel: 3, stride: 1, padding: 0, batch: 2),
    // Over 256 input channels: the forward multiplies take two blocks of depth and pack U themselves; the
    // input gradient's pre-packed U has 260 rows, more than one block of rows.
    ConvolutionCase(channels: 260, height: 5, width: 6, outputs: 7, kernel: 3, stride: 1, padding: 1, batch: 2),
]

/// The largest |a − b| relative to the largest |b| (at least 1).
func maximumDifference(_ a: Matrix, _ b: Matrix) -> Float {
    precondition(a.count == b.count)
    let scale = max(1, b.values.map(abs).max() ?? 0)
    return zip(a.values, b.values).map { abs($0 - $1) }.max().map { $0 / scale } ?? 0
}

@Suite("Convolution and pooling")
struct ConvolutionTests {
    @Test("im2col + SIMD forward and backward equal the naive twin", arguments: awkwardConvolutions)
    func convolutionMatchesNaive(_ shape: ConvolutionCase) {
        var generator = SeededGenerator(seed: 21)
        let layer = shape.makeLayer(&generator)
        let input = randomMatrix(shape.batch, layer.inputShape.count, &generator)
        var unused = SeededGenerator(seed: 0)
        let output = layer.forward(input, mode: .training, generator: &unused, workers: nil)
        #expect(output.columns == layer.outputShape.count)
        #expect(maximumDifference(output, layer.naiveForward(input)) < 1e-5, "forward \(shape)")

        let outputGradient = randomMatrix(shape.batch, layer.outputShape.count, &generator)
        let inputGradient = layer.backward(input: input, outputGradient: outputGradient, needsInputGradient: true, accumulate: false, workers: nil)!
        let naive = layer.naiveBackward(input: input, outputGradient: outputGradient)
        #expect(maximumDifference(inputGradient, naive.input) < 1e-5, "∂L/∂x \(shape)")
        #expect(maximumDifference(layer.weight.gradient, naive.weight) < 1e-5, "∂L/∂W \(shape)")
        #expect(maximumDifference(layer.bias.gradient, naive.bias) < 1e-5, "∂L/∂b \(shape)")
    }

    @Test("one and two threads give the same bits, forward and backward")
    func threadCountDoesNotMatter() {
        let workers = WorkerThreads(threadCount: 2)
        defer { workers.stop() }
        for shape in awkwardConvolutions {
            var generator = SeededGenerator(seed: 22)
            let layer = shape.makeLayer(&generator)
            let input = randomMatrix(shape.batch, layer.inputShape.count, &generator)
            let outputGradient = randomMatrix(shape.batch, layer.outputShape.count, &generator)
            var unused = SeededGenerator(seed: 0)
            let single = layer.forward(input, mode: .training, generator: &unused, workers: nil)
            let singleInput = layer.backward(input: input, outputGradient: outputGradient, needsInputGradient: true, accumulate: false, workers: nil)!
            let singleWeight = layer.weight.gradient
            let double = layer.forward(input, mode: .training, generator: &unused, workers: workers)
            let doubleInput = layer.backward(input: input, outputGradient: outputGradient, needsInputGradient: true, accumulate: false, workers: workers)!
            #expect(single == double, "forward \(shape)")
            #expect(singleInput == doubleInput, "∂L/∂x \(shape)")
            #expect(singleWeight == layer.weight.gradient, "∂L/∂W \(shape)")
        }
    }

    @Test("accumulate adds to the previous gradient")
    func accumulates() {
        var generator = SeededGenerator(seed: 23)
        let layer = awkwardConvolutions[0].makeLayer(&generator)
        let input = randomMatrix(3, layer.inputShape.count, &generator)
        let outputGradient = randomMatrix(3, layer.outputShape.count, &generator)
        var unused = SeededGenerator(seed: 0)
        _ = layer.forward(input, mode: .training, generator: &unused, workers: nil)
        _ = layer.backward(input: input, outputGradient: outputGradient, needsInputGradient: false, accumulate: false, workers: nil)
        let once = layer.weight.gradient
        _ = layer.backward(input: input, outputGradient: outputGradient, needsInputGradient: false, accumulate: true, workers: nil)
        #expect(maximumDifference(layer.weight.gradient, Matrix(rows: once.rows, columns: once.columns, values: once.values.map { 2 * $0 })) < 1e-6)
    }

    @Test("ReLU split among threads (8-wide with a ragged tail) equals max(x, 0) and its mask, also for −0, ±∞ and NaN")
    func reluMatchesScalar() {
        var generator = SeededGenerator(seed: 25)
        let workers = WorkerThreads(threadCount: 2)
        defer { workers.stop() }
        for (rows, columns) in [(3, 5), (63, 1_201)] {   // too small to split; split in two at 37,831, tails of 7 and 0
            var input = randomMatrix(rows, columns, &generator)
            input.values[0] = -0.0; input.values[1] = .infinity; input.values[2] = -.infinity; input.values[3] = .nan
            input.values[input.count - 1] = -1
            let outputGradient = randomMatrix(rows, columns, &generator)
            let layer = ReLU()
            var unused = SeededGenerator(seed: 0)
            let output = layer.forward(input, mode: .training, generator: &unused, workers: workers)
            let gradient = layer.backward(input: input, outputGradient: outputGradient, needsInputGradient: true, accumulate: false, workers: workers)!
            for i in 0..<input.count {
                let expected = max(input.values[i], 0)
                #expect(output.values[i].bitPattern == expected.bitPattern || (output.values[i].isNaN && expected.isNaN), "y[\(i)]")
                #expect(gradient.values[i] == (input.values[i] > 0 ? outputGradient.values[i] : 0), "dx[\(i)]")
            }
        }
    }

    @Test("dropout keeps element i when the 24-bit uniform from draw i/2 (high bits first) is ≥ p, 8 at a time and in the tail")
    func dropoutFollowsItsStream() {
        var generator = SeededGenerator(seed: 26)
        let input = randomMatrix(3, 37, &generator)   // 111 values: 13 blocks of 8, then 7 one at a time
        let layer = Dropout(probability: 0.3)
        var streamGenerator = SeededGenerator(seed: 27)
        let output = layer.forward(input, mode: .training, generator: &streamGenerator, workers: nil)
        var replay = SeededGenerator(seed: 27)
        var bits: UInt64 = 0
        var kept = 0
        for i in 0..<input.count {
            if i % 2 == 0 { bits = replay.next() }
            let uniform = Float((bits >> (i % 2 == 0 ? 40 : 16)) & 0xFF_FFFF) / 16_777_216
            let scale: Float = uniform >= 0.3 ? 1 / (1 - 0.3) : 0
            kept += scale > 0 ? 1 : 0
            #expect(output.values[i] == input.values[i] * scale, "y[\(i)]")
        }
        #expect(streamGenerator == replay, "one draw per two elements")
        #expect(kept > 60 && kept < 95)
        let gradient = layer.backward(input: input, outputGradient: input, needsInputGradient: true, accumulate: false, workers: nil)!
        #expect(gradient == output)
    }

    @Test("dropout's backward split among threads gives dy·mask, the same bits as on one thread")
    func dropoutBackwardSplitsAmongThreads() {
        var generator = SeededGenerator(seed: 28)
        let input = randomMatrix(5, 7_001, &generator)   // 35 005 values: two ranges of 17 502 and 17 503
        let outputGradient = randomMatrix(5, 7_001, &generator)
        let layer = Dropout(probability: 0.25)
        var streamGenerator = SeededGenerator(seed: 29)
        let output = layer.forward(input, mode: .training, generator: &streamGenerator, workers: nil)
        let workers = WorkerThreads(threadCount: 2)
        let split = layer.backward(input: input, outputGradient: outputGradient, needsInputGradient: true, accumulate: false, workers: workers)!
        var mismatches = 0
        for i in 0..<input.count {
            // The mask is y/x where x ≠ 0: 0 or 1/(1 − p), which is exact (4/3 rounded once, both ways).
            let scale: Float = output.values[i] == 0 ? 0 : 1 / (1 - 0.25)
            if split.values[i].bitPattern != (outputGradient.values[i] * scale).bitPattern { mismatches += 1 }
        }
        #expect(mismatches == 0)
        let single = layer.backward(input: input, outputGradient: outputGradient, needsInputGradient: true, accumulate: false, workers: nil)!
        #expect(single == split)
    }

    @Test("max pooling equals a direct reference; ties go to the first input", arguments: [(2, 2), (3, 2), (3, 3), (1, 1)])
    func maxPoolMatchesReference(_ window: Int, _ stride: Int) {
        var generator = SeededGenerator(seed: 24)
        // 9 wide: outputs one at a time; 37 wide: 2×2 stride 2 takes 8 at a time, then 2 one at a time.
        for shape in [ImageShape(channels: 3, height: 7, width: 9), ImageShape(channels: 2, height: 5, width: 37)] {
            checkMaxPool(shape: shape, window: window, stride: stride, generator: &generator)
        }
    }

    func checkMaxPool(shape: ImageShape, window: Int, stride: Int, generator: inout SeededGenerator) {
        let layer = MaxPool2D(inputShape: shape, windowSize: window, stride: stride)
        let out = layer.outputShape
        #expect(out.height == (shape.height - window) / stride + 1 && out.width == (shape.width - window) / stride + 1)
        // Random values, then a constant image: every window is a tie, won by its first pixel in reading order.
        for input in [randomMatrix(4, shape.count, &generator), Matrix(rows: 4, columns: shape.count, value: 1)] {
            var unused = SeededGenerator(seed: 0)
            let output = layer.forward(input, mode: .training, generator: &unused, workers: nil)
            let outputGradient = randomMatrix(4, out.count, &generator)
            let gradient = layer.backward(input: input, outputGradient: outputGradient, needsInputGradient: true, accumulate: false, workers: nil)!
            var expectedGradient = Matrix(rows: 4, columns: shape.count)
            for b in 0..<4 {
                for c in 0..<shape.channels {
                    for i in 0..<out.height {
                        for j in 0..<out.width {
                            var winner = (c * shape.height + i * stride) * shape.width + j * stride
                            for u in 0..<window {
                                for v in 0..<window {
                                    let index = (c * shape.height + i * stride + u) * shape.width + j * stride + v
                                    if input[b, index] > input[b, winner] { winner = index }
                                }
                            }
                            let o = (c * out.height + i) * out.width + j
                            #expect(output[b, o] == input[b, winner], "\(shape) window \(window) stride \(stride) y[\(b), \(o)]")
                            expectedGradient[b, winner] += outputGradient[b, o]
                        }
                    }
                }
            }
            #expect(gradient == expectedGradient, "\(shape) window \(window) stride \(stride): ∂L/∂x goes to each window's winner")
        }
    }
}

extension GradientCheckTests {
    @Test("convolution: odd sizes, padding, stride 2, one channel and many")
    func convolution() {
        var generator = SeededGenerator(seed: 31)
        for shape in awkwardConvolutions.prefix(5) {
            let small = ConvolutionCase(channels: shape.channels, height: shape.height, width: shape.width, outputs: min(shape.outputs, 3),
                                        kernel: shape.kernel, stride: shape.stride, padding: shape.padding, batch: min(shape.batch, 2))
            let layer = small.makeLayer(&generator)
            check(layer, input: randomMatrix(small.batch, layer.inputShape.count, &generator))
        }
        // The Winograd path (3×3, stride 1, ≥ 8 input channels) for the forward pass and both gradients: a few
        // tiles, and many tiles cut by the edge.
        for shape in [ConvolutionCase(channels: 8, height: 4, width: 5, outputs: 2, kernel: 3, stride: 1, padding: 1, batch: 2),
                      ConvolutionCase(channels: 8, height: 9, width: 11, outputs: 3, kernel: 3, stride: 1, padding: 0, batch: 1)] {
            let winograd = shape.makeLayer(&generator)
            check(winograd, input: randomMatrix(shape.batch, winograd.inputShape.count, &generator))
        }
    }

    @Test("max pooling with distinct values")
    func maxPool() {
        var generator = SeededGenerator(seed: 32)
        let shape = ImageShape(channels: 2, height: 5, width: 7)
        // Values 0.1 apart, shuffled, so no finite-difference step changes which input wins.
        let order = generator.permutation(3 * shape.count)
        let input = Matrix(rows: 3, columns: shape.count, values: order.map { Float($0) * 0.1 })
        check(MaxPool2D(inputShape: shape, windowSize: 2), input: input)
        check(MaxPool2D(inputShape: shape, windowSize: 3, stride: 2), input: input)
    }

    @Test("batch normalization over image planes and over features")
    func batchNormalization() {
        var generator = SeededGenerator(seed: 33)
        for shape in [ImageShape(channels: 3, height: 2, width: 3), ImageShape(channels: 5, height: 1, width: 1)] {
            let layer = BatchNormalization(shape: shape, scale: randomMatrix(1, shape.channels, &generator),
                                           shift: randomMatrix(1, shape.channels, &generator))
            check(layer, input: randomMatrix(4, shape.count, &generator), tolerance: 5e-3)
        }
    }

    @Test("flatten passes values and gradients through")
    func flatten() {
        var generator = SeededGenerator(seed: 34)
        check(Flatten(), input: randomMatrix(3, 8, &generator))
    }
}

@Suite("Batch normalization")
struct BatchNormalizationTests {
    @Test("training normalizes each channel; running statistics move 10% toward the batch; inference uses them")
    func statistics() {
        let shape = ImageShape(channels: 2, height: 1, width: 2)
        let layer = BatchNormalization(shape: shape)
        // Channel 0 holds 1, 3, 5, 7 (mean 4, variance 5); channel 1 holds 0, 0, 2, 2 (mean 1, variance 1).
        let input = Matrix(rows: 2, columns: 4, values: [1, 3, 0, 0, 5, 7, 2, 2])
        var unused = SeededGenerator(seed: 0)
        let output = layer.forward(input, mode: .training, generator: &unused, workers: nil)
        let deviation0 = (5 + layer.epsilon).squareRoot(), deviation1 = (1 + layer.epsilon).squareRoot()
        let expected: [Float] = [-3 / deviation0, -1 / deviation0, -1 / deviation1, -1 / deviation1,
                                 1 / deviation0, 3 / deviation0, 1 / deviation1, 1 / deviation1]
        for (value, target) in zip(output.values, expected) { #expect(abs(value - target) < 1e-5) }
        // Unbiased variances: 20/3 and 4/3.
        #expect(abs(layer.runningMean.value[0, 0] - 0.4) < 1e-6 && abs(layer.runningMean.value[0, 1] - 0.1) < 1e-6)
        #expect(abs(layer.runningVariance.value[0, 0] - (0.9 + 0.1 * 20 / 3)) < 1e-5)
        #expect(abs(layer.runningVariance.value[0, 1] - (0.9 + 0.1 * 4 / 3)) < 1e-5)
        let inference = layer.forward(input, mode: .inference, generator: &unused, workers: nil)
        let mean0 = layer.runningMean.value[0, 0], variance0 = layer.runningVariance.value[0, 0]
        #expect(abs(inference[0, 0] - (1 - mean0) / (variance0 + layer.epsilon).squareRoot()) < 1e-5)
    }
}

@Suite("Architectures")
struct ArchitectureTests {
    @Test("PyTorch's example CNN: shapes and 1,199,882 parameters")
    func torchExample() throws {
        let architecture = try NetworkArchitecture(parsing: "conv32k3-relu-conv64k3-relu-maxpool2-dropout0.25-flatten-dense128-relu-dropout0.5-dense10")
        let shapes = try architecture.shapes(input: .mnist)
        #expect(shapes[0] == ImageShape(channels: 32, height: 26, width: 26))
        #expect(shapes[4] == ImageShape(channels: 64, height: 12, width: 12))
        #expect(shapes[6].count == 9216)
        var generator = SeededGenerator(seed: 1)
        let network = try architecture.makeNetwork(generator: &generator)
        #expect(network.parameterCount == 1_199_882)
        #expect(network.outputFeatures == 10)
        #expect(network.summary.hasPrefix("784 → conv(1→32, 3×3) → relu → conv(32→64, 3×3)"))
    }

    @Test("text form round-trips", arguments: [
        "conv32k3-relu-maxpool2-flatten-dense10",
        "conv16k5p2-batchnorm-relu-maxpool3s2-conv8k3s2p1-relu-flatten-dense64-relu-dropout0.5-dense10",
    ])
    func roundTrip(_ text: String) throws {
        let architecture = try NetworkArchitecture(parsing: text)
        #expect(architecture.description == text)
        #expect(try NetworkArchitecture(parsing: architecture.description) == architecture)
    }

    @Test("mistakes name the layer and what is accepted")
    func errors() {
        func message(_ text: String) -> String {
            do {
                _ = try NetworkArchitecture(parsing: text).shapes(input: .mnist)
                return "accepted"
            } catch {
                return error.description
            }
        }
        #expect(message("conv32k3-relu-pool2").contains("unknown layer \"pool2\""))
        #expect(message("conv32").contains("unknown layer"))
        #expect(message("conv32k3p3").contains("padding below the kernel"))
        #expect(message("dropout1.5").contains("[0, 1)"))
        #expect(message("").contains("empty"))
        #expect(message("dense10-conv3k3").contains("comes after flatten or dense"))
        #expect(message("conv8k5-maxpool2-conv8k5-maxpool2-conv8k5").contains("needs at least 5×5 pixels but receives 8×4×4"))
    }
}
