// ReportCommand.swift — `digits report`: an HTML page plus every figure as SVG and PNG, for one model.

import ArgumentParser
import DigitsFiles
import DigitsReport
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
        let sections = report.sections()
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
        if let recipe = metadata["recipe"] { summary.append(("recipe", recipe)) }
        let page = report.html(summary: summary, sections: sections)
        try AtomicFile.write(Array(page.utf8), to: "\(output)/index.html")
        printError("report written to \(output)/index.html (\(figures.count) figures, each as SVG and PNG)")
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
