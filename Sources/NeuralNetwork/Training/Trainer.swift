// Trainer.swift — the training loop: shuffle, batch, forward, loss, backward, update; epoch after epoch.
//
// Everything random is derived from `settings.seed`: the shuffle of epoch e comes from its own stream
// (so it can be recreated on resume without replaying earlier epochs) and dropout draws from
// `generator`, whose state is saved in checkpoints. Resuming from a checkpoint therefore continues the
// exact same sequence of updates as a run that was never interrupted.

/// What to train for and how.
public struct TrainingSettings: Sendable, Equatable {
    /// Total number of passes over the training set.
    public var epochs: Int
    /// Examples per optimizer step; 0 means the whole training set (full-batch gradient descent).
    public var batchSize: Int
    /// The base learning rate η₀.
    public var learningRate: Double
    public var schedule: LearningRateSchedule
    public var seed: UInt64
    /// How examples of no class (`LabeledImages.notADigit`) are trained: nil, towards the uniform distribution
    /// (`SoftmaxCrossEntropy`); otherwise by their energy (`EnergyMargin`), every example of a class adding its margin.
    public var energyMargin: EnergyMargin?

    public init(epochs: Int, batchSize: Int, learningRate: Double, schedule: LearningRateSchedule = .constant, seed: UInt64 = 1,
                energyMargin: EnergyMargin? = nil) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.schedule = schedule
        self.seed = seed
        self.energyMargin = energyMargin
    }
}

/// Where training stands, and the running sums of the epoch in progress.
public struct TrainingPosition: Sendable, Equatable {
    /// Completed epochs.
    public var epoch = 0
    /// Completed batches of the epoch in progress (0 at an epoch boundary).
    public var batchInEpoch = 0
    /// Optimizer steps taken since the start of training.
    public var step = 0
    /// Sum of per-example losses, correct predictions and examples seen in the epoch in progress.
    public var epochLossSum = 0.0
    public var epochCorrect = 0
    public var epochSeen = 0
    /// Seconds spent so far on the epoch in progress.
    public var epochSeconds = 0.0

    public init() {}
}

/// The summary of one finished epoch.
public struct EpochRecord: Sendable, Equatable, Codable {
    public var epoch: Int
    public var trainLoss: Double
    public var trainAccuracy: Double
    public var validationLoss: Double?
    public var validationAccuracy: Double?
    public var learningRate: Double
    public var seconds: Double

    public init(epoch: Int, trainLoss: Double, trainAccuracy: Double, validationLoss: Double?, validationAccuracy: Double?, learningRate: Double, seconds: Double) {
        self.epoch = epoch
        self.trainLoss = trainLoss
        self.trainAccuracy = trainAccuracy
        self.validationLoss = validationLoss
        self.validationAccuracy = validationAccuracy
        self.learningRate = learningRate
        self.seconds = seconds
    }
}

/// Mean training loss and accuracy over a window of optimizer steps: the fine-grained curve of a run
/// (about `Trainer.stepRecordsPerRun` windows per run, so short runs have a curve too).
public struct StepRecord: Sendable, Equatable, Codable {
    /// Optimizer steps done at the end of the window (1-based).
    public var step: Int
    /// Epochs done at the end of the window, e.g. 1.5 halfway through the second epoch.
    public var epoch: Double
    public var trainLoss: Double
    public var trainAccuracy: Double
    public var learningRate: Double

    public init(step: Int, epoch: Double, trainLoss: Double, trainAccuracy: Double, learningRate: Double) {
        self.step = step
        self.epoch = epoch
        self.trainLoss = trainLoss
        self.trainAccuracy = trainAccuracy
        self.learningRate = learningRate
    }
}

/// Progress within an epoch, reported after every batch.
public struct BatchProgress: Sendable {
    public var epoch: Int           // 0-based epoch in progress
    public var batch: Int           // batches completed in this epoch
    public var batchesPerEpoch: Int
    public var runningLoss: Double  // mean loss over the epoch so far
    public var runningAccuracy: Double
    public var examplesPerSecond: Double
    public var epochSeconds: Double
}

/// How a call to `Trainer.run` ended.
public enum TrainingOutcome: Sendable, Equatable {
    case finished
    /// Stopped early at the caller's request, after a whole batch; `position` says where.
    case interrupted
}

