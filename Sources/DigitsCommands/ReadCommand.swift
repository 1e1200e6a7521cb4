// ReadCommand.swift — `digits read`: the whole number in a photo or scan of paper (dark ink on light paper
// or the reverse), cut into digits and read like the studio's Number mode.

import ArgumentParser
import DigitImage
import DigitsFiles
import DigitsStudio
import Foundation
import NeuralNetwork

struct ReadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "Read a whole number (up to 20 digits) in PNG or PGM images.",
        discussion: """
            The paper is told from the ink (dark on light or light on dark); the ink is cut into digits (strokes \
            that share their horizontal extent make one digit; touching digits are cut where the network reads \
            two digits far better than one), each read like a single digit, left to right. An element that is not \
            a digit shows as "?". --json prints one object per image: {"file", "text", "digits": [{"digit", \
            "probabilities", "box"}], "model"}.
            """)

    @Option(help: ArgumentHelp("The model (default: the one `digits train` saves).", valueName: "FILE")) var model: String?
    @Flag(help: "Print one JSON object per image, like POST /api/read.") var json = false
    @Argument(help: ArgumentHelp("Image files (PNG or PGM).", valueName: "IMAGE")) var images: [String]

    func validate() throws {
        if images.isEmpty { throw UsageError("give at least one image file, e.g. digits read number.png") }
    }

    func run() throws {
        let (path, network, rule) = try PredictCommand.loadDigitModel(model, for: "read")
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
            let paper = image.estimatePaper()
            let reading: NumberReading
            if paper.contrast < 0.1 {
                reading = NumberReading(elements: [], reason: "no ink found: the image is one flat tone")
            } else {
                reading = NumberReader.read(ink: image.inkImage(paper), with: network, rule: rule)
            }
            if reading.elements.count > NumberReader.maximumElements {
                printError("error: \(imagePath) holds more than \(NumberReader.maximumElements) elements; a number has at most \(NumberReader.maximumElements) digits")
                failures += 1
                continue
            }
            if json {
                var object: [String: Any] = [
                    "file": imagePath, "text": reading.text, "model": path,
                    "digits": reading.elements.map { element -> [String: Any] in
                        ["digit": element.digit.map { $0 as Any } ?? NSNull(), "probabilities": element.probabilities.map(Double.init),
                         "box": element.box.map { ($0 * 10).rounded() / 10 }]
                    },
                ]
                if let reason = reading.reason { object["reason"] = reason }
                print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
            } else if let reason = reading.reason {
                print("\(imagePath): no number found (\(reason))")
            } else {
                let confidences = reading.elements.map { element in
                    "\(element.digit.map(String.init) ?? "?") \(percent(Double(element.probabilities.max() ?? 0), decimals: 0))"
                }
                print("\(imagePath): \(reading.text)   (\(confidences.joined(separator: ", ")))")
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }
}
