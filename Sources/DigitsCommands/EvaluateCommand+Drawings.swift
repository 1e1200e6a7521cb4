// EvaluateCommand+Drawings.swift — `digits evaluate --drawings FILE [--adapt N]`: the model on recorded
// pen-written digits, read through the studio's own path, and per-writer personalization.

import DigitImage
import DigitsFiles
import DigitsStudio
import Foundation
import NeuralNetwork

extension EvaluateCommand {
    /// Reads a drawings file (digits, or with `nonDigits` letters and symbols) through the studio's path,
    /// with a progress bar; returns the evaluation, the canvas drawings and the seconds it took.
    func readDrawings(_ file: String, nonDigits: Bool, network: Network, rule: NotADigitRule, workers: WorkerThreads) throws
        -> (evaluation: DrawingsEvaluation, canvas: [Drawing], seconds: Double) {
        let drawings: [PenDrawing]
        do { drawings = try PenDrawingsFile.read(path: file, nonDigits: nonDigits) } catch let error as PenDrawingsFileError {
            throw UsageError(error.description)
        }
        let canvas = try DrawingsEvaluation.canvasDrawings(drawings, fileName: file)
        let started = monotonicSeconds()
        var bar = ProgressBar()
        let evaluation = DrawingsEvaluation.run(drawings, canvas: canvas, network: network, rule: rule, workers: workers) { done in
            bar.update(fraction: Double(done) / Double(canvas.count), label: nonDigits ? "reading non-digits" : "reading drawings",
                       details: "\(done)/\(canvas.count)")
        }
        bar.clear()
        return (evaluation, canvas, monotonicSeconds() - started)
    }

    func runOnDrawings(_ file: String?, nonDigits nonDigitsFile: String?, network: Network, modelPath: String, rule: NotADigitRule) throws {
        let workers = WorkerThreads(threadCount: max(1, threadCount))
        defer { workers.stop() }
        let rejection = try nonDigitsFile.map { try readDrawings($0, nonDigits: true, network: network, rule: rule, workers: workers).evaluation }
        guard let file else {
            // Only the non-digits.
            if json {
                var object: [String: Any] = ["model": modelPath]
                object["non_digits"] = Self.nonDigitsJSON(rejection!, file: nonDigitsFile!, rule: rule)
                if withProbabilities { Self.addReadings(rejection!, to: &object) }
                print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
            } else {
                print("model \(modelPath)\n" + Self.nonDigitsReport(rejection!, file: nonDigitsFile!, rule: rule))
            }
            return
        }
        let (evaluation, canvas, seconds) = try readDrawings(file, nonDigits: false, network: network, rule: rule, workers: workers)
        var oneByOne = 0.0
        var misreadNumbers: [String] = []
        var adaptation: WriterAdaptation.Summary?
        if let adapt {
            let mnist = try dataOptions.loadMNIST(quiet: json)
            adaptation = WriterAdaptation.run(evaluation: evaluation, canvas: canvas, network: network, mnist: mnist,
                                              perDigit: adapt / 10, minimumDrawings: adaptMinimumDrawings,
                                              steps: adaptSteps, rule: rule, workers: workers)
        }
        var numberResult: NumberComposition.Result?
        if let numbers {
            let composed = try NumberComposition.compose(evaluation.drawings, length: numbers, count: numberCount, seed: 1)
            var bar = ProgressBar()
            let (readResult, texts) = NumberComposition.read(composed, network: network, rule: rule, workers: workers) { done in
                bar.update(fraction: Double(done) / Double(composed.count), label: "reading numbers", details: "\(done)/\(composed.count)")
            }
            numberResult = readResult
            misreadNumbers = zip(composed, texts).compactMap { number, text in
                let truth = number.labels.map(String.init).joined()
                return text == truth ? nil : "\(truth) read \(text)"
            }
            bar.clear()
            // The same digits read one by one, for comparison.
            let used = composed.flatMap(\.entries)
            oneByOne = Double(used.filter { evaluation.outcomes[$0].isCorrect }.count) / Double(max(used.count, 1))
        }
        if json {
            var object = Self.drawingsJSON(evaluation, modelPath: modelPath, file: file)
            if let numberResult, let numbers {
                object["numbers"] = ["length": numbers, "count": numberResult.numbers, "exact": numberResult.exactRate,
                                     "digit_accuracy": numberResult.digitAccuracy, "one_by_one_accuracy": oneByOne,
                                     "segmentation_errors": numberResult.segmentationErrors, "misread": misreadNumbers,
                                     "milliseconds_per_number": numberResult.seconds * 1000 / Double(max(numberResult.numbers, 1)) * Double(workers.threadCount)]
            }
            if let adaptation { object["adaptation"] = adaptation.json }
            if let rejection, let nonDigitsFile { object["non_digits"] = Self.nonDigitsJSON(rejection, file: nonDigitsFile, rule: rule) }
            if withProbabilities { Self.addReadings(evaluation, to: &object) }
            print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
            return
        }
        print(Self.drawingsReport(evaluation, modelPath: modelPath, file: file, seconds: seconds))
        if let adaptation { print("\n" + adaptation.report) }
        if let rejection, let nonDigitsFile { print("\n" + Self.nonDigitsReport(rejection, file: nonDigitsFile, rule: rule)) }
        if let numberResult, let numbers {
            print("\nnumbers of \(numbers) digits (\(numberResult.numbers), each of one writer's digits, gaps 5–50 % of the height):")
            print("  read exactly \(percent(numberResult.exactRate)); digit accuracy within numbers \(percent(numberResult.digitAccuracy)) "
                  + "(the same digits one by one: \(percent(oneByOne))); wrong number of elements in \(numberResult.segmentationErrors); "
                  + String(format: "%.2f ms per number per thread", numberResult.seconds * 1000 / Double(max(numberResult.numbers, 1)) * Double(workers.threadCount)))
            if !misreadNumbers.isEmpty { print("  misread: " + misreadNumbers.prefix(12).joined(separator: ", ") + (misreadNumbers.count > 12 ? ", …" : "")) }
        }
    }