/// Trains a network on a labeled set with an optimizer and a learning-rate schedule.
public final class Trainer {
    public let network: Network
    public let optimizer: Optimizer
    public let settings: TrainingSettings
    public let trainingSet: LabeledImages
    public let validationSet: LabeledImages?
    public let workers: WorkerThreads?
    /// The generator for dropout masks; saved in checkpoints.
    public var generator: SeededGenerator
    public var position = TrainingPosition()
    public var history: [EpochRecord] = []
    /// The step windows recorded so far (saved in checkpoints and model files with `history`).
    public var stepHistory: [StepRecord] = []
    /// Windows per run: a window is max(1, total steps / this) optimizer steps.
    public static let stepRecordsPerRun = 200
    private var window = (lossSum: 0.0, correct: 0, seen: 0)
    /// Rows per forward/backward pass; larger batches are processed in chunks of this many rows and
    /// their gradients summed, which keeps full-batch training within a small memory budget.
    public var chunkRows = 1024
    /// Random distortions applied to every training image as it is loaded (nil: the images as they are).
    /// Each image's distortion comes from its own generator, seeded by the seed, the optimizer step and
    /// the image's row in the batch, so runs and resumed runs are reproducible and threads never share one.
    public var augmenter: Augmenter?

    private var batch = Matrix(rows: 0, columns: 0)
    private var logitsGradient = Matrix(rows: 0, columns: 0)
    private var batchLabels = [UInt8]()

    public init(network: Network, optimizer: Optimizer, settings: TrainingSettings, trainingSet: LabeledImages,
                validationSet: LabeledImages? = nil, workers: WorkerThreads? = nil) {
        precondition(trainingSet.count > 0, "the training set is empty")
        self.network = network
        self.optimizer = optimizer
        self.settings = settings
        self.trainingSet = trainingSet
        self.validationSet = validationSet
        self.workers = workers
        self.generator = SeededGenerator(seed: settings.seed, stream: 1)
    }

    /// Examples per step (the whole set for full-batch training).
    public var effectiveBatchSize: Int {
        settings.batchSize == 0 ? trainingSet.count : min(settings.batchSize, trainingSet.count)
    }

    /// Optimizer steps per epoch (the last batch may be smaller).
    public var batchesPerEpoch: Int { (trainingSet.count + effectiveBatchSize - 1) / effectiveBatchSize }

    /// The order in which epoch `epoch` visits the training set.
    public func shuffledOrder(epoch: Int) -> [Int] {
        var shuffler = SeededGenerator(seed: settings.seed, stream: 1_000 + UInt64(epoch))
        return shuffler.permutation(trainingSet.count)
    }

    /// The learning rate for optimizer step `step`.
    public func learningRate(step: Int) -> Double {
        settings.schedule.rate(base: settings.learningRate, step: step, totalSteps: settings.epochs * batchesPerEpoch, stepsPerEpoch: batchesPerEpoch)
    }

    /// Trains until `settings.epochs` epochs are complete or `shouldStop` returns true after a batch.
    /// - Parameters:
    ///   - clock: seconds from an arbitrary origin (the engine does no I/O, so the caller supplies time).
    ///   - onBatch: called after every batch.
    ///   - onEpoch: called after every epoch with its summary (validation included).
    public func run(clock: () -> Double, shouldStop: () -> Bool = { false },
                    onBatch: (BatchProgress) -> Void = { _ in }, onEpoch: (EpochRecord) -> Void = { _ in }) -> TrainingOutcome {
        let perEpoch = batchesPerEpoch
        let size = effectiveBatchSize
        while position.epoch < settings.epochs {
            let order = shuffledOrder(epoch: position.epoch)
            var batchStart = clock()
            while position.batchInEpoch < perEpoch {
                let first = position.batchInEpoch * size
                let indices = order[first..<min(first + size, order.count)]
                let (lossSum, correct) = trainStep(indices)
                recordStep(lossSum: lossSum, correct: correct, seen: indices.count, batchesPerEpoch: perEpoch)
                position.batchInEpoch += 1
                position.epochLossSum += lossSum
                position.epochCorrect += correct
                position.epochSeen += indices.count
                let time = clock()
                position.epochSeconds += time - batchStart
                batchStart = time
                onBatch(BatchProgress(
                    epoch: position.epoch, batch: position.batchInEpoch, batchesPerEpoch: perEpoch,
                    runningLoss: position.epochLossSum / Double(position.epochSeen),
                    runningAccuracy: Double(position.epochCorrect) / Double(position.epochSeen),
                    examplesPerSecond: Double(position.epochSeen) / max(position.epochSeconds, 1e-9),
                    epochSeconds: position.epochSeconds))
                if shouldStop() && position.batchInEpoch < perEpoch { return .interrupted }
            }
            let validation = validationSet.map { network.evaluate($0, workers: workers) }
            let record = EpochRecord(
                epoch: position.epoch + 1,
                trainLoss: position.epochLossSum / Double(position.epochSeen),
                trainAccuracy: Double(position.epochCorrect) / Double(position.epochSeen),
                validationLoss: validation?.loss, validationAccuracy: validation?.accuracy,
                learningRate: learningRate(step: max(position.step - 1, 0)), seconds: position.epochSeconds)
            history.append(record)
            let step = position.step
            position = TrainingPosition()
            position.epoch = record.epoch
            position.step = step
            onEpoch(record)
            if shouldStop() && position.epoch < settings.epochs { return .interrupted }
        }
        closeStepWindow(batchesPerEpoch: perEpoch)   // the last steps, when they do not fill a window
        return .finished
    }

