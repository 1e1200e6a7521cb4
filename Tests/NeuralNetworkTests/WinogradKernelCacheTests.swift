// A Winograd convolution keeps its transformed kernels between forward passes while its weights stay the same
// bit for bit: a forward pass after the weights changed, or after a backward pass (which reuses the buffers for
// the transposed kernels), must still give exactly what a fresh layer with those weights gives.

import NeuralNetwork
import Testing

@Suite("Winograd kernel reuse")
struct WinogradKernelCacheTests {
    static let shape = ImageShape(channels: 8, height: 6, width: 6)

    static func layer(weight: Matrix, bias: Matrix) -> Convolution2D {
        Convolution2D(inputShape: shape, kernelSize: 3, padding: 1, weight: weight, bias: bias)
    }

    static func forward(_ layer: Convolution2D, _ input: Matrix) -> [UInt32] {
        var unused = SeededGenerator(seed: 0)
        return layer.forward(input, mode: .inference, generator: &unused, workers: nil).values.map(\.bitPattern)
    }

    @Test("changed weights, and a backward pass in between, never reuse stale kernels")
    func staleKernelsAreNeverUsed() {
        var generator = SeededGenerator(seed: 3)
        let weight = randomMatrix(5, 8 * 9, &generator), bias = randomMatrix(1, 5, &generator)
        let input = randomMatrix(2, Self.shape.count, &generator)
        let layer = Self.layer(weight: weight, bias: bias)
        let first = Self.forward(layer, input)
        #expect(Self.forward(layer, input) == first, "the same weights: the same outputs")
        #expect(first == Self.forward(Self.layer(weight: weight, bias: bias), input), "a fresh layer agrees")

        // One weight changed in place (as an optimizer step does): the outputs follow it.
        let original = layer.weight.value.values[7]
        layer.weight.value.values[7] = original + 0.5
        let changed = Self.forward(layer, input)
        #expect(changed != first, "the change is seen")
        #expect(changed == Self.forward(Self.layer(weight: layer.weight.value, bias: bias), input))

        // And changed back: the first outputs again, not the cached ones of the changed weight.
        layer.weight.value.values[7] = original
        #expect(Self.forward(layer, input) == first)

        // A backward pass with an input gradient fills the kernel buffers with Uᵀ; the next forward must not use them.
        let outputGradient = randomMatrix(2, layer.outputShape.count, &generator)
        var unused = SeededGenerator(seed: 0)
        _ = layer.forward(input, mode: .training, generator: &unused, workers: nil)
        _ = layer.backward(input: input, outputGradient: outputGradient, needsInputGradient: true, accumulate: false, workers: nil)
        #expect(Self.forward(layer, input) == first, "after a backward pass: the same outputs as before it")
    }
}
