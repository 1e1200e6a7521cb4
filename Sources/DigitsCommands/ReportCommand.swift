// ReportCommand.swift — `digits report`: an HTML page plus every figure as SVG and PNG, for one model.

import ArgumentParser
import DigitsFiles
import DigitsReport
import DigitsStudio
import Foundation
import NeuralNetwork

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write an HTML report of a model: training curves, per-digit accuracy, confusion matrix, predictions, mistakes, first-layer weights.",
        discussion: "The page (index.html) opens from disk with no network; each figure is also written as NAME.svg and NAME.png.")

    @Option(help: ArgumentHelp("The model to report on (default: the one `digits train` saves).", valueName: "FILE")) var model: String?
    @Option(help: ArgumentHelp("Directory for index.html and the figures (created if missing).", valueName: "DIR")) var output = "report"
    @Option(help: "Test image whose first-layer feature maps are drawn (convolutional models).") var featureMapImage = 0
    @Option(help: ArgumentHelp("Add a section on recorded pen-written digits (JSON like pen-digits/dev.json), read like the studio reads a drawing.", valueName: "FILE"))
    var drawings: String?
    @OptionGroup var dataOptions: DataOptions

    func validate() throws {
        guard featureMapImage >= 0 else { throw ValidationError("--feature-map-image must be 0 or more (an index into the 10,000 test images)") }
    }

    func run() throws {
        let path = model ?? defaultModelPath()
        guard FileManager.default.fileExists(atPath: path) else {
            throw UsageError("no model at \(path): train one with `digits train` or pass --model FILE")
        }
        let (network, metadata) = try ModelFile.read(path: path)
        let data = try dataOptions.loadMNIST()
        guard featureMapImage < data.test.count else {
            throw ValidationError("--feature-map-image \(featureMapImage) is past the last test image (\(data.test.count - 1))")
        }
        let history = TrainingHistoryMetadata.history(in: metadata) ?? []
        let steps = TrainingHistoryMetadata.stepHistory(in: metadata)
        let workers = WorkerThreads(threadCount: min(ProcessInfo.processInfo.activeProcessorCount, 8))
        defer { workers.stop() }

        var bar = ProgressBar()
        let report = ModelReport(network: network, modelName: (path as NSString).lastPathComponent, history: history, stepHistory: steps,
                                 test: data.test, seeds: Self.seedResults(for: path), featureMapIndex: featureMapImage, workers: workers) { done in
            bar.update(fraction: Double(done) / Double(data.test.count), label: "evaluating", details: "\(done)/\(data.test.count) test images")
        }
        bar.clear()
        var sections = report.sections()
        let rule = DrawingReader.rule(metadata: metadata)
        let drawingsSection = try drawings.map { try Self.drawingsSection($0, network: network, rule: rule, workers: workers) }
        if let drawingsSection { sections.append(drawingsSection.section()) }
        let figures = sections.flatMap(\.figures)
        do {
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        } catch {
            throw UsageError("cannot create the report directory \(output): \(error.localizedDescription)")
        }
        for (number, figure) in figures.enumerated() {
            bar.update(fraction: Double(number) / Double(figures.count), label: "drawing", details: "\(figure.name) (\(number + 1)/\(figures.count))", force: true)
            try AtomicFile.write(Array(figure.svg().utf8), to: "\(output)/\(figure.name).svg")
            try AtomicFile.write(try figure.png(), to: "\(output)/\(figure.name).png")
        }
        bar.clear()
        var summary: [(String, String)] = [("model", path), ("network", "\(network.summary) (\(network.parameterCount) parameters)"),
                                           ("test accuracy", "\(percent(report.confusion.accuracy)) on \(report.confusion.total) MNIST test images")]
        if let drawingsSection {
            summary.append(("pen-written drawings", "\(percent(drawingsSection.accuracy)) on \(drawingsSection.count) drawings of \(drawingsSection.fileName)"
                            + (rule.rejects ? " (\(drawingsSection.rejected) called \"not a digit\", counted as misses)" : "")))
        }
        if let recipe = metadata["recipe"] { summary.append(("recipe", recipe)) }
        let page = report.html(summary: summary, sections: sections)
        try AtomicFile.write(Array(page.utf8), to: "\(output)/index.html")
        printError("report written to \(output)/index.html (\(figures.count) figures, each as SVG and PNG)")
    }

    /// Reads every drawing of `file` like the studio (with the model's "not a digit" `rule`, as `digits evaluate
    /// --drawings` does) and builds the report's section on them.
    static func drawingsSection(_ file: String, network: Network, rule: NotADigitRule, workers: WorkerThreads) throws -> DrawingsSection {
        let drawings: [PenDrawing]
        do { drawings = try PenDrawingsFile.read(path: file) } catch let error as PenDrawingsFileError {
            throw UsageError(error.description)
        }
        let canvas = try DrawingsEvaluation.canvasDrawings(drawings, fileName: file)
        var bar = ProgressBar()
        let evaluation = DrawingsEvaluation.run(drawings, canvas: canvas, network: network, rule: rule, workers: workers, keepInputs: true) { done in
            bar.update(fraction: Double(done) / Double(canvas.count), label: "reading drawings", details: "\(done)/\(canvas.count)")
        }
        bar.clear()
        let misreads = evaluation.mostConfidentMisreads
        let shown = misreads.prefix(24).map { index -> DrawingMisread in
            let outcome = evaluation.outcomes[index]
            let strokes = canvas[index].inkImage(maxSide: 56)
            return DrawingMisread(strokes: Pixels.ink(strokes.pixels, width: strokes.width, height: strokes.height),
                                  input: Pixels.ink(outcome.input ?? [], width: 28, height: 28), entry: index, truth: outcome.label,
                                  read: outcome.digit ?? -1, confidence: outcome.confidence, source: drawings[index].source)
        }
        return DrawingsSection(fileName: (file as NSString).lastPathComponent, accuracy: evaluation.accuracy, count: evaluation.count,
                               perDigit: evaluation.perDigit.map { $0.count == 0 ? nil : $0.accuracy }, perSource: evaluation.perSource.map { ($0.name, $0.accuracy, $0.count) },
                               misreads: shown, misreadCount: misreads.count, rejected: evaluation.rejected)
    }

    /// For `NAME.seedS.safetensors`, the test accuracy stored in every `NAME.seed*.safetensors` beside it.
    static func seedResults(for path: String) -> [SeedResult] {
        let url = URL(fileURLWithPath: path)
        let file = url.lastPathComponent
        guard let range = file.range(of: #"\.seed\d+\.safetensors$"#, options: .regularExpression) else { return [] }
        let stem = String(file[..<range.lowerBound])
        let directory = url.deletingLastPathComponent()
        let siblings = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return siblings.compactMap { name -> (UInt64, SeedResult)? in
            guard name.hasPrefix(stem + ".seed"), name.hasSuffix(".safetensors"),
                  let seed = UInt64(name.dropFirst(stem.count + 5).dropLast(12)),
                  let file = try? SafeTensors.read(path: directory.appendingPathComponent(name).path),
                  let accuracy = file.metadata["test_accuracy"].flatMap(Double.init)
            else { return nil }
            return (seed, SeedResult(name: "seed \(seed)", accuracy: accuracy))
        }.sorted { $0.0 < $1.0 }.map(\.1)
    }
}
