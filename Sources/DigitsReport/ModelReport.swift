// ModelReport.swift — everything `digits report` shows about one model, computed from the model, its
// training history and the MNIST test set: the figures, and the HTML page that holds them.

import DigitsFiles
import NeuralNetwork

/// One test image as the model saw it: truth, prediction and the probability it gave its prediction.
public struct TestPrediction: Sendable {
    public var index: Int
    public var truth: Int
    public var predicted: Int
    public var confidence: Float
    public var correct: Bool { truth == predicted }
}

/// One seed of a `--repeat` run: its file and test accuracy.
public struct SeedResult: Sendable {
    public var name: String
    public var accuracy: Double

    public init(name: String, accuracy: Double) {
        self.name = name
        self.accuracy = accuracy
    }
}

/// The inputs of a report. `history` comes from the model file's metadata; `seeds` from sibling files
/// of a `--repeat` run (empty when there were none).
public struct ModelReport {
    public let network: Network
    public let modelName: String
    public let history: [EpochRecord]
    public let stepHistory: [StepRecord]
    public let test: LabeledImages
    public let seeds: [SeedResult]
    /// The test image whose feature maps are drawn (convolutional models).
    public let featureMapIndex: Int
    public let predictions: [TestPrediction]
    public let confusion: ConfusionMatrix
    public let loss: Double

    /// What `test` is, for titles: "MNIST test", "your handwriting".
    public let setName: String

    /// Runs the network over `test` (`Network.evaluate`), calling `progress` with the images done so far.
    public init(network: Network, modelName: String, history: [EpochRecord], stepHistory: [StepRecord] = [], test: LabeledImages,
                seeds: [SeedResult] = [], featureMapIndex: Int = 0, workers: WorkerThreads? = nil, progress: (Int) -> Void = { _ in }) {
        precondition(test.count > 0, "the report needs at least one test image")
        self.init(network: network, modelName: modelName, history: history, stepHistory: stepHistory, test: test,
                  evaluation: network.evaluate(test, workers: workers, progress: progress), seeds: seeds, featureMapIndex: featureMapIndex)
    }

    /// A report from an evaluation already made (`network.evaluate(test)`), e.g. one kept from an earlier request.
    public init(network: Network, modelName: String, history: [EpochRecord], stepHistory: [StepRecord] = [], test: LabeledImages,
                evaluation: Evaluation, setName: String = "MNIST test", seeds: [SeedResult] = [], featureMapIndex: Int = 0) {
        precondition(test.count > 0 && evaluation.predictions.count == test.count, "the evaluation must cover every test image")
        self.network = network
        self.modelName = modelName
        self.history = history
        self.stepHistory = stepHistory
        self.test = test
        self.setName = setName
        self.seeds = seeds
        self.featureMapIndex = min(max(featureMapIndex, 0), test.count - 1)
        confusion = evaluation.confusion
        loss = evaluation.loss
        predictions = zip(evaluation.predictions, evaluation.confidences).enumerated().map { index, pair in
            TestPrediction(index: index, truth: Int(test.labels[index]), predicted: Int(pair.0), confidence: pair.1)
        }
    }

    /// The test image `index` as 0–1 ink values.
    public func inkImage(_ index: Int) -> RGBImage {
        let (height, width) = test.imageShape
        return Pixels.ink(test.image(index).map { Float($0) / 255 }, width: width, height: height)
    }

    /// Accuracy (a fraction) for each true digit; nil for a digit with no images (possible among a user's samples).
    public var perDigitAccuracy: [Double?] {
        (0..<confusion.classes).map { c in confusion.counts[c].reduce(0, +) == 0 ? nil : confusion.perClassAccuracy[c] }
    }

    /// The mistakes, most confident first.
    public var mistakes: [TestPrediction] {
        predictions.filter { !$0.correct }.sorted { ($0.confidence, -$0.index) > ($1.confidence, -$1.index) }
    }
}