    /// The rejection of a file of non-digits: overall, per character, and what the rest were read as.
    /// `--with-probabilities`: every drawing's probabilities and energy (null where no digit was found).
    static func addReadings(_ evaluation: DrawingsEvaluation, to object: inout [String: Any]) {
        object["probabilities"] = evaluation.outcomes.map { $0.probabilities.map { $0.map(Double.init) as Any } ?? NSNull() }
        object["energies"] = evaluation.outcomes.map { $0.energy.map { Double($0) as Any } ?? NSNull() }
    }

    static func nonDigitsJSON(_ evaluation: DrawingsEvaluation, file: String, rule: NotADigitRule) -> [String: Any] {
        let groups = evaluation.perCharacterRejection
        var readAs = [Int](repeating: 0, count: 10)
        for outcome in evaluation.outcomes { if let digit = outcome.digit { readAs[digit] += 1 } }
        return [
            "file": file, "count": evaluation.count, "rejected": evaluation.rejected,
            "rule": rule.rawValue, "threshold": rule.rejects ? Double(rule.threshold(inNumber: false)) : NSNull(),
            "rejection_rate": evaluation.count == 0 ? 0 : Double(evaluation.rejected) / Double(evaluation.count),
            "per_character_rejection": Dictionary(uniqueKeysWithValues: groups.map { ($0.name, $0.accuracy) }),
            "per_character_count": Dictionary(uniqueKeysWithValues: groups.map { ($0.name, $0.count) }),
            "read_as_digit": readAs,
        ]
    }

    static func nonDigitsReport(_ evaluation: DrawingsEvaluation, file: String, rule: NotADigitRule) -> String {
        let rate = evaluation.count == 0 ? 0 : Double(evaluation.rejected) / Double(evaluation.count)
        var lines = ["not a digit: \(evaluation.rejected) of \(evaluation.count) drawings of \(file) rejected (\(percent(rate))); "
                     + "the model says \"not a digit\" \(rule.explanation)"]
        let groups = evaluation.perCharacterRejection
        let cells = groups.map { "\($0.name) \(percent($0.accuracy, decimals: 0))" }
        for start in stride(from: 0, to: cells.count, by: 8) {
            lines.append("  " + cells[start..<min(cells.count, start + 8)].joined(separator: "  "))
        }
        var readAs = [Int](repeating: 0, count: 10)
        for outcome in evaluation.outcomes { if let digit = outcome.digit { readAs[digit] += 1 } }
        lines.append("the rest read as: " + readAs.enumerated().filter { $0.element > 0 }.map { "\($0.offset) ×\($0.element)" }.joined(separator: ", "))
        return lines.joined(separator: "\n")
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
            "unread": evaluation.unread, "rejected": evaluation.rejected,
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
        if evaluation.unread > 0 {
            lines.append("no digit read in \(evaluation.unread) drawings (counted as wrong), \(evaluation.rejected) of them rejected as not a digit "
                + "(\(percent(Double(evaluation.rejected) / Double(max(1, evaluation.count)))))")
        }
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
