// ExportCommand.swift — `digits export`: a model file written in another format (ONNX), to run elsewhere.

import ArgumentParser
import DigitsFiles
import Foundation
import NeuralNetwork

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a model as ONNX (opset 17) to run it in other runtimes.",
        discussion: """
            The ONNX model takes "image": float32 [N, 1, 28, 28] of raw pixel values 0–255 (ink bright, \
            preprocessed as the studio does) and returns "probabilities": float32 [N, 10]; the input \
            normalization and the softmax are inside the graph, dropout is left out. In Python: \
            onnxruntime.InferenceSession("model.onnx").run(None, {"image": images})[0].
            """)

    @Argument(help: ArgumentHelp("The model to export.", valueName: "MODEL")) var model: String
    @Option(help: "The format to write: onnx.") var format: String = "onnx"
    @Option(help: ArgumentHelp("Where to write it.", valueName: "FILE")) var output: String

    func run() throws {
        // Checked here rather than in validate(), so the error is one line without the usage text.
        guard format.lowercased() == "onnx" else {
            throw UsageError("--format \(format) is not known; the one format is onnx")
        }
        let (network, _) = try ModelFile.read(path: model)
        let bytes: [UInt8]
        do { bytes = try OnnxModel.encode(network, producerVersion: "digits") } catch let error as OnnxError {
            throw UsageError(error.description)
        }
        // Written whole or not at all: a temporary file renamed into place.
        try AtomicFile.write(bytes, to: output)
        printError("\(output): ONNX model of \(network.summary) (\(network.parameterCount) parameters), \(bytes.count) bytes")
    }
}
