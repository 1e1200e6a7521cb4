// Predictor.swift — one model version, ready to answer many requests at once.
//
// A `Network` keeps scratch buffers between calls, so one instance serves one request at a time. The
// predictor keeps a small pool of identical copies: a request borrows one, runs it, and gives it back.

import DigitImage
import DigitsFiles
import NeuralNetwork
import Synchronization

/// A model version's weights and a pool of networks built from them. Safe to use from any thread.
final class Predictor: Sendable {
    /// "base" or "v3".
    let version: String
    /// The weights and metadata, from which pool networks are built.
    let weights: SafeTensors
    /// "dense(784→128) relu ..." and the number of trainable values.
    let architecture: String
    let parameterCount: Int
    /// How this model says "not a digit" (`DrawingReader.rule(metadata:)`).
    let notADigitRule: NotADigitRule
    private let idle: Mutex<[Network]>

    /// Builds the predictor from a model file's tensors; throws if they do not make a network.
    init(version: String, weights: SafeTensors, path: String?) throws {
        let first = try ModelFile.decode(weights, path: path)
        guard first.inputFeatures == 784, first.outputFeatures == 10 else {
            throw ModelFileError(path: path, problem: "the model takes \(first.inputFeatures) inputs and gives \(first.outputFeatures) "
                + "outputs; the studio needs a 28×28 (784-input), 10-class digit model")
        }
        self.version = version
        self.weights = weights
        self.architecture = first.summary
        self.parameterCount = first.parameterCount
        self.notADigitRule = DrawingReader.rule(metadata: weights.metadata)
        self.idle = Mutex([first])
    }

    /// What this version makes of a drawing (`DrawingReader.read`, on a network borrowed from the pool).
    func read(_ drawing: Drawing) -> DrawingReading {
        let network = borrow()
        defer { giveBack(network) }
        return DrawingReader.read(drawing, with: network, rule: notADigitRule)
    }

    /// What this version makes of a drawing of a number (`NumberReader.read`).
    func readNumber(_ drawing: Drawing) -> NumberReading {
        let network = borrow()
        defer { giveBack(network) }
        return NumberReader.read(drawing, with: network, rule: notADigitRule)
    }

    /// A network of its own, for training or evaluation (not taken from the pool).
    func makeNetwork() -> Network {
        // The tensors were decoded once in `init`, so decoding again cannot fail.
        try! ModelFile.decode(weights, path: nil)
    }

    private func borrow() -> Network {
        if let network = idle.withLock({ $0.popLast() }) { return network }
        return makeNetwork()
    }

    private func giveBack(_ network: Network) {
        idle.withLock { pool in
            if pool.count < 8 { pool.append(network) }
        }
    }
}
