// EvaluateCommand+Drawings.swift — `digits evaluate --drawings FILE [--adapt N]`: the model on recorded
// pen-written digits, read through the studio's own path, and per-writer personalization.

import DigitImage
import DigitsFiles
import DigitsStudio
import Foundation
import NeuralNetwork

extension EvaluateCommand {
    func runOnDrawings(_ file: String, network: Network, modelPath: String) throws {
        let drawings: [PenDrawing]
        do { drawings = try PenDrawingsFile.read(path: file) } catch let error as PenDrawingsFileError {
            throw UsageError(error.description)
        }
        let canvas = try DrawingsEvaluation.canvasDrawings(drawings, fileName: file)
        let started = monotonicSeconds()
        let workers = WorkerThreads(threadCount: max(1, min(threadCount, canvas.count)))
        defer { workers.stop() }
        var bar = ProgressBar()
        let evaluation = DrawingsEvaluation.run(drawings, canvas: canvas, network: network, workers: workers) { done in
            bar.update(fraction: Double(done) / Double(canvas.count), label: "reading drawings", details: "\(done)/\(canvas.count)")
        }
        bar.clear()
        let seconds = monotonicSeconds() - started
        var adaptation: WriterAdaptation.Summary?
        if let adapt {
            let mnist = try dataOptions.loadMNIST(quiet: json)
            adaptation = WriterAdaptation.run(evaluation: evaluation, canvas: canvas, network: network, mnist: mnist,
                                              perDigit: adapt / 10, minimumDrawings: adaptMinimumDrawings,
                                              steps: adaptSteps, workers: workers)
        }
        if json {
            var object = Self.drawingsJSON(evaluation, modelPath: modelPath, file: file)
            if let adaptation { object["adaptation"] = adaptation.json }
            if withProbabilities {
                object["probabilities"] = evaluation.outcomes.map { $0.probabilities.map { $0.map(Double.init) as Any } ?? NSNull() }
            }
            print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
            return
        }
        print(Self.drawingsReport(evaluation, modelPath: modelPath, file: file, seconds: seconds))
        if let adaptation { print("\n" + adaptation.report) }
    }

    static func drawingsJSON(_ evaluation: DrawingsEvaluation, modelPath: String, file: String) -> [String: Any] {
        func table(_ groups: [GroupAccuracy]) -> [String: Any] {
            Dictionary(uniqueKeysWithValues: groups.map { ($0.name, $0.accuracy) })
        }
        func counts(_ groups: [GroupAccuracy]) -> [String: Any] {
            Dictionary(uniqueKeysWithValues: groups.map { ($0.name, $0.count) })
        }
        let (sources, writers) = (evaluation.perSource, evaluation.perWriter)
        return [
            "model": modelPath, "drawings": file, "count": evaluation.count, "accuracy": evaluation.accuracy,
            "unread": evaluation.unread,
            "per_digit_accuracy": evaluation.perDigit.map(\.accuracy),
            "per_source_accuracy": table(sources), "per_source_count": counts(sources),
            "per_writer_accuracy": table(writers), "per_writer_count": counts(writers),
            "confusion_matrix": evaluation.confusion.counts,
            "misreads": evaluation.misreads.prefix(20).map { ["truth": $0.truth, "read": $0.read, "count": $0.count] as [String: Any] },
            "expected_calibration_error": evaluation.expectedCalibrationError(),
            // What was read for every drawing, in file order (null: no digit found), to compare run against run.
            "predictions": evaluation.outcomes.map { $0.digit.map { $0 as Any } ?? NSNull() },
            "most_confident_misreads": evaluation.mostConfidentMisreads.prefix(100).map { index -> [String: Any] in
                let outcome = evaluation.outcomes[index], drawing = evaluation.drawings[index]
                return ["entry": index, "truth": outcome.label, "read": outcome.digit ?? -1, "confidence": outcome.confidence,
                        "writer": drawing.writer, "source": drawing.source]
            },
        ]
    }

    static func drawingsReport(_ evaluation: DrawingsEvaluation, modelPath: String, file: String, seconds: Double) -> String {
        var lines = ["model \(modelPath)",
                     "accuracy \(percent(evaluation.accuracy)) on \(evaluation.count) drawings of \(file) "
                        + "(read like the studio's canvas in \(formatDuration(seconds)))"]
        if evaluation.unread > 0 { lines.append("no digit found in \(evaluation.unread) drawings (counted as wrong)") }
        lines.append("expected calibration error \(String(format: "%.4f", evaluation.expectedCalibrationError())) (15 bins)")
        func rows(_ title: String, _ groups: some Sequence<GroupAccuracy>) {
            lines.append("")
            lines.append(title.padding(toLength: 14, withPad: " ", startingAt: 0) + "accuracy   drawings")
            for group in groups {
                lines.append(String(group.name.prefix(12)).padding(toLength: 12, withPad: " ", startingAt: 0)
                             + String(format: "  %7.2f%%   %8d", group.accuracy * 100, group.count))
            }
        }
        rows("digit", evaluation.perDigit)
        rows("source", evaluation.perSource)
        rows("worst writers", evaluation.perWriter.prefix(10))
        lines.append("")
        let confusion = evaluation.confusion
        lines.append("confusion matrix (rows: true digit, columns: read)")
        lines.append("true\\read" + (0..<10).map { String(format: "%6d", $0) }.joined())
        for digit in 0..<10 {
            lines.append(String(format: "%6d   ", digit) + confusion.counts[digit].map { String(format: "%6d", $0) }.joined())
        }
        let misreads = evaluation.misreads.prefix(10)
        if !misreads.isEmpty {
            lines.append("")
            lines.append("most frequent misreads: " + misreads.map { "\($0.truth) read as \($0.read) ×\($0.count)" }.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }
}
