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

    public func curvesSection() -> ReportSection { Self.curvesSection(history: history, stepHistory: stepHistory) }

    /// Loss, accuracy and learning-rate curves from a training history (no test set needed).
    public static func curvesSection(history: [EpochRecord], stepHistory: [StepRecord]) -> ReportSection {
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

    public func perDigitSection() -> ReportSection {
        // A digit with no images has no accuracy: NaN, drawn as "-".
        let accuracies = perDigitAccuracy.map { $0.map { 100 * $0 } ?? .nan }
        let known = accuracies.filter { !$0.isNaN }
        let low = max(0, ((known.min() ?? 0) - 1).rounded(.down))
        let worst = accuracies.enumerated().filter { !$0.element.isNaN }.min { $0.element < $1.element }
        let missing = accuracies.enumerated().filter { $0.element.isNaN }.map { String($0.offset) }
        let none = missing.isEmpty ? "" : " No images of \(missing.joined(separator: ", ")) (shown as -)."
        return ReportSection(
            id: "per-digit", heading: "Accuracy per digit",
            text: "Accuracy \(formatNumber(100 * confusion.accuracy, decimals: 2))% on \(confusion.total) images (mean loss \(formatNumber(loss, decimals: 4))). Weakest digit: \(worst.map { "\($0.offset), \(formatNumber($0.element, decimals: 2))%" } ?? "none").\(none)",
            figures: [BarChart(name: "per-digit-accuracy", title: "Accuracy per digit (\(setName))", xLabel: "true digit", yLabel: "accuracy (%)",
                               categories: (0..<accuracies.count).map(String.init), values: accuracies, decimals: 1, yRange: low...100)])
    }

    /// `interactive` marks every cell for a page to make clickable (`ConfusionHeatmap.interactive`).
    public func confusionSection(interactive: Bool = false) -> ReportSection {
        let pairs = confusion.worstPairs.prefix(5).map { "\($0.truth) read as \($0.predicted) (\($0.count))" }
        return ReportSection(
            id: "confusion", heading: "Confusion matrix",
            text: "Rows are the true digit, columns the prediction; blue cells are right, orange-red ones wrong, darker for a larger share of the row. "
                + (pairs.isEmpty ? "No mistakes." : "Most frequent mistakes: " + pairs.joined(separator: ", ") + "."),
            figures: [{
                var heatmap = ConfusionHeatmap(name: "confusion-matrix", title: "Confusion matrix (\(setName))", counts: confusion.counts)
                heatmap.interactive = interactive
                return heatmap
            }()])
    }

    /// The first `count` images (the newest, last ones when `newestFirst`) with their predictions, in `columns`.
    public func predictionsSection(count: Int = 40, columns: Int = 10, newestFirst: Bool = false) -> ReportSection {
        let shown = newestFirst ? Array(predictions.suffix(count).reversed()) : Array(predictions.prefix(count))
        let tiles = shown.map { p in
            GridTile(image: inkImage(p.index), caption: "\(p.predicted) \(Int((100 * p.confidence).rounded()))%", frame: p.correct ? .green : .red)
        }
        let wrong = shown.filter { !$0.correct }.count
        let which = newestFirst ? "newest" : "first"
        return ReportSection(
            id: "predictions", heading: "Predictions",
            text: "The \(which) \(shown.count) images of \(setName) with the predicted digit and its probability: green frames are right, red ones wrong (\(wrong) here).",
            figures: [ImageGrid(name: "predictions", title: "Predictions on the \(which) \(shown.count) images (\(setName))", tiles: tiles, columns: columns,
                                subtitle: "caption: predicted digit and probability; frame green = right, red = wrong")])
    }

    /// The `count` most confident mistakes in a grid of `columns` (fewer columns read better on a phone).
    public func mistakesSection(count: Int = 24, columns: Int = 8) -> ReportSection {
        let worst = mistakes.prefix(count)
        guard !worst.isEmpty else {
            return ReportSection(id: "mistakes", heading: "Most confident mistakes", text: "The model got every test image right.", figures: [])
        }
        let tiles = worst.map { p in
            GridTile(image: inkImage(p.index), caption: "\(p.truth)→\(p.predicted) \(Int((100 * p.confidence).rounded()))%", frame: .red)
        }
        return ReportSection(
            id: "mistakes", heading: "Most confident mistakes",
            text: "The \(worst.count) wrong answers the model was surest of (\(mistakes.count) mistakes in all). Caption: true digit → predicted digit, probability of the prediction.",
            figures: [ImageGrid(name: "mistakes", title: "Most confident mistakes", tiles: tiles, columns: columns,
                                subtitle: "caption: true → predicted, and the probability given to the prediction")])
    }
}
