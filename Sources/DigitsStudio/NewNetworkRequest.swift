// NewNetworkRequest.swift — the body of `POST /api/training`: a retraining (`"kind": "finetune"`, the
// default) or a new network trained from scratch (`"kind": "new"`), checked field by field.
//
// A new network starts from a preset (`"preset": "mlp"`, default "default") or an architecture, and any
// other field overrides the preset, like the options of `digits train`.

import DigitsFiles
import Foundation
import NeuralNetwork

/// What `POST /api/training` asked for.
enum TrainingRequest: Sendable {
    /// Retrain the current model on the saved samples; nil steps: the studio's default.
    case fineTune(steps: Int?)
    case newNetwork(NewNetworkOptions)
}

/// A new network's recipe and how the user's samples take part.
struct NewNetworkOptions: Sendable {
    var recipe: TrainingRecipe
    /// The preset it started from.
    var preset: String
    /// When set, training is one pass over `steps × batchSize` MNIST images (a seeded random subset)
    /// instead of `recipe.epochs` whole epochs.
    var steps: Int?
    /// Whether the saved samples (all but the held-back fifth of each digit) join the training set.
    var includeSamples: Bool
    /// The share of the training set that the samples make up (repeated as needed), 0 < weight ≤ 0.5.
    var samplesWeight: Double

    static let defaultSamplesWeight = 0.05
    static let maximumParameters = 20_000_000
    static let epochRange = 1...100
    static let batchSizeRange = 1...1024
    static let validationRange = 0...10_000

    /// Parameters and multiply-adds per image of the recipe's network.
    var cost: NetworkArchitecture.Cost {
        // Checked when the options were read, so this cannot fail.
        (try? NetworkArchitecture(parsing: recipe.architectureText).cost()) ?? NetworkArchitecture.Cost(parameters: 0, multiplyAdds: 0)
    }
}

extension TrainingRequest {
    static let newFields: Set<String> = ["kind", "preset", "architecture", "epochs", "steps", "learningRate", "optimizer", "batchSize",
                                         "augment", "includeSamples", "samplesWeight", "validation", "seed"]

    /// Reads the body (empty means a retraining with the default steps). Errors are 400 (malformed, wrong
    /// type, out of range) or 422 (an architecture that does not parse, does not fit 28×28 digits, or is too
    /// large), each saying what to change.
    static func parse(_ data: Data) throws -> TrainingRequest {
        guard !data.isEmpty else { return .fineTune(steps: nil) }
        let json: JSONValue
        do {
            json = try JSONReader.parse([UInt8](data))
        } catch let error as JSONSyntaxError {
            throw StudioError(.badRequest, error.description)
        }
        guard case .object(let fields) = json else {
            throw StudioError(.badRequest, "the body must be a JSON object like {\"kind\": \"new\", \"preset\": \"mlp\"} or {\"steps\": 300}, not \(json.typeName)")
        }
        let kind = try string(fields["kind"], "kind") ?? "finetune"
        switch kind {
        case "finetune":
            try rejectUnknown(fields, allowed: ["kind", "steps"], kind: kind)
            guard let value = fields["steps"], value != .null else { return .fineTune(steps: nil) }
            let steps = try integer(value, "steps")
            guard FineTuningSettings.stepRange.contains(steps) else {
                throw StudioError(.badRequest, "steps is \(steps); it must be from \(FineTuningSettings.stepRange.lowerBound) to \(FineTuningSettings.stepRange.upperBound)")
            }
            return .fineTune(steps: steps)
        case "new":
            try rejectUnknown(fields, allowed: newFields, kind: kind)
            return .newNetwork(try newNetwork(fields))
        default:
            throw StudioError(.badRequest, "kind is \"\(kind)\"; it must be \"new\" (train a network from scratch) or \"finetune\" (retrain the current model on your samples)")
        }
    }

