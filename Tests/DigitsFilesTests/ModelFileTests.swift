// Model files and checkpoints: round trips keep every bit, and files that are valid safetensors but not
// a usable network are refused with a message naming the problem.

import DigitsFiles
import Foundation
import NeuralNetwork
import Testing

@Suite("Model files and checkpoints")
struct ModelFileTests {
    func sampleNetwork() -> Network {
        var generator = SeededGenerator(seed: 4)
        return Network.multilayerPerceptron(sizes: [784, 12, 10], dropout: 0.3, normalization: .mnist, generator: &generator)
    }

    func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("digits-model-\(UUID().uuidString)-\(name)").path
    }

    @Test("a model round-trips through a file: same layers, same weights, same outputs")
    func roundTrip() throws {
        let network = sampleNetwork()
        let path = temporaryPath("m.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ModelFile.write(network, to: path, metadata: ["note": "test"])
        let (loaded, metadata) = try ModelFile.read(path: path)
        #expect(metadata["note"] == "test" && metadata["format"] == "digits-model")
        #expect(loaded.summary == network.summary)
        #expect(loaded.normalization == network.normalization)
        #expect(loaded.parameters.map(\.value) == network.parameters.map(\.value))
        let file = try SafeTensors.read(path: path)
        #expect(Set(file.tensors.keys) == ["layers.0.weight", "layers.0.bias", "layers.3.weight", "layers.3.bias"])
        #expect(file.tensors["layers.0.weight"]?.shape == [12, 784] && file.tensors["layers.0.bias"]?.shape == [12])
        let input = [Float](repeating: 0.5, count: 784)
        #expect(loaded.probabilities(unitPixels: input) == network.probabilities(unitPixels: input))
    }

    @Test("architecture problems are named", arguments: [
        ("layers.0.weight", "shape"), ("missing", "missing"), ("unknown-layer", "unknown type"), ("no-format", "format"),
        ("extra-tensor", "belong to no layer"), ("bad-normalization", "normalization"),
    ])
    func refused(change: String, mention: String) throws {
        var file = ModelFile.encode(sampleNetwork())
        switch change {
        case "layers.0.weight": file.tensors["layers.0.weight"] = SafeTensors.Tensor(shape: [784, 12], values: file.tensors["layers.0.weight"]!.values)
        case "missing": file.tensors["layers.3.bias"] = nil
        case "unknown-layer": file.metadata["architecture"] = #"{"input":[28,28],"layers":[{"type":"conv9","in":784,"out":10}]}"#
        case "no-format": file.metadata["format"] = nil
        case "extra-tensor": file.tensors["layers.7.weight"] = SafeTensors.Tensor(shape: [1], values: [0])
        default: file.metadata["normalization"] = #"{"mean":0,"std":0}"#
        }
        let bytes = try file.encode()
        do {
            _ = try ModelFile.decode(try SafeTensors.decode(bytes), path: "x.safetensors")
            Issue.record("\(change) was accepted")
        } catch {
            #expect("\(error)".contains(mention), "\(change): \(error)")
        }
    }

    @Test("a checkpoint keeps weights, optimizer state, position, generator and history exactly")
    func checkpointRoundTrip() throws {
        let network = sampleNetwork()
        var position = TrainingPosition()
        position.epoch = 3
        position.batchInEpoch = 17
        position.step = 1234
        position.epochLossSum = 0.1 + 0.2   // not exactly representable in decimal: must still round-trip
        position.epochCorrect = 1000
        position.epochSeen = 1088
        position.epochSeconds = 1.0 / 3.0
        var generator = SeededGenerator(seed: 9)
        _ = generator.next()
        let history = [EpochRecord(epoch: 1, trainLoss: 0.5, trainAccuracy: 0.9, validationLoss: nil, validationAccuracy: nil, learningRate: 0.01, seconds: 2)]
        let state = ["m.0": [Float](repeating: 0.25, count: 12 * 784), "v.0": [1, 2, 3]]
        let checkpoint = Checkpoint(network: network, recipe: #"{"x":1}"#, optimizerState: state, optimizerSteps: 1234,
                                    position: position, generator: generator, history: history)
        let path = temporaryPath("c.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try checkpoint.write(to: path)
        let loaded = try Checkpoint.read(path: path)
        #expect(loaded.position == position)
        #expect(loaded.generator == generator)
        #expect(loaded.history == history)
        #expect(loaded.optimizerState == state && loaded.optimizerSteps == 1234)
        #expect(loaded.recipe == #"{"x":1}"#)
        #expect(loaded.network.parameters.map(\.value) == network.parameters.map(\.value))
        // A finished model is not a checkpoint, and says so.
        let modelPath = temporaryPath("m.safetensors")
        defer { try? FileManager.default.removeItem(atPath: modelPath) }
        try ModelFile.write(network, to: modelPath)
        #expect(throws: ModelFileError.self) { _ = try Checkpoint.read(path: modelPath) }
    }
}
