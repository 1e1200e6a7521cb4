// DrawingReader.swift — the one path from a drawing to a digit, shared by the studio's endpoints and by
// `digits evaluate --drawings`.
//
// drawing → `Drawing.preprocessed()` (the MNIST pipeline: 28×28 input in [0, 1]) → network → softmax.

import DigitImage
import NeuralNetwork

/// What a network made of one drawing.
public struct DrawingReading: Sendable {
    /// The preprocessing result: the 28×28 input and its stages, or why no digit was found.
    public var result: PreprocessResult
    /// Softmax probabilities of the digits 0–9; nil when no digit was found.
    public var probabilities: [Float]?

    /// The most probable digit (the first on ties), or nil when no digit was found.
    public var digit: Int? {
        guard let probabilities else { return nil }
        var best = 0
        for index in probabilities.indices where probabilities[index] > probabilities[best] { best = index }
        return best
    }

    /// The probability of `digit`, or nil when no digit was found.
    public var confidence: Float? { digit.map { probabilities![$0] } }
}

public enum DrawingReader {
    /// Reads `drawing` with `network` exactly as `POST /api/predict` does. `network` keeps scratch buffers,
    /// so one network serves one call at a time.
    public static func read(_ drawing: Drawing, with network: Network) -> DrawingReading {
        let result = drawing.preprocessed()
        return DrawingReading(result: result, probabilities: result.digit.map { network.probabilities(unitPixels: $0.input) })
    }
}
