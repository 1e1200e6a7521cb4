// FineTuning.swift — retraining a model on the user's samples without forgetting MNIST.
//
// Recipe: hold back every fifth sample of each digit to measure the result; make a
// training set of `steps × batchSize` examples of which a quarter are the user's remaining samples
// (repeated as needed) and the rest random MNIST training images; train one pass with SGD + Nesterov
// momentum and a cosine-decayed learning rate, every image mildly distorted (rotation, scale, shift, shear,
// stroke width). Then measure MNIST test accuracy and the held-back samples
// before and after. The new model is accepted only if MNIST accuracy fell by at most 0.3 points.

import DigitImage
import NeuralNetwork

/// The knobs of a fine-tuning run.
public struct FineTuningSettings: Sendable {
    public var steps = FineTuningSettings.defaultSteps
    public var batchSize = 64
    /// The share of each batch that comes from the user's samples.
    public var userShare = 0.25
    public var learningRate = 0.01
    public var seed: UInt64 = 1
    /// The largest drop of MNIST test accuracy (a fraction) that still accepts the new model.
    public var allowedMNISTDrop = 0.003
    /// Mild random distortions of every training image: a few samples are seen many times in a run, and
    /// distorting them keeps the model from learning them by heart.
    public var augmentation = defaultAugmentation
    /// Share of each batch made of synthetic non-digits (label `LabeledImages.notADigit`), so that a model
    /// that says "not a digit" keeps doing so after retraining; 0 for a model that does not.
    public var nonDigitShare = 0.0
    /// How those non-digits are trained: nil, towards the uniform distribution; for a model that says "not a
    /// digit" by its energy, with the energy margin it was trained with (`EnergyMargin.standard`).
    public var energyMargin: EnergyMargin?
    public static let defaultAugmentation = AugmentationSettings(rotationDegrees: 10, scale: 0.1, shiftPixels: 2, shearDegrees: 5, thickness: 0.5)

    /// Steps of a retraining run unless `digits serve --steps` says otherwise.
    public static let defaultSteps = 300
    public static let stepRange = 10...5000

    /// The share of synthetic non-digits in a retraining of a model that says "not a digit".
    public static let nonDigitShareForRejectingModels = 0.1

    public init() {}

    /// These settings as the studio retrains a model with `rule`: a model that says "not a digit" keeps seeing
    /// synthetic non-digits (`nonDigitShareForRejectingModels` of every batch), trained as it was (by their energy
    /// for `NotADigitRule.energy`), one that does not sees none.
    public func forModel(rule: NotADigitRule) -> FineTuningSettings {
        var adjusted = self
        adjusted.nonDigitShare = rule.rejects ? Self.nonDigitShareForRejectingModels : 0
        adjusted.energyMargin = rule == .energy ? .standard : nil
        return adjusted
    }
}

/// What a fine-tuning run measured and decided. Accuracies are fractions.
public struct FineTuningResult: Codable, Sendable, Equatable {
    /// Always "finetune" (a new network's result says "new").
    public var kind = "finetune"
    public var accepted: Bool
    public var reason: String
    public var version: String?
    public var mnistBefore: Double
    public var mnistAfter: Double
    public var heldOut: Int
    public var samplesBefore: Double?
    public var samplesAfter: Double?
    public var trainingSamples: Int
    public var steps: Int
    public var seconds: Double
}

/// A finished fine-tuning run: its result and the trainer's history, saved with the new version so the
/// Model page can draw its curves.
public struct FineTuningRun: Sendable {
    public var result: FineTuningResult
    public var history: [EpochRecord]
    public var stepHistory: [StepRecord]
}

/// One step's figures, for the live progress display.
public struct FineTuningProgress: Codable, Sendable, Equatable {
    public var step: Int
    public var steps: Int
    /// Mean loss and accuracy over the steps so far (of this epoch, for a new network).
    public var loss: Double
    public var accuracy: Double
    /// For a new network: the 1-based epoch in progress and its total.
    public var epoch: Int?
    public var epochs: Int?
    /// Training images per second, and the estimated seconds until training ends.
    public var imagesPerSecond: Double?
    public var secondsLeft: Double?

    public init(step: Int, steps: Int, loss: Double, accuracy: Double, epoch: Int? = nil, epochs: Int? = nil,
                imagesPerSecond: Double? = nil, secondsLeft: Double? = nil) {
        self.step = step
        self.steps = steps
        self.loss = loss
        self.accuracy = accuracy
        self.epoch = epoch
        self.epochs = epochs
        self.imagesPerSecond = imagesPerSecond
        self.secondsLeft = secondsLeft
    }
}

public enum FineTuning {
    /// Splits samples (oldest first) into training and held-back sets: of each digit, every fifth sample
    /// is held back (the 5th, 10th, … of that digit), so the split is stable as samples are added and no
    /// digit is held back entirely. Counting over all samples instead would hold back every 4 and 9 of a
    /// person who saves 0…9 twice in order, and the retraining would never see them.
    static func split(_ samples: LabeledImages) -> (training: LabeledImages, heldOut: LabeledImages?) {
        var seen = [UInt8: Int]()
        var trainIndices: [Int] = [], heldIndices: [Int] = []
        for index in 0..<samples.count {
            let label = samples.labels[index]
            seen[label, default: 0] += 1
            if seen[label]! % 5 == 0 { heldIndices.append(index) } else { trainIndices.append(index) }
        }
        guard !heldIndices.isEmpty else { return (samples, nil) }
        return (samples.gathering(trainIndices), samples.gathering(heldIndices))
    }