    /// Adds one step to the current window and closes the window every `interval` steps. A window cut by
    /// an interruption restarts on resume; its finished windows are kept in the checkpoint.
    private func recordStep(lossSum: Double, correct: Int, seen: Int, batchesPerEpoch: Int) {
        window.lossSum += lossSum
        window.correct += correct
        window.seen += seen
        let interval = max(1, settings.epochs * batchesPerEpoch / Self.stepRecordsPerRun)
        guard position.step % interval == 0 else { return }
        closeStepWindow(batchesPerEpoch: batchesPerEpoch, epochsDone: Double(position.epoch) + Double(position.batchInEpoch + 1) / Double(batchesPerEpoch))
    }

    private func closeStepWindow(batchesPerEpoch: Int, epochsDone: Double? = nil) {
        guard window.seen > 0, stepHistory.last?.step != position.step else { return }
        stepHistory.append(StepRecord(
            step: position.step, epoch: epochsDone ?? Double(position.epoch),
            trainLoss: window.lossSum / Double(window.seen), trainAccuracy: Double(window.correct) / Double(window.seen),
            learningRate: learningRate(step: position.step - 1)))
        window = (0, 0, 0)
    }

    /// The generator stream for the distortion of row `row` of the batch of optimizer step `step`
    /// (streams 0 and 1 draw weights and dropout masks, 1000 + e the shuffle of epoch e).
    public static func augmentationStream(step: Int, row: Int) -> UInt64 {
        (1 << 62) | (UInt64(step) << 20) | UInt64(row)
    }

    /// One optimizer step on the examples at `indices`: returns the summed loss and correct count.
    @discardableResult
    public func trainStep(_ indices: ArraySlice<Int>) -> (lossSum: Double, correct: Int) {
        var lossSum = 0.0
        var correct = 0
        var chunkStart = indices.startIndex
        let loader = BatchLoader(for: network)
        while chunkStart < indices.endIndex {
            let chunk = indices[chunkStart..<min(chunkStart + chunkRows, indices.endIndex)]
            if let augmenter {
                let (firstRow, seed, step) = (chunkStart - indices.startIndex, settings.seed, position.step)
                loader.loadAugmented(trainingSet, indices: chunk, augmenter: augmenter, into: &batch, workers: workers) { row in
                    SeededGenerator(seed: seed, stream: Self.augmentationStream(step: step, row: firstRow + row))
                }
            } else {
                loader.load(trainingSet, indices: chunk, into: &batch, workers: workers)
            }
            batchLabels.removeAll(keepingCapacity: true)
            for index in chunk { batchLabels.append(trainingSet.labels[index]) }
            let logits = network.forward(batch, mode: .training, generator: &generator, workers: workers)
            logitsGradient.reshape(rows: logits.rows, columns: logits.columns)
            let result = batchLabels.withUnsafeBufferPointer { labels in
                logitsGradient.values.withUnsafeMutableBufferPointer { gradient in
                    SoftmaxCrossEntropy.evaluate(logits: logits, labels: labels, divisor: indices.count, gradient: gradient.baseAddress!,
                                                 energyMargin: settings.energyMargin)
                }
            }
            lossSum += result.lossSum
            correct += result.correct
            // The first chunk overwrites the gradients of the previous step; later chunks add to them.
            network.backward(logitsGradient, accumulate: chunkStart != indices.startIndex, workers: workers)
            chunkStart = chunk.endIndex
        }
        optimizer.step(network.parameters, learningRate: Float(learningRate(step: position.step)), workers: workers)
        position.step += 1
        return (lossSum, correct)
    }
}
