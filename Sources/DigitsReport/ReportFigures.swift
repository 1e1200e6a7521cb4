// ReportFigures.swift — the figures of a model report, section by section.

import DigitsFiles
import NeuralNetwork

/// A titled part of the report: an explanation and its figures (none when the data are missing).
public struct ReportSection {
    public var id: String
    public var heading: String
    public var text: String
    public var figures: [any Figure]
}

extension ModelReport {
    /// Every section of the report, in reading order.
    public func sections() -> [ReportSection] {
        var result = [curvesSection(), perDigitSection(), confusionSection(), predictionsSection(), mistakesSection(), firstLayerSection()]
        if seeds.count >= 2 { result.append(seedsSection()) }
        return result
    }

    func curvesSection() -> ReportSection {
        guard !history.isEmpty else {
            return ReportSection(id: "curves", heading: "Training curves",
                                 text: "This model file has no training history (it was written before digits recorded one). Retrain it with `digits train` to see its curves.",
                                 figures: [])
        }
        // Short runs (under 5 epochs) are drawn from the step windows; longer ones per epoch.
        let useSteps = history.count < 5 && stepHistory.count >= 2
        let trainLoss = useSteps ? stepHistory.map { (x: $0.epoch, y: $0.trainLoss) } : history.map { (x: Double($0.epoch), y: $0.trainLoss) }
        let trainAccuracy = useSteps ? stepHistory.map { (x: $0.epoch, y: 100 * $0.trainAccuracy) }
                                     : history.map { (x: Double($0.epoch), y: 100 * $0.trainAccuracy) }
        var lossSeries = [Series(name: "train", color: .blue, points: trainLoss)]
        var accuracySeries = [Series(name: "train", color: .blue, points: trainAccuracy)]
        let validated = history.filter { $0.validationLoss != nil }
        if !validated.isEmpty {
            lossSeries.append(Series(name: "validation", color: .orange, points: validated.map { (x: Double($0.epoch), y: $0.validationLoss ?? 0) }))
            accuracySeries.append(Series(name: "validation", color: .orange,
                                         points: validated.map { (x: Double($0.epoch), y: 100 * ($0.validationAccuracy ?? 0)) }))
        }
        let learningRates = useSteps ? stepHistory.map { (x: $0.epoch, y: $0.learningRate) } : history.map { (x: Double($0.epoch), y: $0.learningRate) }
        let source = useSteps ? "training loss is the mean over windows of \(stepHistory.count > 1 ? stepHistory[1].step - stepHistory[0].step : 1) steps"
                              : "one point per epoch"
        let validation = validated.isEmpty ? " No validation set was held out (train with `--validation N` to see validation curves)." : ""
        return ReportSection(
            id: "curves", heading: "Training curves",
            text: "\(history.count) epoch\(history.count == 1 ? "" : "s"), \(formatNumber(history.reduce(0) { $0 + $1.seconds }, decimals: 1)) s of training; \(source).\(validation)",
            figures: [
                LineChart(name: "loss", title: "Loss during training", xLabel: "epoch", yLabel: "cross-entropy loss (nats)", series: lossSeries),
                LineChart(name: "accuracy", title: "Accuracy during training", xLabel: "epoch", yLabel: "accuracy (%)", series: accuracySeries),
                LineChart(name: "learning-rate", title: "Learning rate", xLabel: "epoch", yLabel: "learning rate",
                          series: [Series(name: "learning rate", color: .green, points: learningRates)]),
            ])
    }

    func perDigitSection() -> ReportSection {
        let accuracies = confusion.perClassAccuracy.map { 100 * $0 }
        let low = max(0, ((accuracies.min() ?? 0) - 1).rounded(.down))
        let worst = accuracies.enumerated().min { $0.element < $1.element }
        return ReportSection(
            id: "per-digit", heading: "Accuracy per digit",
            text: "Test accuracy \(formatNumber(100 * confusion.accuracy, decimals: 2))% on \(confusion.total) images (mean loss \(formatNumber(loss, decimals: 4))). Weakest digit: \(worst.map { "\($0.offset), \(formatNumber($0.element, decimals: 2))%" } ?? "none").",
            figures: [BarChart(name: "per-digit-accuracy", title: "Test accuracy per digit", xLabel: "true digit", yLabel: "accuracy (%)",
                               categories: (0..<accuracies.count).map(String.init), values: accuracies, decimals: 1, yRange: low...100)])
    }

    func confusionSection() -> ReportSection {
        let pairs = confusion.worstPairs.prefix(5).map { "\($0.truth) read as \($0.predicted) (\($0.count))" }
        return ReportSection(
            id: "confusion", heading: "Confusion matrix",
            text: "Rows are the true digit, columns the prediction; blue cells are right, orange-red ones wrong, darker for a larger share of the row. "
                + (pairs.isEmpty ? "No mistakes." : "Most frequent mistakes: " + pairs.joined(separator: ", ") + "."),
            figures: [ConfusionHeatmap(name: "confusion-matrix", title: "Confusion matrix (MNIST test)", counts: confusion.counts)])
    }

    func predictionsSection() -> ReportSection {
        let shown = predictions.prefix(40)
        let tiles = shown.map { p in
            GridTile(image: inkImage(p.index), caption: "\(p.predicted) \(Int((100 * p.confidence).rounded()))%", frame: p.correct ? .green : .red)
        }
        let wrong = shown.filter { !$0.correct }.count
        return ReportSection(
            id: "predictions", heading: "Test predictions",
            text: "The first \(shown.count) test images with the predicted digit and its probability: green frames are right, red ones wrong (\(wrong) here).",
            figures: [ImageGrid(name: "predictions", title: "Predictions on the first \(shown.count) test images", tiles: tiles, columns: 10,
                                subtitle: "caption: predicted digit and probability; frame green = right, red = wrong")])
    }

    func mistakesSection() -> ReportSection {
        let worst = mistakes.prefix(24)
        guard !worst.isEmpty else {
            return ReportSection(id: "mistakes", heading: "Most confident mistakes", text: "The model got every test image right.", figures: [])
        }
        let tiles = worst.map { p in
            GridTile(image: inkImage(p.index), caption: "\(p.truth)→\(p.predicted) \(Int((100 * p.confidence).rounded()))%", frame: .red)
        }
        return ReportSection(
            id: "mistakes", heading: "Most confident mistakes",
            text: "The \(worst.count) wrong answers the model was surest of (\(mistakes.count) mistakes in all). Caption: true digit → predicted digit, probability of the prediction.",
            figures: [ImageGrid(name: "mistakes", title: "Most confident mistakes", tiles: tiles, columns: 8,
                                subtitle: "caption: true → predicted, and the probability given to the prediction")])
    }
}
