// DrawingReader.swift — the one path from a drawing to a digit, shared by the studio's endpoints and by
// `digits evaluate --drawings`.
//
// drawing → `Drawing.preprocessed()` (the MNIST pipeline: 28×28 input in [0, 1]) → network → softmax, averaged
// over the input and two copies moved one pixel diagonally (`Network.shiftAveragedProbabilities`).

import DigitImage
import DigitsFiles
import NeuralNetwork

/// What a network made of one drawing.
public struct DrawingReading: Sendable {
    /// The preprocessing result: the 28×28 input and its stages, or why no digit was found.
    public var result: PreprocessResult
    /// Softmax probabilities of the digits 0–9, averaged over the input and two copies moved one pixel diagonally;
    /// nil when no digit was found.
    public var probabilities: [Float]?
    /// Whether the model was trained to say "not a digit" (`DrawingReader.rejectsNonDigits`); a model that was
    /// not is unsure in other ways, so its uncertainty is not used to reject.
    public var rejectsNonDigits = false
    /// The entropy (nats) above which it is "not a digit": `DrawingReader.notADigitAbove` for a drawing alone,
    /// `DrawingReader.notADigitInNumberAbove` for an element of a number.
    public var notADigitAbove: Float = DrawingReader.notADigitAbove

    /// The most probable digit (the first on ties), whether or not it is probable enough to be read; nil
    /// when no drawing was found.
    public var likeliest: Int? {
        guard let probabilities else { return nil }
        var best = 0
        for index in probabilities.indices where probabilities[index] > probabilities[best] { best = index }
        return best
    }

    /// The probability of `likeliest`, or nil when no drawing was found.
    public var confidence: Float? { likeliest.map { probabilities![$0] } }

    /// How unsure the network is: the entropy of its probabilities in nats, from 0 (sure of one digit) to
    /// log 10 ≈ 2.30 (all ten equally likely); nil when no drawing was found.
    public var uncertainty: Float? { probabilities.map(entropy) }

    /// True when something was drawn but the network is too unsure of every digit to read it as one
    /// (`DrawingReader.isNotADigit`).
    public var isNotADigit: Bool { rejectsNonDigits && (uncertainty.map { $0 > notADigitAbove } ?? false) }

    /// The digit read: `likeliest`, or nil when nothing was drawn or it is not a digit.
    public var digit: Int? { isNotADigit ? nil : likeliest }

    /// Why no digit was read, or nil when one was: the preprocessing's reason, or "not a digit".
    public var reason: String? {
        if case .empty(let reason) = result { return reason }
        return isNotADigit ? DrawingReader.notADigitReason : nil
    }
}

public enum DrawingReader {
    /// A drawing whose probabilities have an entropy above this (nats) is "not a digit". Chosen on the
    /// recorded pen drawings with `scripts/calibrate_not_a_digit.py` (at most 0.5 % of real digits and 0.2 %
    /// of MNIST test rejected): see the README's "Not a digit" section for the measurement behind the value.
    /// The entropy separated letters and symbols from digits better than the largest probability did.
    public static let notADigitAbove: Float = 1.8
    /// The same rule for an element of a number: in a number the elements are expected to be digits, so only
    /// a network even less sure (2.0 nats) calls one "?". Chosen on numbers composed from `dev.json`: at 1.8,
    /// 92.9% of 4-digit numbers were read exactly and 97.85% of their digits; at 2.0, 93.4% and 98.05%.
    public static let notADigitInNumberAbove: Float = 2.0

    /// The rule: too unsure of every digit, `entropy(probabilities) > notADigitAbove`.
    public static func isNotADigit(_ probabilities: [Float]) -> Bool {
        entropy(probabilities) > notADigitAbove
    }
    /// The `reason` of a drawing that is not a digit.
    public static let notADigitReason = "not a digit"

    /// Reads `drawing` with `network` exactly as `POST /api/predict` does; `rejectingNonDigits` applies the
    /// "not a digit" rule (for a model trained for it). `network` keeps scratch buffers, so one network serves
    /// one call at a time.
    public static func read(_ drawing: Drawing, with network: Network, rejectingNonDigits: Bool = false,
                            notADigitAbove: Float = DrawingReader.notADigitAbove) -> DrawingReading {
        let result = drawing.preprocessed()
        return DrawingReading(result: result, probabilities: result.digit.map { network.shiftAveragedProbabilities(unitPixels: $0.input) },
                              rejectsNonDigits: rejectingNonDigits, notADigitAbove: notADigitAbove)
    }

    /// Whether a model file's metadata says it was trained to be unsure of non-digits: its recipe mixed in
    /// synthetic non-digits (`"nonDigits"` > 0), or it descends from such a model (`rejects_non_digits`).
    public static func rejectsNonDigits(metadata: [String: String]) -> Bool {
        if metadata[rejectsNonDigitsKey] == "true" { return true }
        guard let json = metadata["recipe"], let recipe = try? TrainingRecipe(json: json) else { return false }
        return (recipe.nonDigits ?? 0) > 0
    }

    /// The metadata key that marks a model as trained to say "not a digit" (kept by the studio's retraining).
    public static let rejectsNonDigitsKey = "rejects_non_digits"
}
