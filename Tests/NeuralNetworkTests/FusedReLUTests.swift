// FusedReLUTests.swift — inside a `Network`, a convolution followed by a ReLU applies the ReLU itself and
// takes its gradient back itself, and a Winograd convolution with an even output size followed by a ReLU
// and a 2×2 max pooling does the pooling on its output tiles too. The results must be those of the layers
// run one after the other.

import NeuralNetwork
import Testing

@Suite("Convolution + ReLU in a network")
struct FusedReLUTests {
    @Test("outputs and gradients equal, bit for bit, those of the layers run one by one", arguments: [
        ("conv5k3-relu-flatten-dense10", 11, 13),                          // im2col (one input channel)
        ("conv8k3p1-relu-conv9k3-relu-maxpool2-flatten-dense10", 11, 13),  // im2col, then Winograd (odd output 9×11: pooled apart)
        ("conv8k3p1-relu-conv9k3-relu-maxpool2-flatten-dense10", 12, 18),  // Winograd 10×16 pooled on its tiles (rows of 8 tiles)
        ("conv8k3p1-relu-conv9k3p1-relu-maxpool2-relu-flatten-dense10", 12, 18),  // 12×18 pooled: rows of 9 tiles, one past a group
        ("conv8k3p1-relu-conv9k3p1-relu-maxpool3-flatten-dense10", 12, 18),  // a 3×3 pooling is not fused
    ])
    func matchesLayerByLayer(_ text: String, height: Int, width: Int) throws {
        var generator = SeededGenerator(seed: 5)
        let network = try NetworkArchitecture(parsing: text).makeNetwork(input: ImageShape(channels: 1, height: height, width: width),
                                                                          generator: &generator)
        let input = randomMatrix(3, height * width, &generator)
        let logitsGradient = randomMatrix(3, 10, &generator)
        var unused = SeededGenerator(seed: 0)
        let logits = network.forward(input, mode: .training, generator: &unused)
        network.backward(logitsGradient, accumulate: false)
        let networkGradients = network.parameters.map(\.gradient.values)

        var inputs: [Matrix] = []
        var activations = input
        for layer in network.layers {
            inputs.append(activations)
            activations = layer.forward(activations, mode: .training, generator: &unused, workers: nil)
        }
        #expect(activations.values == logits.values)
        var gradient = logitsGradient
        for index in network.layers.indices.reversed() {
            if let result = network.layers[index].backward(input: inputs[index], outputGradient: gradient, needsInputGradient: index > 0,
                                                           accumulate: false, workers: nil) {
                gradient = result
            }
        }
        for (parameter, expected) in zip(network.parameters, networkGradients) {
            #expect(parameter.gradient.values == expected, "\(parameter.name) of \(text)")
            #expect(parameter.gradient.values.contains { $0 != 0 }, "\(parameter.name) of \(text) has a gradient")
        }
    }
}
