// InspectCommand.swift — `digits inspect`: what is this file? Validates it completely on the way.

import ArgumentParser
import DigitImage
import DigitsFiles
import DigitsStudio
import Foundation
import NeuralNetwork

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Describe and validate a file: IDX, CSV, model, checkpoint, ONNX export or image.",
        discussion: "Exits with status 0 when the file is valid, 1 with a one-line reason when it is not.")

    @Argument(help: "The file to inspect.") var file: String

    func run() throws {
        let bytes = try FileBytes.read(path: file)
        print(try Self.describe(bytes: bytes, path: file))
    }

    /// A few lines saying what the file is; throws the parser's error when it is not valid.
    static func describe(bytes: [UInt8], path: String) throws -> String {
        let payloadStart = Zlib.isGzip(bytes) ? (try? Zlib.inflate(Array(bytes.prefix(64 * 1024)), format: .gzip, limit: 16)) ?? [] : Array(bytes.prefix(16))
        let compressed = Zlib.isGzip(bytes) ? " (gzip-compressed)" : ""
        if ImageFile.format(of: bytes) != nil {
            let image = try ImageFile.decode(bytes, path: path)
            let verdict: String
            switch DigitPreprocessor().process(image) {
            case .empty(let reason): verdict = reason
            case .digit(let digit): verdict = "a digit on \(digit.background.rawValue) paper; `digits predict \(path)` reads it"
            }
            return "\(path): image, \(image.width)×\(image.height) pixels\n\(verdict)"
        }
        if payloadStart.count >= 4 && payloadStart[0] == 0 && payloadStart[1] == 0 {
            let array = try IDXFile.read(bytes: bytes, path: path)
            let shape = array.shape.map(String.init).joined(separator: " × ")
            var text = "\(path): IDX file\(compressed), unsigned bytes, shape \(shape)"
            if array.shape.count == 3 { text += "\n\(array.shape[0]) images of \(array.shape[1])×\(array.shape[2]) pixels" }
            if array.shape.count == 1 {
                var counts = [Int](repeating: 0, count: 256)
                for label in array.bytes { counts[Int(label)] += 1 }
                text += "\n\(array.shape[0]) labels; per value: " + (0..<256).filter { counts[$0] > 0 }.map { "\($0): \(counts[$0])" }.joined(separator: ", ")
            }
            return text
        }
        if path.lowercased().hasSuffix(".onnx") || (bytes.first == 0x08 && bytes.count > 2 && bytes[2] == 0x12) {
            let summary = try OnnxSummary.read(bytes, path: path)
            return """
                \(path): ONNX model (IR version \(summary.irVersion), opset \(summary.opsets.map(String.init).joined(separator: ", ")), made by \(summary.producer.isEmpty ? "an unknown producer" : summary.producer))
                input: \(summary.inputs.joined(separator: "; "))
                output: \(summary.outputs.joined(separator: "; "))
                operators: \(summary.operators.joined(separator: " → "))
                \(summary.parameters) stored values in \(summary.operators.count) nodes
                """
        }
        if bytes.count >= 9 && !Zlib.isGzip(bytes) && bytes[8] == UInt8(ascii: "{") {
            let file = try SafeTensors.decode(bytes, path: path)
            if file.metadata["format"] == Checkpoint.format {
                let checkpoint = try Checkpoint.read(path: path)
                let recipe = try? TrainingRecipe(json: checkpoint.recipe)
                return """
                    \(path): digits training checkpoint
                    network: \(checkpoint.network.summary) (\(checkpoint.network.parameterCount) parameters)
                    recipe: \(recipe?.summary ?? "unreadable")
                    position: \(checkpoint.position.epoch) epochs done, \(checkpoint.position.batchInEpoch) batches into the next, \(checkpoint.position.step) steps
                    optimizer state: \(checkpoint.optimizerState.count) arrays after \(checkpoint.optimizerSteps) steps
                    """
            }
            let network = try ModelFile.decode(file, path: path, acceptedFormats: [ModelFile.format])
            var lines = ["\(path): digits model (safetensors, format version \(file.metadata["format_version"] ?? "?"))",
                         "network: \(network.summary) (\(network.parameterCount) parameters)",
                         "input normalization: mean \(network.normalization.mean), std \(network.normalization.standardDeviation)",
                         "tensors: " + file.tensors.keys.sorted().map { "\($0) \(file.tensors[$0]!.shape)" }.joined(separator: ", ")]
            if let recipeText = file.metadata["recipe"], let recipe = try? TrainingRecipe(json: recipeText) { lines.append("trained with: \(recipe.summary)") }
            if let accuracy = file.metadata["test_accuracy"].flatMap(Double.init) { lines.append("test accuracy: \(percent(accuracy))") }
            if network.inputFeatures == 784 && network.outputFeatures == 10 {
                lines.append("says \"not a digit\" \(DrawingReader.rule(metadata: file.metadata).explanation)")
            }
            return lines.joined(separator: "\n")
        }
        // Anything else must be CSV text; binary bytes get the IDX reader's "expected …, found …" message.
        let isText = payloadStart.allSatisfy { $0 == 9 || $0 == 10 || $0 == 13 || $0 >= 32 }
        if !isText { _ = try IDXFile.read(bytes: bytes, path: path) }
        let images = try CSVDataset.decode(bytes, path: path)
        return "\(path): CSV image set\(compressed), \(images.count) images of \(images.imageShape.height)×\(images.imageShape.width) pixels with labels"
    }
}
