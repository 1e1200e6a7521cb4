// EvaluateCommand.swift — `digits evaluate`: accuracy, per-digit accuracy and the confusion matrix.

import ArgumentParser
import DigitsFiles
import DigitsReport
import DigitsStudio
import FeedbackStore
import Foundation
import NeuralNetwork

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Measure a model on the MNIST test set, or on recorded pen-written digits: accuracy, per digit, and confusions.",
        discussion: """
            With --drawings FILE (a file like pen-digits/dev.json), every recorded digit is drawn on the studio's \
            280×280 canvas as a person would draw it and read through the studio's own path (the same brush, \
            preprocessing and network as POST /api/predict). --adapt N also fine-tunes a copy of the model for each \
            writer on N of their drawings, exactly as the studio's Retrain does, and measures their other drawings.
            """)

    @Option(help: ArgumentHelp("The model to evaluate (default: the one `digits train` saves).", valueName: "FILE")) var model: String?
    @Flag(help: "Print one JSON object on standard output.") var json = false
    @Flag(help: "Also measure accuracy on test digits rotated ±15°, shifted ±3 px, scaled 0.8 and 1.2, and with thicker and thinner strokes.")
    var robustness = false
    @Option(help: ArgumentHelp("Measure on recorded pen-written digits (JSON like pen-digits/dev.json) instead of MNIST.", valueName: "FILE"))
    var drawings: String?
    @Option(help: ArgumentHelp("With --drawings: for each writer with enough drawings, retrain on N of them (N/10 per digit) like the studio and measure the rest.", valueName: "N"))
    var adapt: Int?
    @Option(help: "With --adapt: writers with fewer drawings than this are skipped.") var adaptMinimumDrawings = 60
    @Option(help: "With --adapt: steps of each retraining (the studio's default).") var adaptSteps = FineTuningSettings.defaultSteps
    @Flag(help: "With --json: also give the ten probabilities of every drawing (\"probabilities\"), or for MNIST every image's probabilities and their entropy (\"uncertainties\").")
    var withProbabilities = false
    @Option(help: ArgumentHelp("With --drawings: also compose numbers of N digits of one writer each and read them whole (exact numbers, digit accuracy).", valueName: "N"))
    var numbers: Int?
    @Option(name: .customLong("number-count"), help: "With --numbers: how many numbers to compose.") var numberCount = 1000
    @Option(name: .customLong("non-digits"), help: ArgumentHelp("Measure how many recorded letters and symbols (JSON like pen-digits/nondigits-dev.json) are rejected as \"not a digit\".", valueName: "FILE"))
    var nonDigits: String?
    @Option(help: ArgumentHelp("Measure on your saved drawings (the studio's database or its CSV/IDX export) instead of MNIST.", valueName: "FILE"))
    var samples: String?
    @Option(help: "Threads (default: every core, at most 8).") var threads: Int?
    @OptionGroup var dataOptions: DataOptions

    func validate() throws {
        if let adapt {
            guard drawings != nil else { throw ValidationError("--adapt needs --drawings FILE") }
            guard adapt >= 10, adapt % 10 == 0, adapt <= 200 else {
                throw ValidationError("--adapt must be a multiple of 10 from 10 to 200 (the same number of drawings of each digit), not \(adapt)")
            }
            guard adaptMinimumDrawings > adapt else {
                throw ValidationError("--adapt-minimum-drawings (\(adaptMinimumDrawings)) must exceed --adapt (\(adapt)): a writer needs drawings left to measure")
            }
            guard FineTuningSettings.stepRange.contains(adaptSteps) else {
                throw ValidationError("--adapt-steps must be \(FineTuningSettings.stepRange.lowerBound)–\(FineTuningSettings.stepRange.upperBound), not \(adaptSteps)")
            }
        }
        if let threads, !(1...64).contains(threads) { throw ValidationError("--threads must be 1–64, not \(threads)") }
        if robustness && drawings != nil { throw ValidationError("--robustness measures MNIST; leave out --drawings") }
        if let numbers {
            guard drawings != nil else { throw ValidationError("--numbers composes numbers from --drawings FILE; give it") }
            guard (1...NumberReader.maximumElements).contains(numbers) else {
                throw ValidationError("--numbers must be 1–\(NumberReader.maximumElements) digits, not \(numbers)")
            }
            guard (1...100_000).contains(numberCount) else { throw ValidationError("--number-count must be 1–100000, not \(numberCount)") }
        }
        if nonDigits != nil && (robustness || adapt != nil || samples != nil) {
            throw ValidationError("--non-digits measures rejection on recorded drawings; it goes alone or with --drawings (without --adapt)")
        }
        if samples != nil && (drawings != nil || robustness) { throw ValidationError("--samples measures your saved drawings; leave out --drawings and --robustness") }
    }

    func run() throws {
        let path = model ?? defaultModelPath()
        guard FileManager.default.fileExists(atPath: path) else {
            throw UsageError("no model at \(path): train one with `digits train` or pass --model FILE")
        }
        let (network, metadata) = try ModelFile.read(path: path)
        let rule = DrawingReader.rule(metadata: metadata)
        if drawings != nil || nonDigits != nil {
            try runOnDrawings(drawings, nonDigits: nonDigits, network: network, modelPath: path, rule: rule)
            return
        }
        let testSet = try samples.map { try SampleFile.read(path: $0) } ?? dataOptions.loadMNIST(quiet: json).test
        let workers = WorkerThreads(threadCount: threadCount)
        defer { workers.stop() }
        let result = network.evaluate(testSet, workers: workers)
        let confusion = result.confusion
        let rows = robustness ? network.robustness(testSet, cleanAccuracy: result.accuracy, workers: workers) : []
        let read = StudioReadingOfSet(network: network, images: testSet, rule: rule, workers: workers)
        if json {
            var object: [String: Any] = [
                "model": path, "set": samples ?? "mnist-test", "images": confusion.total, "accuracy": result.accuracy, "loss": result.loss,
                "per_digit_accuracy": confusion.perClassAccuracy, "confusion_matrix": confusion.counts,
            ]
            // Read as the studio reads a drawing (shift-averaged), with its "not a digit" rule: the accuracy, how
            // many it would reject, and the accuracy left.
            object["accuracy_as_read"] = read.accuracy
            object["rejected"] = read.rejected
            object["accuracy_after_rejection"] = read.accuracyAfterRejection
            if withProbabilities {
                object["uncertainties"] = result.entropies.map(Double.init)
                object["uncertainties_as_read"] = read.entropies.map(Double.init)
                object["energies_as_read"] = read.energies.map(Double.init)
                let classes = network.outputFeatures
                let flat = network.probabilities(testSet, workers: workers)
                object["probabilities"] = (0..<testSet.count).map { row in flat[row * classes..<(row + 1) * classes].map(Double.init) }
            }
            if robustness {
                object["robustness"] = rows.map { ["transform": $0.transform.name, "accuracy": $0.accuracy, "drop": $0.drop] as [String: Any] }
            }
            print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
            return
        }
        print(Self.report(confusion: confusion, loss: result.loss, modelPath: path, color: stdoutIsColorTerminal,
                          setName: samples.map { "of your drawings in \($0)" } ?? "test images"))
        print("\nread as the studio reads a drawing (averaged over the image and two copies moved one pixel diagonally): \(percent(read.accuracy))"
              + (rule.rejects ? "; \(read.rejected) called \"not a digit\", \(percent(read.accuracyAfterRejection)) left" : ""))
        if robustness { print("\n" + Self.robustnessReport(rows, cleanAccuracy: result.accuracy)) }
    }

    var threadCount: Int { threads ?? min(ProcessInfo.processInfo.activeProcessorCount, 8) }

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
    static func report(confusion: ConfusionMatrix, loss: Double, modelPath: String, color: Bool = false, setName: String = "test images") -> String {
        var lines = ["model \(modelPath)",
                     "accuracy \(percent(confusion.accuracy)) on \(confusion.total) \(setName) (mean loss \(String(format: "%.4f", loss)))", ""]
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

/// A set of images read the way the studio reads a drawing: probabilities averaged over each image and two
/// copies moved one pixel diagonally (`Network.shiftAveragedReadings`), then the model's "not a digit" rule. A
/// rejected image counts as a miss in `accuracyAfterRejection`.
struct StudioReadingOfSet {
    var accuracy: Double
    var rejected: Int
    var accuracyAfterRejection: Double
    /// The entropy (nats) of each image's averaged probabilities, and its averaged energy: the scores the rules compare.
    var entropies: [Float]
    var energies: [Float]

    init(network: Network, images: LabeledImages, rule: NotADigitRule, workers: WorkerThreads) {
        let classes = network.outputFeatures
        let readings = network.shiftAveragedReadings(images, workers: workers)
        let probabilities = Matrix(rows: images.count, columns: classes, values: readings.probabilities)
        var correct = 0, rejectedCount = 0, correctKept = 0
        var entropies: [Float] = []
        entropies.reserveCapacity(images.count)
        for row in 0..<images.count {
            let scores = Array(probabilities.values[row * classes..<(row + 1) * classes])
            let isCorrect = probabilities.argmax(row: row) == Int(images.labels[row])
            let isRejected = rule.isNotADigit(probabilities: scores, energy: readings.energies[row])
            entropies.append(entropy(scores))
            if isCorrect { correct += 1 }
            if isRejected { rejectedCount += 1 } else if isCorrect { correctKept += 1 }
        }
        let total = Double(max(1, images.count))
        accuracy = Double(correct) / total
        rejected = rejectedCount
        accuracyAfterRejection = Double(correctKept) / total
        self.entropies = entropies
        self.energies = readings.energies
    }
}
