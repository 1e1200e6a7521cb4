// `digits export` refuses what it cannot do with one line on stderr, a non-zero exit and no file (partial or
// otherwise) where the output was to go: an unknown --format, a model file that does not load, an output
// path that cannot be written.

import DigitsFiles
import Foundation
import NeuralNetwork
import Testing

@Suite("digits export: bad input")
struct ExportBadInputTests {
    /// A small model file in `directory`.
    func modelFile(in directory: String) throws -> String {
        var generator = SeededGenerator(seed: 2)
        let network = Network.multilayerPerceptron(sizes: [784, 8, 10], generator: &generator)
        let path = directory + "/m.safetensors"
        try ModelFile.write(network, to: path)
        return path
    }

    @Test("unknown format, a model that does not load, an output that cannot be written", arguments: ["format", "model", "output"])
    func refused(problem: String) throws {
        let directory = makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        var model = try modelFile(in: directory)
        var output = directory + "/out.onnx"
        var format = "onnx"
        let mention: String
        switch problem {
        case "format":
            format = "tflite"
            mention = "tflite"
        case "model":
            model = directory + "/broken.safetensors"
            _ = FileManager.default.createFile(atPath: model, contents: Data(safetensorsBytes(header: #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0])))
            mention = "broken.safetensors"
        default:
            output = directory + "/no-such-folder/out.onnx"
            mention = "no-such-folder"
        }
        let result = try runDigits(["export", model, "--format", format, "--output", output], in: directory)
        #expect(result.status != 0, "\(problem) was accepted")
        let message = result.standardError.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!message.isEmpty && !message.contains("\n"), "\(problem): expected one line, got \(message)")
        #expect(message.contains(mention), "\(problem): message lacks \"\(mention)\": \(message)")
        #expect(!message.contains("Fatal error"), "\(problem) crashed: \(message)")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.contains("out") }
        #expect(leftovers.isEmpty, "\(problem): output left behind: \(leftovers)")
    }

    @Test("a good model exports, and the file reads back as ONNX")
    func exports() throws {
        let directory = makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let output = directory + "/out.onnx"
        let result = try runDigits(["export", try modelFile(in: directory), "--format", "onnx", "--output", output], in: directory)
        #expect(result.status == 0, "\(result.standardError)")
        let bytes = try #require(FileManager.default.contents(atPath: output))
        // Weights and biases, and the two constants of the input normalization.
        let summary = try OnnxSummary.read([UInt8](bytes), path: output)
        #expect(summary.operators.contains("Gemm") && summary.parameters == 784 * 8 + 8 + 8 * 10 + 10 + 2, "\(summary)")
    }
}
