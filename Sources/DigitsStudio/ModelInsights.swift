// ModelInsights.swift — what the Model page shows about the current model: its training curves and first
// layer, and its accuracy, per-digit bars and confusion matrix on two sets side by side: the user's saved
// samples ("your handwriting") and the MNIST test set. The figures are the ones `digits report` draws
// (DigitsReport), sent as SVG; confusion cells are marked so the page can list the images behind each.
//
// MNIST takes a second or two to evaluate, so its evaluation is kept per model version; the samples are
// few and change as the user saves more, so they are evaluated on every request.

import DigitsFiles
import DigitsReport
import FeedbackStore
import Foundation
import NeuralNetwork
import Synchronization

/// The answer of `GET /api/model/insights`.
struct InsightsAnswer: Encodable {
    struct FigureAnswer: Encodable {
        var name: String
        var title: String
        /// The SVG element, ready to place in the page.
        var svg: String
    }

    struct SectionAnswer: Encodable {
        var id: String
        var heading: String
        var text: String
        var figures: [FigureAnswer]
    }

    /// One evaluation set: "samples" (your handwriting) or "mnist" (MNIST test).
    struct SetAnswer: Encodable {
        var id: String
        var name: String
        var available: Bool
        /// Why the set is not available (no samples yet, MNIST missing), else empty.
        var message: String
        var count: Int
        var accuracy: Double?
        /// Accuracy per true digit (fractions); null for a digit with no images.
        var perDigit: [Double?]
        /// `confusion[truth][predicted]`, empty when the set is not available.
        var confusion: [[Int]]
        /// Per-digit bars, the confusion matrix, some predictions (your newest samples, MNIST's first images)
        /// and the most confident mistakes.
        var sections: [SectionAnswer]
    }

    var version: String
    var architecture: String
    var parameters: Int
    /// The version this one was retrained from in the studio, when it was.
    var retrainedFrom: String?
    var sets: [SetAnswer]
    /// Training curves and the first layer.
    var sections: [SectionAnswer]
}

/// The answer of `GET /api/model/examples`: the images behind one confusion-matrix cell.
struct ExamplesAnswer: Encodable {
    struct Example: Encodable {
        /// The sample's id (your handwriting) or the MNIST test index.
        var id: Int
        var confidence: Double
        /// A PNG data URL of the 28×28 image the network read.
        var image: String
    }

    var set: String
    var truth: Int
    var predicted: Int
    /// Images in the cell; `examples` holds the first `limit` of them, most confident first.
    var total: Int
    var examples: [Example]
}

/// The two sets the Model page compares.
enum InsightsSet: String {
    case samples, mnist

    /// The set's name in titles.
    var name: String { self == .samples ? "your handwriting" : "MNIST test" }
}

/// MNIST test evaluations of the last few model versions asked about (the Model page asks for the current
/// one, a comparison for two).
final class EvaluationCache: Sendable {
    private let kept = Mutex<[(version: String, evaluation: Evaluation)]>([])
    /// Held while an evaluation runs: a second caller for the same version waits for it instead of
    /// evaluating again.
    private let evaluating = Mutex(())
    let capacity = 4

    /// The evaluation of `version`, computed by `evaluate` when it is not kept; the oldest is dropped past
    /// `capacity`.
    func evaluation(version: String, evaluate: () -> Evaluation) -> Evaluation {
        if let hit = kept.withLock({ $0.first { $0.version == version }?.evaluation }) { return hit }
        return evaluating.withLock { _ in
            if let hit = kept.withLock({ $0.first { $0.version == version }?.evaluation }) { return hit }
            let evaluation = evaluate()
            kept.withLock { list in
                list.append((version, evaluation))
                if list.count > capacity { list.removeFirst() }
            }
            return evaluation
        }
    }
}

enum ModelInsights {
    /// Everything the Model page shows for the current model. Runs the evaluations on a thread of its own.
    static func answer(studio: Studio) async throws -> InsightsAnswer {
        let predictor = studio.models.current
        let samples = try await studio.store.allSamples()
        return try await studio.expensiveWork.run { build(studio: studio, predictor: predictor, samples: samples) }
    }