    private static func newNetwork(_ fields: [String: JSONValue]) throws -> NewNetworkOptions {
        let preset = try string(fields["preset"], "preset") ?? "default"
        guard var recipe = TrainingRecipe.presets[preset] else {
            throw StudioError(.badRequest, "unknown preset \"\(preset)\"; choose one of \(TrainingRecipe.presets.keys.sorted().joined(separator: ", "))")
        }
        if let text = try string(fields["architecture"], "architecture") {
            // Read here; checked with the rest of the recipe below (`checkArchitecture`: 28×28 in, dense10 out, the size limit).
            do { recipe.architecture = try NetworkArchitecture(parsing: text) } catch {
                throw StudioError(.unprocessableContent, "architecture: \(error.description)")
            }
        }
        if fields["epochs"] != nil && fields["steps"] != nil && fields["epochs"] != .null && fields["steps"] != .null {
            throw StudioError(.badRequest, "give epochs or steps, not both")
        }
        if let value = fields["epochs"], value != .null {
            let epochs = try integer(value, "epochs")
            guard NewNetworkOptions.epochRange.contains(epochs) else {
                throw StudioError(.badRequest, "epochs is \(epochs); it must be from \(NewNetworkOptions.epochRange.lowerBound) to \(NewNetworkOptions.epochRange.upperBound)")
            }
            recipe.epochs = epochs
        }
        if let value = fields["learningRate"], value != .null {
            guard case .number(let rate) = value else { throw StudioError(.badRequest, "learningRate must be a number, not \(value.typeName)") }
            guard rate.isFinite, rate > 0, rate <= 10 else {
                throw StudioError(.badRequest, "learningRate is \(rate); it must be a positive number up to 10 (0.001–0.1 is usual)")
            }
            recipe.learningRate = rate
        }
        if let optimizer = try string(fields["optimizer"], "optimizer") {
            guard let kind = OptimizerKind(rawValue: optimizer) else {
                throw StudioError(.badRequest, "optimizer is \"\(optimizer)\"; it must be one of \(TrainingRecipe.optimizers.joined(separator: ", "))")
            }
            recipe.optimizer = kind
        }
        if let value = fields["batchSize"], value != .null {
            let size = try integer(value, "batchSize")
            guard NewNetworkOptions.batchSizeRange.contains(size) else {
                throw StudioError(.badRequest, "batchSize is \(size); it must be from 1 to \(NewNetworkOptions.batchSizeRange.upperBound)")
            }
            recipe.batchSize = size
        }
        if let augment = try string(fields["augment"], "augment") {
            if augment.lowercased() == "none" || augment.isEmpty {
                recipe.augmentation = nil
            } else {
                do { _ = try AugmentationSettings(specification: augment) } catch {
                    throw StudioError(.badRequest, "augment: \(error)")
                }
                recipe.augmentation = augment
            }
        }
        if let value = fields["validation"], value != .null {
            let count = try integer(value, "validation")
            guard NewNetworkOptions.validationRange.contains(count) else {
                throw StudioError(.badRequest, "validation is \(count); it must be from 0 to \(NewNetworkOptions.validationRange.upperBound) MNIST training images")
            }
            recipe.validation = count
        }
        if let value = fields["seed"], value != .null {
            let seed = try integer(value, "seed")
            guard seed >= 0 else { throw StudioError(.badRequest, "seed is \(seed); it must be a whole number ≥ 0") }
            recipe.seed = UInt64(seed)
        }
        var steps: Int?
        if let value = fields["steps"], value != .null {
            let count = try integer(value, "steps")
            let batch = max(recipe.batchSize, 1)
            let available = 60_000 - recipe.validation
            guard count >= 1, count * batch <= available else {
                throw StudioError(.badRequest, "steps is \(count); with batchSize \(batch) it must be from 1 to \(available / batch) "
                    + "(one pass over the \(available) training images); for more, give epochs instead")
            }
            steps = count
        }
        var includeSamples = false
        if let value = fields["includeSamples"], value != .null {
            guard case .bool(let flag) = value else { throw StudioError(.badRequest, "includeSamples must be true or false, not \(value.typeName)") }
            includeSamples = flag
        }
        var weight = NewNetworkOptions.defaultSamplesWeight
        if let value = fields["samplesWeight"], value != .null {
            guard case .number(let number) = value else { throw StudioError(.badRequest, "samplesWeight must be a number, not \(value.typeName)") }
            guard number.isFinite, number > 0, number <= 0.5 else {
                throw StudioError(.badRequest, "samplesWeight is \(number); it is the share of the training set made of your samples, "
                    + "more than 0 and at most 0.5 (0.05 = 5 %)")
            }
            weight = number
        }
        // The full batch (0) of some presets is not offered: it needs the whole training set in memory at once.
        if recipe.batchSize == 0 { recipe.batchSize = 128 }
        try checkArchitecture(recipe.architectureText)
        do { try recipe.validate() } catch {
            throw StudioError(.badRequest, error.description)
        }
        return NewNetworkOptions(recipe: recipe, preset: preset, steps: steps, includeSamples: includeSamples, samplesWeight: weight)
    }

    /// Parses `text` and checks it reads 28×28 images into 10 digits within the parameter limit; returns the
    /// cost. 422 with the message `--architecture` gives.
    @discardableResult
    static func checkArchitecture(_ text: String) throws -> NetworkArchitecture.Cost {
        let parsed: NetworkArchitecture
        let cost: NetworkArchitecture.Cost
        do {
            parsed = try NetworkArchitecture(parsing: text)
            cost = try parsed.cost()
        } catch {
            throw StudioError(.unprocessableContent, "architecture: \(error.description)")
        }
        guard case .dense(10) = parsed.tokens.last else {
            throw StudioError(.unprocessableContent, "architecture must end with dense10 (one output per digit), found \"\(parsed.tokens.last.map { NetworkArchitecture(tokens: [$0]).description } ?? "")\"")
        }
        guard cost.parameters <= NewNetworkOptions.maximumParameters else {
            throw StudioError(.unprocessableContent, "architecture has \(cost.parameters) parameters; the studio trains at most \(NewNetworkOptions.maximumParameters) "
                + "(make layers narrower, or add pooling before dense layers)")
        }
        return cost
    }

    private static func rejectUnknown(_ fields: [String: JSONValue], allowed: Set<String>, kind: String) throws {
        let unknown = fields.keys.filter { !allowed.contains($0) }.sorted()
        guard unknown.isEmpty else {
            throw StudioError(.badRequest, "unknown field\(unknown.count == 1 ? "" : "s") " + unknown.map { "\"\($0)\"" }.joined(separator: ", ")
                + " for kind \"\(kind)\"; it takes " + allowed.sorted().map { "\"\($0)\"" }.joined(separator: ", "))
        }
    }

    private static func string(_ value: JSONValue?, _ name: String) throws -> String? {
        guard let value, value != .null else { return nil }
        guard case .string(let text) = value else { throw StudioError(.badRequest, "\(name) must be a string, not \(value.typeName)") }
        return text
    }

    private static func integer(_ value: JSONValue, _ name: String) throws -> Int {
        try DrawingRequest.wholeNumber(value, name)
    }
}
