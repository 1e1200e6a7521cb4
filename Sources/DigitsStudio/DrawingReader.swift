// DrawingReader.swift — the one path from a drawing to a digit, shared by the studio's endpoints and by
// `digits evaluate --drawings`.
//
// drawing → `Drawing.preprocessed()` (the MNIST pipeline: 28×28 input in [0, 1]) → network → softmax and energy,
// averaged over the input and two copies moved one pixel diagonally (`Network.shiftAveragedReading`) → the digit,
// or "not a digit" by the model's `NotADigitRule`.

import DigitImage
import DigitsFiles
import NeuralNetwork

/// How a model says "not a digit", which follows from how it was trained (`DrawingReader.rule(metadata:)`).
public enum NotADigitRule: String, Sendable, CaseIterable {
    /// Never: a model trained on digits alone is unsure in other ways, so its uncertainty is not used to reject.
    case never
    /// When the entropy of its probabilities is high: a model whose synthetic non-digits were trained towards
    /// the uniform distribution (`NonDigitLoss.uniform`, the default of earlier versions).
    case entropy
    /// When its energy is high: a model trained with an energy margin (`NonDigitLoss.energy`, the default now).
    case energy

    /// Whether this rule ever says "not a digit".
    public var rejects: Bool { self != .never }

    /// The score above which a drawing is "not a digit" — the entropy in nats or the energy — for a drawing
    /// alone, or for an element of a number (`inNumber`), where digits are expected and the bar is higher.
    ///
    /// Chosen on the recorded pen drawings (`scripts/calibrate_not_a_digit.py`; README, "Not a digit"):
    /// - entropy 1.8 nats alone (the default of earlier versions): 0.23–0.41 % of `dev.json`'s digits rejected,
    ///   76–79 % of its letters;
    ///   2.0 in a number (4-digit numbers read exactly 93.4 % of the time against 92.9 % at 1.8);
    /// - energy −7.75 alone: 0.20–0.38 % of the digits rejected and 79.5–83.5 % of the letters (seeds 1–5; at
    ///   −8.0, 0.25–0.47 % and 81.1–85.0 %, the digits read 0.06 points worse; 0.5 % of the digits lies at about
    ///   −8.25); −7.5 in a number (4-digit numbers read exactly 94.4 % of the time, 94.1 % at −8.0 and at −6.5).
    public func threshold(inNumber: Bool) -> Float {
        switch self {
        case .never: return .infinity
        case .entropy: return inNumber ? 2.0 : 1.8
        case .energy: return inNumber ? -7.5 : -7.75
        }
    }

    /// The score this rule compares with its threshold: the entropy of `probabilities` (nats, 0 … log 10) or
    /// the `energy` (−log Σ exp of the logits, averaged over the copies read).
    public func score(probabilities: [Float], energy: Float) -> Float {
        self == .energy ? energy : NeuralNetwork.entropy(probabilities)
    }

    /// True when a drawing read as `probabilities` with `energy` is "not a digit".
    public func isNotADigit(probabilities: [Float], energy: Float, inNumber: Bool = false) -> Bool {
        rejects && score(probabilities: probabilities, energy: energy) > threshold(inNumber: inNumber)
    }

    /// When the rule says "not a digit", in words for reports and the Model page: "when its energy (−log Σ exp
    /// of the logits) is above -7.75".
    public var explanation: String {
        switch self {
        case .never: return "never (the model was not trained for it)"
        case .entropy: return "when the entropy of its probabilities is above \(threshold(inNumber: false)) nats"
        case .energy: return "when its energy (−log Σ exp of the logits) is above \(threshold(inNumber: false))"
        }
    }
}

/// What a network made of one drawing.
public struct DrawingReading: Sendable {
    /// The preprocessing result: the 28×28 input and its stages, or why no digit was found.
    public var result: PreprocessResult
    /// Softmax probabilities of the digits 0–9, averaged over the input and two copies moved one pixel diagonally;
    /// nil when no digit was found.
    public var probabilities: [Float]?
    /// The network's energy, −log Σ exp of its logits, averaged over the same copies; nil when no digit was found.
    public var energy: Float?
    /// How the model says "not a digit" (`NotADigitRule.never` for a model not trained for it).
    public var rule = NotADigitRule.never
    /// Whether the drawing is an element of a number, read by the stricter threshold of `rule`.
    public var inNumber = false

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

    /// True when something was drawn but the model's rule says it is not a digit (`NotADigitRule.isNotADigit`).
    public var isNotADigit: Bool {
        guard let probabilities, let energy else { return false }
        return rule.isNotADigit(probabilities: probabilities, energy: energy, inNumber: inNumber)
    }

    /// The digit read: `likeliest`, or nil when nothing was drawn or it is not a digit.
    public var digit: Int? { isNotADigit ? nil : likeliest }

    /// Why no digit was read, or nil when one was: the preprocessing's reason, or "not a digit".
    public var reason: String? {
        if case .empty(let reason) = result { return reason }
        return isNotADigit ? DrawingReader.notADigitReason : nil
    }
}

public enum DrawingReader {
    /// The `reason` of a drawing that is not a digit.
    public static let notADigitReason = "not a digit"

    /// Reads `drawing` with `network` exactly as `POST /api/predict` does, "not a digit" decided by `rule`
    /// (the stricter threshold for an element of a number when `inNumber`). `network` keeps scratch buffers,
    /// so one network serves one call at a time.
    public static func read(_ drawing: Drawing, with network: Network, rule: NotADigitRule = .never, inNumber: Bool = false) -> DrawingReading {
        let result = drawing.preprocessed()
        let reading = result.digit.map { network.shiftAveragedReading(unitPixels: $0.input) }
        return DrawingReading(result: result, probabilities: reading?.probabilities, energy: reading?.energy, rule: rule, inNumber: inNumber)
    }

    /// How a model file says "not a digit", from its metadata: the rule a retrained version inherited
    /// (`not_a_digit_rule`, or `rejects_non_digits` from versions before the energy rule: the entropy), else
    /// from its recipe: synthetic non-digits (`"nonDigits"` > 0) trained by energy or towards the uniform target.
    public static func rule(metadata: [String: String]) -> NotADigitRule {
        if let name = metadata[ruleKey], let rule = NotADigitRule(rawValue: name) { return rule }
        if metadata[rejectsNonDigitsKey] == "true" { return .entropy }
        guard let json = metadata["recipe"], let recipe = try? TrainingRecipe(json: json), (recipe.nonDigits ?? 0) > 0 else { return .never }
        return recipe.trainsNonDigitsByEnergy ? .energy : .entropy
    }

    /// The metadata entries that keep a model's rule in a retrained version of it.
    public static func metadata(for rule: NotADigitRule) -> [String: String] {
        switch rule {
        case .never: return [:]
        case .entropy: return [ruleKey: rule.rawValue, rejectsNonDigitsKey: "true"]   // earlier versions read the second
        case .energy: return [ruleKey: rule.rawValue]
        }
    }

    /// The metadata key that names a model's rule (kept by the studio's retraining).
    public static let ruleKey = "not_a_digit_rule"
    /// The key with which earlier versions marked a model trained to say "not a digit" by its entropy.
    public static let rejectsNonDigitsKey = "rejects_non_digits"
}
