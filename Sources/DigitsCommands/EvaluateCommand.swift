// EvaluateCommand.swift — `digits evaluate`: accuracy, per-digit accuracy and the confusion matrix.

import ArgumentParser
import DigitsFiles
import DigitsReport
import Foundation
import NeuralNetwork

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Measure a model on the MNIST test set: accuracy, per digit, and confusions.")

    @Option(help: ArgumentHelp("The model to evaluate (default: the one `digits train` saves).", valueName: "FILE")) var model: String?
    @Flag(help: "Print one JSON object on standard output.") var json = false
    @Flag(help: "Also measure accuracy on test digits rotated ±15°, shifted ±3 px, scaled 0.8 and 1.2, and with thicker and thinner strokes.")
    var robustness = false
    @OptionGroup var dataOptions: DataOptions

    func run() throws {
        let path = model ?? defaultModelPath()
        guard FileManager.default.fileExists(atPath: path) else {
            throw UsageError("no model at \(path): train one with `digits train` or pass --model FILE")
        }
        let (network, _) = try ModelFile.read(path: path)
        let data = try dataOptions.loadMNIST(quiet: json)
        let workers = WorkerThreads(threadCount: min(ProcessInfo.processInfo.activeProcessorCount, 8))
        defer { workers.stop() }
        let result = network.evaluate(data.test, workers: workers)
        let confusion = result.confusion
        let rows = robustness ? network.robustness(data.test, cleanAccuracy: result.accuracy, workers: workers) : []
        if json {
            var object: [String: Any] = [
                "model": path, "images": confusion.total, "accuracy": result.accuracy, "loss": result.loss,
                "per_digit_accuracy": confusion.perClassAccuracy, "confusion_matrix": confusion.counts,
            ]
            if robustness {
                object["robustness"] = rows.map { ["transform": $0.transform.name, "accuracy": $0.accuracy, "drop": $0.drop] as [String: Any] }
            }
            print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
            return
        }
        print(Self.report(confusion: confusion, loss: result.loss, modelPath: path, color: stdoutIsColorTerminal))
        if robustness { print("\n" + Self.robustnessReport(rows, cleanAccuracy: result.accuracy)) }
    }

    /// One row per distortion: the accuracy on the distorted test set and the drop in percentage points.
    static func robustnessReport(_ rows: [RobustnessResult], cleanAccuracy: Double) -> String {
        var lines = ["robustness (the \(percent(cleanAccuracy)) test set, distorted)", "transform              accuracy     drop"]
        for row in rows {
            let name = row.transform.name.padding(toLength: 20, withPad: " ", startingAt: 0)
            lines.append("\(name)   \(String(format: "%7.2f%%", row.accuracy * 100))   \(String(format: "%+6.2f", row.drop * 100)) pts")
        }
        let worst = rows.max { $0.drop < $1.drop }
        if let worst { lines.append("largest drop: \(worst.transform.name), \(String(format: "%.2f", worst.drop * 100)) points") }
        return lines.joined(separator: "\n")
    }

    /// The human-readable report: overall accuracy, per-digit accuracy, confusion table, worst pairs.
    /// With `color`, each confusion-matrix cell is shaded like the report's heatmap (24-bit ANSI colours).
    static func report(confusion: ConfusionMatrix, loss: Double, modelPath: String, color: Bool = false) -> String {
        var lines = ["model \(modelPath)",
                     "accuracy \(percent(confusion.accuracy)) on \(confusion.total) test images (mean loss \(String(format: "%.4f", loss)))", ""]
        lines.append("digit  accuracy   images")
        for digit in 0..<confusion.classes {
            let row = confusion.counts[digit].reduce(0, +)
            lines.append(String(format: "  %d    %7.2f%%   %6d", digit, confusion.perClassAccuracy[digit] * 100, row))
        }
        lines.append("")
        lines.append("confusion matrix (rows: true digit, columns: predicted)")
        lines.append("true\\pred" + (0..<confusion.classes).map { String(format: "%6d", $0) }.joined())
        for digit in 0..<confusion.classes {
            let rowTotal = confusion.counts[digit].reduce(0, +)
            let cells = confusion.counts[digit].enumerated().map { predicted, count -> String in
                let text = String(format: "%6d", count)
                guard color, count > 0 else { return text }   // empty cells keep the terminal's own background
                let shade = ConfusionHeatmap.shade(count: count, rowTotal: rowTotal, diagonal: predicted == digit)
                let ink = shade.red < 140 || shade.green < 110 ? "38;2;255;255;255" : "38;2;34;34;34"
                return "\u{1B}[48;2;\(shade.red);\(shade.green);\(shade.blue);\(ink)m\(text)\u{1B}[0m"
            }
            lines.append(String(format: "%6d   ", digit) + cells.joined())
        }
        let worst = confusion.worstPairs.prefix(5)
        if !worst.isEmpty {
            lines.append("")
            lines.append("most frequent mistakes: " + worst.map { "\($0.truth) read as \($0.predicted) ×\($0.count)" }.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }
}
