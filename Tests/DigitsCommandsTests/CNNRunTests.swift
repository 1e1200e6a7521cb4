// Convolutional networks on real MNIST through the real binary (runs when DIGITS_DATA is set, as in CI):
// a one-epoch CNN clears a threshold, its model file reads back with every layer, `evaluate --robustness`
// reports one row per distortion, and `--repeat` reports the mean and spread over seeds.

import DigitsFiles
import Foundation
import NeuralNetwork
import Testing

@Suite("Real MNIST, convolutional", .enabled(if: mnistDirectory != nil, "set DIGITS_DATA to the MNIST directory"), .serialized)
struct CNNRunTests {
    let data = ["--data", mnistDirectory ?? ""]

    @Test("one epoch of the fast CNN clears 98%; robustness rows name the transform, accuracy and drop")
    func shortRunAndRobustness() throws {
        let directory = makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let train = try runDigits(["train", "--preset", "fast", "--epochs", "1", "--json", "--output", "cnn.safetensors"] + data, in: directory)
        #expect(train.status == 0, "\(train.standardError)")
        let summary = try #require(jsonObject(train.standardOutput))
        let accuracy = try #require(summary["test_accuracy"] as? Double)
        #expect(accuracy > 0.98, "one epoch of --preset fast reached \(accuracy)")

        let (network, metadata) = try ModelFile.read(path: directory + "/cnn.safetensors")
        #expect(network.layers.contains { $0 is Convolution2D } && network.layers.contains { $0 is MaxPool2D })
        #expect(metadata["recipe"]?.contains("conv16k5s2p2") == true)

        let evaluate = try runDigits(["evaluate", "--model", "cnn.safetensors", "--robustness", "--json"] + data, in: directory)
        #expect(evaluate.status == 0, "\(evaluate.standardError)")
        let report = try #require(jsonObject(evaluate.standardOutput))
        #expect(report["accuracy"] as? Double == accuracy)
        let rows = try #require(report["robustness"] as? [[String: Any]])
        #expect(rows.count == ImageTransform.robustnessSuite.count)
        #expect(rows.map { $0["transform"] as? String } == ImageTransform.robustnessSuite.map(\.name))
        for row in rows {
            let rowAccuracy = try #require(row["accuracy"] as? Double), drop = try #require(row["drop"] as? Double)
            #expect(rowAccuracy > 0.3 && rowAccuracy <= 1)
            #expect(abs(accuracy - rowAccuracy - drop) < 1e-12)
        }
        let text = try runDigits(["evaluate", "--model", "cnn.safetensors", "--robustness"] + data, in: directory)
        #expect(text.standardOutput.contains("rotate +15°") && text.standardOutput.contains("largest drop"), "\(text.standardOutput)")

        // The model carries its step history; `digits report` draws it with everything else.
        let steps = try JSONDecoder().decode([StepRecord].self, from: Data(try #require(metadata["step_history"]).utf8))
        #expect(steps.count == 235 && steps.last?.step == 469 && steps.last?.epoch == 1, "469 steps in windows of 2, the last one alone: \(steps.count)")
        #expect(train.standardError.contains("training loss ▇") || train.standardError.contains("training loss █"), "\(train.standardError)")
        let html = try runDigits(["report", "--model", "cnn.safetensors", "--output", "report", "--feature-map-image", "3"] + data, in: directory)
        #expect(html.status == 0, "\(html.standardError)")
        let page = try String(contentsOfFile: directory + "/report/index.html", encoding: .utf8)
        for name in ["loss", "accuracy", "learning-rate", "per-digit-accuracy", "confusion-matrix", "predictions", "mistakes",
                     "first-layer-filters", "feature-maps"] {
            #expect(page.contains("id=\"figure-\(name)\""), "\(name) in the page")
            for suffix in ["svg", "png"] {
                let size = (try? FileManager.default.attributesOfItem(atPath: "\(directory)/report/\(name).\(suffix)")[.size] as? Int) ?? 0
                #expect(size > 500, "\(name).\(suffix) written")
            }
        }
        #expect(page.contains(String(format: "%.2f%%", accuracy * 100)))
        let missing = try runDigits(["report", "--model", "nothing.safetensors"] + data, in: directory)
        #expect(missing.status != 0 && missing.standardError.contains("no model at nothing.safetensors"), "\(missing.standardError)")
        let pastEnd = try runDigits(["report", "--model", "cnn.safetensors", "--feature-map-image", "10000"] + data, in: directory)
        #expect(pastEnd.status != 0 && pastEnd.standardError.contains("past the last test image"), "\(pastEnd.standardError)")
    }

    @Test("--repeat 2 trains seeds 5 and 6 and reports mean ± standard deviation")
    func repeatSeeds() throws {
        let directory = makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let train = try runDigits(["train", "--layers", "784-32-10", "--epochs", "1", "--seed", "5", "--repeat", "2", "--json",
                                   "--output", "m.safetensors"] + data, in: directory)
        #expect(train.status == 0, "\(train.standardError)")
        let summary = try #require(jsonObject(train.standardOutput))
        let runs = try #require(summary["runs"] as? [[String: Any]])
        #expect(runs.compactMap { $0["seed"] as? Int } == [5, 6])
        let accuracies = runs.compactMap { $0["test_accuracy"] as? Double }
        let mean = try #require(summary["mean_test_accuracy"] as? Double), deviation = try #require(summary["std_test_accuracy"] as? Double)
        #expect(abs(mean - (accuracies[0] + accuracies[1]) / 2) < 1e-12)
        #expect(abs(deviation - abs(accuracies[0] - accuracies[1]) / 2.0.squareRoot()) < 1e-12)
        #expect(accuracies[0] != accuracies[1], "different seeds train different models")
        #expect(FileManager.default.fileExists(atPath: directory + "/m.seed5.safetensors"))
        #expect(FileManager.default.fileExists(atPath: directory + "/m.seed6.safetensors"))
        #expect(train.standardError.contains("over 2 seeds"))
    }
}
