// NewNetworkTraining.swift — a network trained from scratch in the studio (the Train page), like
// `digits train`: the recipe's network and optimizer on MNIST, optionally with the user's samples mixed in,
// then measured on MNIST test and on the held-back samples, and kept as a new version that becomes current
// only when the user says so.
//
// Training runs on one thread, so the server's event loop keeps a core for answering requests.

import DigitsFiles
import FeedbackStore
import Foundation
import NeuralNetwork

/// What training a new network measured. Accuracies are fractions.
public struct NewNetworkResult: Codable, Sendable, Equatable {
    /// Always "new".
    public var kind = "new"
    public var version: String?
    /// The recipe in one line (`TrainingRecipe.summary`) and the preset it started from.
    public var recipe: String
    public var preset: String
    public var parameters: Int
    public var mnistAccuracy: Double
    /// MNIST test accuracy of each digit, and the confusion matrix (row = true digit, column = prediction).
    public var perDigit: [Double]
    public var confusion: [[Int]]
    /// Accuracy on the user's samples that training did not see (the held-back fifth of each digit when
    /// samples were included, else all of them); nil without samples.
    public var samplesAccuracy: Double?
    public var samplesMeasured: Int
    /// Samples mixed into training (before repetition), and the images of one epoch.
    public var trainingSamples: Int
    public var trainingImages: Int
    public var epochs: Int
    public var steps: Int
    public var seconds: Double
}

enum NewNetworkTraining {
    /// Trains, measures and saves; publishes progress, epoch rows and the result on `studio.jobs`.
    static func run(studio: Studio, options: NewNetworkOptions, samples: LabeledImages) async throws -> JobResult? {
        let jobs = studio.jobs
        jobs.publish(.phase("loading MNIST"))
        let mnist = try await runOnOwnThread { try studio.mnist() }
        let (trainingSamples, heldOut) = options.includeSamples && samples.count > 0 ? FineTuning.split(samples) : (LabeledImages(pixels: [], labels: []), samples.count > 0 ? samples : nil)
        var stepRecipe = options.recipe
        if options.steps != nil { stepRecipe.epochs = 1 }
        if options.includeSamples { stepRecipe.samplesWeight = options.samplesWeight }
        let recipe = stepRecipe
        let (training, validation) = recipe.trainingSets(mnist: mnist.train, samples: options.includeSamples ? trainingSamples : nil,
                                                         limit: options.steps.map { $0 * recipe.batchSize })
        let network = try recipe.makeNetwork()
        let trainer = Trainer(network: network, optimizer: recipe.makeOptimizer(), settings: recipe.settings, trainingSet: training,
                              validationSet: validation)
        let augmentation = recipe.augmentationSettings
        if !augmentation.isIdentity { trainer.augmenter = Augmenter(settings: augmentation) }
        let totalSteps = trainer.batchesPerEpoch * recipe.epochs

        jobs.publish(.phase("training"))
        let started = Date()
        let outcome = try await runOnOwnThread { () -> TrainingOutcome in
            var lastPublished = -1.0
            var finishedSeconds = 0.0
            return trainer.run(
                clock: { Date().timeIntervalSince(started) }, shouldStop: { jobs.cancelRequested },
                onBatch: { progress in
                    let now = Date().timeIntervalSince(started)
                    // At most ten events a second (a small network runs hundreds of batches a second).
                    guard now - lastPublished >= 0.1 || progress.batch == progress.batchesPerEpoch else { return }
                    lastPublished = now
                    let step = progress.epoch * progress.batchesPerEpoch + progress.batch
                    let perStep = (finishedSeconds + progress.epochSeconds) / Double(max(step, 1))
                    jobs.publish(.progress(FineTuningProgress(
                        step: step, steps: totalSteps, loss: progress.runningLoss, accuracy: progress.runningAccuracy,
                        epoch: progress.epoch + 1, epochs: recipe.epochs, imagesPerSecond: progress.examplesPerSecond,
                        secondsLeft: perStep * Double(totalSteps - step))))
                },
                onEpoch: { record in
                    finishedSeconds += record.seconds
                    jobs.publish(.epoch(JobEpochRow(epoch: record.epoch, trainLoss: record.trainLoss, trainAccuracy: record.trainAccuracy,
                                                    validationAccuracy: record.validationAccuracy, learningRate: record.learningRate,
                                                    seconds: record.seconds)))
                })
        }
        if outcome != .finished || jobs.cancelRequested { return nil }

        jobs.publish(.phase("evaluating"))
        let (test, samplesEvaluation) = try await runOnOwnThread {
            (network.evaluate(mnist.test), heldOut.map { network.evaluate($0) })
        }
        let perDigit = test.confusion.perClassAccuracy
        jobs.publish(.phase("saving"))
        let points = String(format: "%.2f", test.accuracy * 100)
        let version = try await studio.models.addVersion(
            network, accepted: false, makeCurrent: false, mnistAccuracy: test.accuracy, samplesAccuracy: samplesEvaluation?.accuracy,
            note: "trained here from scratch (\(options.preset) preset: \(recipe.summary)); \(points)% on MNIST test",
            history: trainer.history, stepHistory: trainer.stepHistory, kind: "new", recipe: recipe.json, steps: totalSteps)
        return .newNetwork(NewNetworkResult(
            version: version.name, recipe: recipe.summary, preset: options.preset, parameters: network.parameterCount,
            mnistAccuracy: test.accuracy, perDigit: perDigit, confusion: test.confusion.counts,
            samplesAccuracy: samplesEvaluation?.accuracy, samplesMeasured: heldOut?.count ?? 0,
            trainingSamples: options.includeSamples ? trainingSamples.count : 0, trainingImages: training.count,
            epochs: recipe.epochs, steps: totalSteps, seconds: Date().timeIntervalSince(started)))
    }
}
