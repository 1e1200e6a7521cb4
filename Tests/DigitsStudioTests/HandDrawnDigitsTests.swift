// HandDrawnDigitsTests.swift — the studio's whole path (strokes → brush → preprocessing → network) on digits
// written down by hand, in several styles: as drawn, small in a corner, large, slanted, and thin-stroked
// on a big canvas. Prints the accuracy per style; needs MNIST (DIGITS_DATA) to train the network.

import DigitImage
import DigitsFiles
import Foundation
import NeuralNetwork
import Testing

let mnistDirectory: String? = {
    guard let path = ProcessInfo.processInfo.environment["DIGITS_DATA"], !path.isEmpty else { return nil }
    return path
}()

/// A way of drawing: how the written-down points are moved before they are drawn.
struct DrawingStyle: Sendable {
    let name: String
    let canvasSide: Double
    let transform: @Sendable (Double, Double) -> (Double, Double)
}

let drawingStyles: [DrawingStyle] = [
    DrawingStyle(name: "as drawn", canvasSide: 280) { ($0, $1) },
    DrawingStyle(name: "small, top left", canvasSide: 280) { (($0 - 140) * 0.45 + 70, ($1 - 140) * 0.45 + 75) },
    DrawingStyle(name: "small, bottom right", canvasSide: 280) { (($0 - 140) * 0.4 + 215, ($1 - 140) * 0.4 + 210) },
    DrawingStyle(name: "large", canvasSide: 280) { (($0 - 140) * 1.3 + 140, ($1 - 140) * 1.3 + 140) },
    DrawingStyle(name: "slanted right", canvasSide: 280) { ($0 + 0.25 * (140 - $1), $1) },
    DrawingStyle(name: "slanted left", canvasSide: 280) { ($0 - 0.15 * (140 - $1), $1) },
    DrawingStyle(name: "wide canvas", canvasSide: 560) { ($0 + 140, $1 + 140) },
]

/// The drawing of `digit` in `style`, clamped to the canvas as the page does.
func drawing(of digit: HandDrawnDigit, in style: DrawingStyle) throws -> Drawing {
    let side = style.canvasSide
    let strokes = digit.strokes.map { stroke in
        stroke.map { point -> CanvasPoint in
            let (x, y) = style.transform(point.0, point.1)
            return CanvasPoint(x: min(side, max(0, x)), y: min(side, max(0, y)))
        }
    }
    return try Drawing(width: Int(side), height: Int(side), strokes: strokes)
}

@Suite struct HandDrawnDigitsTests {
    @Test func everyWrittenDigitIsFoundAndFittedToTheMNISTBox() throws {
        for digit in HandDrawnDigits.all {
            for style in drawingStyles {
                let result = try drawing(of: digit, in: style).preprocessed()
                guard case .digit(let prepared) = result else {
                    Issue.record("\(digit.label) \(digit.hand), \(style.name): \(result)")
                    continue
                }
                let image = prepared.image
                var rows: [Int] = [], columns: [Int] = []
                for y in 0..<28 { for x in 0..<28 where image[x, y] > 0 { rows.append(y); columns.append(x) } }
                let height = rows.max()! - rows.min()! + 1, width = columns.max()! - columns.min()! + 1
                #expect(max(height, width) >= 19 && max(height, width) <= 22, "\(digit.label) \(digit.hand), \(style.name): \(width)×\(height)")
            }
        }
    }

    @Test(.enabled(if: mnistDirectory != nil, "set DIGITS_DATA to the MNIST directory to run"))
    func theStudioReadsHandDrawnDigitsInEveryStyle() throws {
        let network = try trainedStudioNetwork()
        var lines: [String] = []
        var correctAll = 0, totalAll = 0
        var accuracyByStyle: [String: Double] = [:]
        for style in drawingStyles {
            var correct = 0
            var misses: [String] = []
            for digit in HandDrawnDigits.all {
                guard let input = try drawing(of: digit, in: style).preprocessed().digit?.input else { continue }
                let probabilities = network.probabilities(unitPixels: input)
                let answer = probabilities.indices.max { probabilities[$0] < probabilities[$1] }!
                if answer == digit.label { correct += 1 } else { misses.append("\(digit.label) \(digit.hand)→\(answer)") }
            }
            let accuracy = Double(correct) / Double(HandDrawnDigits.all.count)
            accuracyByStyle[style.name] = accuracy
            correctAll += correct
            totalAll += HandDrawnDigits.all.count
            lines.append("  \(style.name.padding(toLength: 20, withPad: " ", startingAt: 0)) \(correct)/\(HandDrawnDigits.all.count)  \(misses.joined(separator: ", "))")
        }
        let overall = Double(correctAll) / Double(totalAll)
        print("hand-drawn digits read by the studio pipeline (\(network.summary)): \(correctAll)/\(totalAll) = \(String(format: "%.1f", overall * 100))%\n" + lines.joined(separator: "\n"))
        #expect(accuracyByStyle["as drawn"]! >= 0.9)
        #expect(accuracyByStyle["wide canvas"]! >= 0.9)
        #expect(overall >= 0.85)
    }

    /// A 784-128-64-10 (Nesterov SGD, cosine schedule) trained for 3 epochs; or, to measure a saved model
    /// (e.g. the default CNN), the model file named by DIGITS_HANDDRAWN_MODEL.
    func trainedStudioNetwork() throws -> Network {
        if let path = ProcessInfo.processInfo.environment["DIGITS_HANDDRAWN_MODEL"] { return try ModelFile.read(path: path).network }
        let sets = try MNIST.load(directory: mnistDirectory!)
        var generator = SeededGenerator(seed: 1)
        let network = Network.multilayerPerceptron(sizes: [784, 128, 64, 10], dropout: 0.1, normalization: .mnist, generator: &generator)
        let workers = WorkerThreads(threadCount: 2)
        defer { workers.stop() }
        let trainer = Trainer(network: network, optimizer: SGD(momentum: 0.9, nesterov: true, weightDecay: 1e-3),
                              settings: TrainingSettings(epochs: 3, batchSize: 64, learningRate: 0.05, schedule: .cosine(warmupSteps: 0, floor: 0), seed: 1),
                              trainingSet: sets.train, workers: workers)
        _ = trainer.run(clock: { Date().timeIntervalSince1970 })
        return network
    }
}