    /// The mixed training set: `count` examples, `userShare` of them from `user` (cycling through it in a
    /// shuffled order), the rest drawn at random from `mnist`, all in random order.
    static func mixedSet(user: LabeledImages, mnist: LabeledImages, count: Int, userShare: Double,
                         generator: inout SeededGenerator) -> LabeledImages {
        let userCount = min(count, max(1, Int((Double(count) * userShare).rounded())))
        var pixels: [UInt8] = []
        var labels: [UInt8] = []
        pixels.reserveCapacity(count * user.featureCount)
        labels.reserveCapacity(count)
        var userOrder = generator.permutation(user.count)
        for index in 0..<userCount {
            if index > 0 && index % user.count == 0 { userOrder = generator.permutation(user.count) }
            let pick = userOrder[index % user.count]
            pixels += user.image(pick)
            labels.append(user.labels[pick])
        }
        for _ in userCount..<count {
            let pick = Int(generator.next() % UInt64(mnist.count))
            pixels += mnist.image(pick)
            labels.append(mnist.labels[pick])
        }
        return LabeledImages(pixels: pixels, labels: labels)
    }

    /// Fine-tunes `network` in place on `samples` mixed with `mnist.train` and reports before/after figures.
    /// Returns nil when `shouldStop` ended it early. Runs on the calling thread (one core).
    public static func run(network: Network, samples: LabeledImages, mnist: (train: LabeledImages, test: LabeledImages),
                    settings: FineTuningSettings, clock: () -> Double, shouldStop: () -> Bool,
                    onPhase: (String) -> Void, onProgress: (FineTuningProgress) -> Void) -> FineTuningRun? {
        let start = clock()
        onPhase("evaluating")
        let (training, heldOut) = split(samples)
        let mnistBefore = network.evaluate(mnist.test).accuracy
        let samplesBefore = heldOut.map { network.evaluate($0).accuracy }

        onPhase("training")
        var generator = SeededGenerator(seed: settings.seed, stream: 2000)
        let total = settings.steps * settings.batchSize
        let nonDigitCount = Int((settings.nonDigitShare * Double(total)).rounded())
        var mixed = mixedSet(user: training, mnist: mnist.train, count: total - nonDigitCount,
                             userShare: settings.userShare / (1 - settings.nonDigitShare), generator: &generator)
        if nonDigitCount > 0 {
            var synthesis = SeededGenerator(seed: settings.seed, stream: 2001)
            let pixels = NonDigitSynthesizer().images(count: nonDigitCount, generator: &synthesis)
            mixed = mixed.appendingRepeated(LabeledImages(pixels: pixels, labels: [UInt8](repeating: LabeledImages.notADigit, count: nonDigitCount)),
                                            share: Double(nonDigitCount) / Double(total))
        }
        let trainer = Trainer(
            network: network, optimizer: SGD(momentum: 0.9, nesterov: true),
            settings: TrainingSettings(epochs: 1, batchSize: settings.batchSize, learningRate: settings.learningRate,
                                       schedule: .cosine(warmupSteps: 0, floor: 0), seed: settings.seed,
                                       energyMargin: settings.energyMargin),
            trainingSet: mixed)
        if !settings.augmentation.isIdentity { trainer.augmenter = Augmenter(settings: settings.augmentation) }
        let outcome = trainer.run(clock: clock, shouldStop: shouldStop, onBatch: { progress in
            onProgress(FineTuningProgress(step: progress.batch, steps: progress.batchesPerEpoch,
                                          loss: progress.runningLoss, accuracy: progress.runningAccuracy))
        })
        if outcome != .finished || shouldStop() { return nil }

        onPhase("evaluating")
        let mnistAfter = network.evaluate(mnist.test).accuracy
        let samplesAfter = heldOut.map { network.evaluate($0).accuracy }
        let drop = mnistBefore - mnistAfter
        let accepted = drop <= settings.allowedMNISTDrop + 1e-12
        let points = { (value: Double) in String(format: "%.2f", value * 100) }
        let reason = accepted
            ? "MNIST test accuracy went from \(points(mnistBefore))% to \(points(mnistAfter))%, within the allowed drop of \(points(settings.allowedMNISTDrop)) points"
            : "kept aside: MNIST test accuracy fell from \(points(mnistBefore))% to \(points(mnistAfter))%, more than the allowed \(points(settings.allowedMNISTDrop)) points"
        let result = FineTuningResult(
            accepted: accepted, reason: reason, version: nil, mnistBefore: mnistBefore, mnistAfter: mnistAfter,
            heldOut: heldOut?.count ?? 0, samplesBefore: samplesBefore, samplesAfter: samplesAfter,
            trainingSamples: training.count, steps: settings.steps, seconds: clock() - start)
        return FineTuningRun(result: result, history: trainer.history, stepHistory: trainer.stepHistory)
    }
}
