// ModelComparison.swift — two model versions side by side (`GET /api/model/compare?a=v1&b=v3`): accuracy
// per digit on MNIST test and on the user's samples, both confusion matrices and their difference, and the
// samples the two read differently.

import DigitsFiles
import DigitsReport
import FeedbackStore
import Foundation
import NeuralNetwork

/// The answer of `GET /api/model/compare`.
struct ComparisonAnswer: Encodable {
    /// One version's figures on one set. Accuracies are fractions; `perDigit` is null for a digit with no
    /// images; `confusion[truth][prediction]` counts.
    struct SetFigures: Encodable {
        var count: Int
        var accuracy: Double?
        var perDigit: [Double?]
        var confusion: [[Int]]
    }

    struct Side: Encodable {
        var version: String
        var mnist: SetFigures
        var samples: SetFigures
    }

    /// A sample the two versions read differently.
    struct Disagreement: Encodable {
        var id: Int64
        var label: Int
        var a: Int
        var b: Int
        /// The 28×28 network input as a PNG data URL (ink dark on white).
        var image: String
    }

    var a: Side
    var b: Side
    /// b's confusion counts minus a's, cell by cell.
    var mnistConfusionDifference: [[Int]]
    var samplesConfusionDifference: [[Int]]
    /// The MNIST test images read differently, and the first 100 of their indices.
    var mnistDisagreementCount: Int
    var mnistDisagreements: [Int]
    /// Every sample read differently.
    var disagreements: [Disagreement]
}

enum ModelComparison {
    static func answer(studio: Studio, a: String, b: String) async throws -> ComparisonAnswer {
        let first = try await studio.models.predictor(named: a)
        let second = try await studio.models.predictor(named: b)
        let samples = try await studio.store.allSamples()
        return try await studio.expensiveWork.run {
            let mnist = try? studio.mnist()
            return compare(first, second, samples: samples, mnistTest: mnist?.test, cache: studio.mnistEvaluations)
        }
    }

    /// The comparison on `samples` and, when given, MNIST test (else its figures are empty, count 0).
    static func compare(_ a: Predictor, _ b: Predictor, samples: [Sample], mnistTest: LabeledImages?, cache: EvaluationCache) -> ComparisonAnswer {
        let images = SampleExport.labeledImages(samples)
        let (networkA, networkB) = (a.makeNetwork(), b.makeNetwork())
        let samplesA = images.count > 0 ? networkA.evaluate(images) : nil
        let samplesB = images.count > 0 ? networkB.evaluate(images) : nil
        let mnistA = mnistTest.map { test in cache.evaluation(version: a.version) { networkA.evaluate(test) } }
        let mnistB = mnistTest.map { test in cache.evaluation(version: b.version) { networkB.evaluate(test) } }

        var disagreements: [ComparisonAnswer.Disagreement] = []
        if let samplesA, let samplesB {
            for index in 0..<images.count where samplesA.predictions[index] != samplesB.predictions[index] {
                let ink = Pixels.ink(images.image(index).map { Float($0) / 255 }, width: 28, height: 28)
                let png = (try? PNGEncoder.encode(ink)) ?? []
                disagreements.append(.init(id: samples[index].id ?? 0, label: samples[index].label, a: Int(samplesA.predictions[index]),
                                           b: Int(samplesB.predictions[index]), image: "data:image/png;base64," + Data(png).base64EncodedString()))
            }
        }
        var mnistDisagreements: [Int] = []
        if let mnistA, let mnistB {
            for index in mnistA.predictions.indices where mnistA.predictions[index] != mnistB.predictions[index] { mnistDisagreements.append(index) }
        }
        return ComparisonAnswer(
            a: .init(version: a.version, mnist: figures(mnistA), samples: figures(samplesA)),
            b: .init(version: b.version, mnist: figures(mnistB), samples: figures(samplesB)),
            mnistConfusionDifference: difference(mnistA, mnistB), samplesConfusionDifference: difference(samplesA, samplesB),
            mnistDisagreementCount: mnistDisagreements.count, mnistDisagreements: Array(mnistDisagreements.prefix(100)),
            disagreements: disagreements)
    }

    static func figures(_ evaluation: Evaluation?) -> ComparisonAnswer.SetFigures {
        guard let evaluation else {
            return .init(count: 0, accuracy: nil, perDigit: Array(repeating: nil, count: 10), confusion: Array(repeating: Array(repeating: 0, count: 10), count: 10))
        }
        let counts = evaluation.confusion.counts
        let perDigit: [Double?] = counts.indices.map { truth in
            let total = counts[truth].reduce(0, +)
            return total == 0 ? nil : Double(counts[truth][truth]) / Double(total)
        }
        return .init(count: evaluation.confusion.total, accuracy: evaluation.accuracy, perDigit: perDigit, confusion: counts)
    }

    static func difference(_ a: Evaluation?, _ b: Evaluation?) -> [[Int]] {
        let zero = Array(repeating: Array(repeating: 0, count: 10), count: 10)
        let (first, second) = (a?.confusion.counts ?? zero, b?.confusion.counts ?? zero)
        return (0..<10).map { truth in (0..<10).map { second[truth][$0] - first[truth][$0] } }
    }
}
