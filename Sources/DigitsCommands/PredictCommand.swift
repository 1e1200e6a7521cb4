// PredictCommand.swift — `digits predict`: read image files, preprocess them like MNIST, classify them.

import ArgumentParser
import DigitImage
import DigitsFiles
import DigitsStudio
import Foundation
import NeuralNetwork

struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Read the digit in PNG or PGM images.",
        discussion: """
            Each image goes through the MNIST-style preprocessing (background detection, smoothing, noise \
            threshold, crop, fit into 20×20, centering by mass in 28×28) before the network sees it. A blank \
            image answers "no digit found" instead of a guess.
            """)

    @Option(help: ArgumentHelp("The model (default: the one `digits train` saves).", valueName: "FILE")) var model: String?
    @Flag(help: "Print one JSON object per image on standard output, with all ten probabilities.") var json = false
    @Flag(help: "Draw the 28×28 input the network sees in the terminal.") var show = false
    @Argument(help: ArgumentHelp("Image files (PNG: 8-bit gray, gray+alpha, RGB, RGBA; PGM).", valueName: "IMAGE")) var images: [String]

    func validate() throws {
        if images.isEmpty { throw UsageError("give at least one image file, e.g. digits predict seven.png") }
    }

    func run() throws {
        let (_, network, rule) = try Self.loadDigitModel(model, for: "predict")
        let preprocessor = DigitPreprocessor()
        var failures = 0
        for imagePath in images {
            let image: GrayImage
            do {
                image = try ImageFile.load(path: imagePath)
            } catch {
                printError("error: \(error)")
                failures += 1
                continue
            }
            switch preprocessor.process(image) {
            case .empty(let reason):
                if json {
                    printJSON(["file": imagePath, "digit": NSNull(), "reason": reason])
                } else {
                    print("\(imagePath): \(reason)")
                }
            case .digit(let digit):
                // Read as the studio reads a drawing: averaged over the input and two copies moved one pixel diagonally.
                let (probabilities, energy) = network.shiftAveragedReading(unitPixels: digit.input)
                let ranked = probabilities.enumerated().sorted { $0.element > $1.element }
                // The studio's rule for this model (`NotADigitRule`).
                let notADigit = rule.isNotADigit(probabilities: probabilities, energy: energy)
                if json {
                    var object: [String: Any] = ["file": imagePath, "digit": notADigit ? NSNull() : ranked[0].offset,
                                                 "probabilities": probabilities.map(Double.init), "background": digit.background.rawValue]
                    if notADigit { object["reason"] = DrawingReader.notADigitReason }
                    printJSON(object)
                } else {
                    let top = ranked.prefix(3).map { "\($0.offset) \(percent(Double($0.element), decimals: 1))" }.joined(separator: ", ")
                    print("\(imagePath): \(notADigit ? "not a digit" : String(ranked[0].offset))   (\(top))")
                }
                if show { printError(asciiArt(digit.image)) }
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }

    private func printJSON(_ object: [String: Any]) {
        if let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) {
            print(String(decoding: data, as: UTF8.self))
        }
    }

    /// The model at `path` (or where `digits train` saves it), checked to read 28×28 digits, and how it says
    /// "not a digit"; `command` names the caller in the message when it does not fit.
    static func loadDigitModel(_ path: String?, for command: String) throws -> (path: String, network: Network, rule: NotADigitRule) {
        let path = path ?? defaultModelPath()
        guard FileManager.default.fileExists(atPath: path) else {
            throw UsageError("no model at \(path): train one with `digits train` or pass --model FILE")
        }
        let (network, metadata) = try ModelFile.read(path: path)
        guard network.inputFeatures == 784, network.outputFeatures == 10 else {
            throw UsageError("\(path) takes \(network.inputFeatures) inputs and gives \(network.outputFeatures) outputs; \(command) needs a 28×28 (784-input) digit model")
        }
        return (path, network, DrawingReader.rule(metadata: metadata))
    }
}