    static func build(studio: Studio, predictor: Predictor, samples: [Sample]) -> InsightsAnswer {
        let network = predictor.makeNetwork()
        let metadata = predictor.weights.metadata
        let history = TrainingHistoryMetadata.history(in: metadata) ?? []
        let steps = TrainingHistoryMetadata.stepHistory(in: metadata)
        let retrainedFrom = metadata["studio_retrained_from"]

        var sets: [InsightsAnswer.SetAnswer] = []
        var samplesReport: ModelReport?
        if samples.isEmpty {
            sets.append(unavailable(.samples, "No saved samples yet: draw digits on the Draw page and press Right or Wrong to save them."))
        } else {
            let images = SampleExport.labeledImages(samples)
            let report = ModelReport(network: network, modelName: predictor.version, history: history, stepHistory: steps, test: images,
                                     evaluation: network.evaluate(images), setName: InsightsSet.samples.name, featureMapIndex: images.count - 1)
            samplesReport = report
            sets.append(setAnswer(.samples, report))
        }
        var mnistReport: ModelReport?
        do {
            let test = try studio.mnist().test
            let evaluation = studio.mnistEvaluations.evaluation(version: predictor.version) { network.evaluate(test) }
            let report = ModelReport(network: network, modelName: predictor.version, history: history, stepHistory: steps, test: test,
                                     evaluation: evaluation, setName: InsightsSet.mnist.name)
            mnistReport = report
            sets.append(setAnswer(.mnist, report))
        } catch {
            sets.append(unavailable(.mnist, "MNIST could not be loaded (\(error)). Run `digits data download`, then restart `digits serve`."))
        }

        var curves = ModelReport.curvesSection(history: history, stepHistory: steps)
        if let retrainedFrom {
            curves.text = "This version was retrained in the studio from \(retrainedFrom), on your samples mixed with MNIST; these are the curves of that retraining (x: the fraction of the run). " + curves.text
        }
        var sections = [section(curves)]
        // The feature maps are drawn for the newest sample when there is one: the user's own digit.
        if let layers = (samplesReport ?? mnistReport)?.firstLayerSection() { sections.append(section(layers)) }
        return InsightsAnswer(version: predictor.version, architecture: predictor.architecture, parameters: predictor.parameterCount,
                              retrainedFrom: retrainedFrom, sets: sets, sections: sections)
    }

    static func setAnswer(_ set: InsightsSet, _ report: ModelReport) -> InsightsAnswer.SetAnswer {
        InsightsAnswer.SetAnswer(
            id: set.rawValue, name: set.name, available: true, message: "", count: report.test.count, accuracy: report.confusion.accuracy,
            perDigit: report.perDigitAccuracy, confusion: report.confusion.counts,
            sections: [section(report.perDigitSection()), section(report.confusionSection(interactive: true)),
                       section(report.predictionsSection(count: 20, columns: 5, newestFirst: set == .samples)),
                       section(report.mistakesSection(count: 16, columns: 4))])
    }

    static func unavailable(_ set: InsightsSet, _ message: String) -> InsightsAnswer.SetAnswer {
        InsightsAnswer.SetAnswer(id: set.rawValue, name: set.name, available: false, message: message, count: 0, accuracy: nil,
                                 perDigit: [], confusion: [], sections: [])
    }

    static func section(_ section: ReportSection) -> InsightsAnswer.SectionAnswer {
        InsightsAnswer.SectionAnswer(
            id: section.id, heading: section.heading, text: section.text,
            figures: section.figures.map { InsightsAnswer.FigureAnswer(name: $0.name, title: $0.title, svg: $0.svg()) })
    }

    /// The images of `set` whose true digit is `truth` and that the current model reads as `predicted`.
    static func examples(studio: Studio, set: InsightsSet, truth: Int, predicted: Int, limit: Int) async throws -> ExamplesAnswer {
        let predictor = studio.models.current
        switch set {
        case .samples:
            let samples = try await studio.store.allSamples()
            return try await studio.expensiveWork.run {
                let images = SampleExport.labeledImages(samples)
                let evaluation = samples.isEmpty ? nil : predictor.makeNetwork().evaluate(images)
                return cell(set: set, images: images, evaluation: evaluation, ids: samples.map { Int($0.id ?? -1) },
                            truth: truth, predicted: predicted, limit: limit)
            }
        case .mnist:
            return try await studio.expensiveWork.run {
                let test: LabeledImages
                do {
                    test = try studio.mnist().test
                } catch {
                    throw StudioError(.serviceUnavailable, "MNIST could not be loaded (\(error)); run `digits data download`, then restart `digits serve`")
                }
                let evaluation = studio.mnistEvaluations.evaluation(version: predictor.version) { predictor.makeNetwork().evaluate(test) }
                return cell(set: set, images: test, evaluation: evaluation, ids: Array(0..<test.count),
                            truth: truth, predicted: predicted, limit: limit)
            }
        }
    }

    static func cell(set: InsightsSet, images: LabeledImages, evaluation: Evaluation?, ids: [Int],
                     truth: Int, predicted: Int, limit: Int) -> ExamplesAnswer {
        var matches: [(index: Int, confidence: Float)] = []
        if let evaluation {
            for index in 0..<images.count where Int(images.labels[index]) == truth && Int(evaluation.predictions[index]) == predicted {
                matches.append((index, evaluation.confidences[index]))
            }
        }
        matches.sort { ($0.confidence, -$0.index) > ($1.confidence, -$1.index) }
        let (height, width) = images.imageShape
        let examples = matches.prefix(limit).map { match in
            let ink = Pixels.ink(images.image(match.index).map { Float($0) / 255 }, width: width, height: height)
            let png = (try? PNGEncoder.encode(ink)) ?? []
            return ExamplesAnswer.Example(id: ids[match.index], confidence: Double(match.confidence),
                                          image: "data:image/png;base64," + Data(png).base64EncodedString())
        }
        return ExamplesAnswer(set: set.rawValue, truth: truth, predicted: predicted, total: matches.count, examples: Array(examples))
    }
}
