// Checkpoint.swift — everything needed to continue training exactly where it stopped.
//
// A checkpoint is a model file (same tensors, format "digits-checkpoint") plus:
//   tensors  optimizer.{name}    the optimizer's state arrays (momentum velocities, Adam moments)
//   metadata recipe              JSON of the training recipe (layers, optimizer, rates, schedule, seed, …)
//            position            JSON of epoch, batch within the epoch, optimizer step, running sums
//            generator           the dropout generator's four state words
//            history             JSON list of finished epochs
// Resuming restores all of it, so the continued run ends with the same weights, bit for bit, as a run
// that was never interrupted.

import Foundation
import NeuralNetwork

/// The saved state of a training run.
public struct Checkpoint {
    public static let format = "digits-checkpoint"

    public var network: Network
    /// The recipe as JSON text (owned by the command line, which knows its fields).
    public var recipe: String
    public var optimizerState: [String: [Float]]
    public var optimizerSteps: Int
    public var position: TrainingPosition
    public var generator: SeededGenerator
    public var history: [EpochRecord]
    public var stepHistory: [StepRecord]

    public init(network: Network, recipe: String, optimizerState: [String: [Float]], optimizerSteps: Int,
                position: TrainingPosition, generator: SeededGenerator, history: [EpochRecord], stepHistory: [StepRecord] = []) {
        self.network = network
        self.recipe = recipe
        self.optimizerState = optimizerState
        self.optimizerSteps = optimizerSteps
        self.position = position
        self.generator = generator
        self.history = history
        self.stepHistory = stepHistory
    }

    /// Writes the checkpoint atomically.
    public func write(to path: String) throws {
        var file = ModelFile.encode(network, metadata: [:], format: Self.format)
        for (name, values) in optimizerState {
            file.tensors["optimizer.\(name)"] = SafeTensors.Tensor(shape: [values.count], values: values)
        }
        file.metadata["recipe"] = recipe
        file.metadata["optimizer_steps"] = String(optimizerSteps)
        file.metadata["position"] = ModelFile.json([
            "epoch": position.epoch, "batch_in_epoch": position.batchInEpoch, "step": position.step,
            // Doubles as their shortest exact decimal text, so they round-trip bit for bit.
            "epoch_loss_sum": String(position.epochLossSum), "epoch_correct": position.epochCorrect,
            "epoch_seen": position.epochSeen, "epoch_seconds": String(position.epochSeconds),
        ])
        file.metadata["generator"] = generator.stateWords.map(String.init).joined(separator: " ")
        file.metadata.merge(TrainingHistoryMetadata.entries(history: history, stepHistory: stepHistory)) { _, new in new }
        try file.write(to: path)
    }

    /// Reads a checkpoint written by `write(to:)`.
    public static func read(path: String) throws -> Checkpoint {
        let file = try SafeTensors.read(path: path)
        func fail(_ problem: String) -> ModelFileError { ModelFileError(path: path, problem: problem) }
        guard file.metadata["format"] == format else {
            if file.metadata["format"] == ModelFile.format {
                throw fail("this is a finished model, not a checkpoint; to train further, start a new run (checkpoints are written with --checkpoint or on Ctrl-C)")
            }
            throw fail("not a digits checkpoint (format \"\(file.metadata["format"] ?? "missing")\")")
        }
        var modelTensors = file
        modelTensors.tensors = file.tensors.filter { !$0.key.hasPrefix("optimizer.") }
        let network = try ModelFile.decode(modelTensors, path: path, acceptedFormats: [format])
        var optimizerState: [String: [Float]] = [:]
        for (name, tensor) in file.tensors where name.hasPrefix("optimizer.") {
            optimizerState[String(name.dropFirst("optimizer.".count))] = tensor.values
        }
        guard let recipe = file.metadata["recipe"] else { throw fail("checkpoint lacks its training recipe") }
        guard let stepsText = file.metadata["optimizer_steps"], let steps = Int(stepsText), steps >= 0 else {
            throw fail("checkpoint lacks a valid optimizer step count")
        }
        guard let positionText = file.metadata["position"],
              let object = try? JSONSerialization.jsonObject(with: Data(positionText.utf8)) as? [String: Any],
              let epoch = object["epoch"] as? Int, let batch = object["batch_in_epoch"] as? Int, let step = object["step"] as? Int,
              let lossText = object["epoch_loss_sum"] as? String, let lossSum = Double(lossText),
              let correct = object["epoch_correct"] as? Int, let seen = object["epoch_seen"] as? Int,
              let secondsText = object["epoch_seconds"] as? String, let seconds = Double(secondsText),
              epoch >= 0, batch >= 0, step >= 0, seen >= 0, correct >= 0
        else { throw fail("checkpoint has no valid training position") }
        var position = TrainingPosition()
        position.epoch = epoch
        position.batchInEpoch = batch
        position.step = step
        position.epochLossSum = lossSum
        position.epochCorrect = correct
        position.epochSeen = seen
        position.epochSeconds = seconds
        let words = (file.metadata["generator"] ?? "").split(separator: " ").compactMap { UInt64($0) }
        guard words.count == 4, words.contains(where: { $0 != 0 }) else { throw fail("checkpoint has no valid random-generator state") }
        guard let history = TrainingHistoryMetadata.history(in: file.metadata) else { throw fail("checkpoint has no valid training history") }
        // Checkpoints from before step records have none; the run goes on without the early windows.
        let stepHistory = TrainingHistoryMetadata.stepHistory(in: file.metadata)
        return Checkpoint(network: network, recipe: recipe, optimizerState: optimizerState, optimizerSteps: steps,
                          position: position, generator: SeededGenerator(state: words), history: history, stepHistory: stepHistory)
    }
}
