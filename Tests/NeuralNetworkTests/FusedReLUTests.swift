// FusedReLUTests.swift — inside a `Network`, a convolution followed by a ReLU applies the ReLU itself and
// takes its gradient back itself. The results must be those of the two layers run one after the other.

import NeuralNetwork
import Testing

@Suite("Convolution + ReLU in a network")
struct FusedReLUTests {
    @Test("outputs and gradients equal, bit for bit, those of the layers run one by one", arguments: [
        "conv5k3-relu-flatten-dense10",                            // im2col (one input channel)
        "conv8k3p1-relu-conv9k3-relu-maxpool2-flatten-dense10",    // im2col, then Winograd (8 input channels)
    ])
    func matchesLayerByLayer(_ text: String) throws {
        var generator = SeededGenerator(seed: 5)
        let network = try NetworkArchitecture(parsing: text).makeNetwork(input: ImageShape(channels: 1, height: 11, width: 13),
                                                                          generator: &generator)
        let input = randomMatrix(3, 11 * 13, &generator)
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
