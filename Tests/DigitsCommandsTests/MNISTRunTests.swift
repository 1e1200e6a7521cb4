// Real MNIST through the real binary (runs when DIGITS_DATA is set, as in CI): a short training run
// clears an accuracy threshold, evaluate and predict agree with it, and a run resumed from a checkpoint —
// after an epoch boundary or after Ctrl-C in the middle of an epoch — ends with exactly the same weights
// as the same run done in one go.

import DigitsFiles
import Foundation
import NeuralNetwork
import Testing

func jsonObject(_ text: String) -> [String: Any]? {
    guard let line = text.split(separator: "\n").last else { return nil }
    return (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
}

func tensors(_ path: String) throws -> [String: [Float]] {
    try SafeTensors.read(path: path).tensors.mapValues(\.values)
}

@Suite("Real MNIST end to end", .enabled(if: mnistDirectory != nil, "set DIGITS_DATA to the MNIST directory"), .serialized)
struct MNISTRunTests {
    let data = ["--data", mnistDirectory ?? ""]

    @Test("a one-epoch run clears 93%, and evaluate and predict agree with it")
    func trainEvaluatePredict() throws {
        let directory = makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let model = directory + "/m.safetensors"
        let train = try runDigits(["train", "--preset", "mlp", "--epochs", "1", "--json", "--output", model] + data, in: directory)
        #expect(train.status == 0, "\(train.standardError)")
        let summary = try #require(jsonObject(train.standardOutput), "train --json printed \(train.standardOutput)")
        let accuracy = try #require(summary["test_accuracy"] as? Double)
        #expect(accuracy > 0.93)
        #expect((summary["epoch_seconds"] as? [Double])?.count == 1)
        #expect(summary["model_path"] as? String == model)
        #expect(summary["train_seconds"] is Double)

        let evaluate = try runDigits(["evaluate", "--model", model, "--json"] + data, in: directory)
        #expect(evaluate.status == 0, "\(evaluate.standardError)")
        let report = try #require(jsonObject(evaluate.standardOutput))
        #expect(report["accuracy"] as? Double == accuracy)
        #expect((report["per_digit_accuracy"] as? [Double])?.count == 10)
        let matrix = try #require(report["confusion_matrix"] as? [[Int]])
        #expect(matrix.count == 10 && matrix.allSatisfy { $0.count == 10 })
        #expect(matrix.joined().reduce(0, +) == 10_000)

        // The first test image (a 7) as a PGM file, dark ink on light paper to exercise inversion.
        let test = try MNIST.load(directory: mnistDirectory!).test
        let pixels = test.image(0).map { 255 - $0 }
        let pgm = Array("P5\n28 28\n255\n".utf8) + pixels
        _ = FileManager.default.createFile(atPath: directory + "/seven.pgm", contents: Data(pgm))
        _ = FileManager.default.createFile(atPath: directory + "/blank.pgm", contents: Data(Array("P5\n28 28\n255\n".utf8) + [UInt8](repeating: 255, count: 784)))
        let predict = try runDigits(["predict", "--model", model, "--json", "seven.pgm", "blank.pgm"], in: directory)
        #expect(predict.status == 0, "\(predict.standardError)")
        let lines = predict.standardOutput.split(separator: "\n").compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
        #expect(lines.count == 2)
        #expect(lines.first?["digit"] as? Int == Int(test.labels[0]))
        #expect((lines.first?["probabilities"] as? [Double]).map { abs($0.reduce(0, +) - 1) < 1e-4 } == true)
        #expect(lines.last?["digit"] is NSNull, "a blank image must not get a guess")
        // In text, the preprocessor's reason as it is (it begins "no digit found"), once.
        let text = try runDigits(["predict", "--model", model, "blank.pgm"], in: directory)
        #expect(text.standardOutput == "blank.pgm: no digit found: the image is a single uniform colour (luminance 1.0)\n", "\(text.standardOutput)")
    }

    @Test("1 epoch + resume to 2 gives the same weights as 2 epochs in one go")
    func resumeEqualsUninterrupted() throws {
        let directory = makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        // A step schedule depends on the epoch, not on the total, so a 1-epoch run is the first half of a 2-epoch run.
        let recipe = ["--layers", "784-48-10", "--optimizer", "adam", "--lr", "0.002", "--schedule", "step:1:0.5", "--dropout", "0.2",
                      "--validation", "1000", "--seed", "7"] + data
        let whole = try runDigits(["train", "--epochs", "2", "--output", "whole.safetensors"] + recipe, in: directory)
        #expect(whole.status == 0, "\(whole.standardError)")
        let again = try runDigits(["train", "--epochs", "2", "--output", "again.safetensors"] + recipe, in: directory)
        #expect(try tensors(directory + "/again.safetensors") == tensors(directory + "/whole.safetensors"), "same recipe, same seed → same weights")
        #expect(again.status == 0)

        let half = try runDigits(["train", "--epochs", "1", "--output", "half.safetensors", "--checkpoint", "c.safetensors"] + recipe, in: directory)
        #expect(half.status == 0, "\(half.standardError)")
        let resumed = try runDigits(["train", "--resume", "c.safetensors", "--epochs", "2", "--output", "resumed.safetensors"] + data, in: directory)
        #expect(resumed.status == 0, "\(resumed.standardError)")
        #expect(try tensors(directory + "/resumed.safetensors") == tensors(directory + "/whole.safetensors"))

        let inspect = try runDigits(["inspect", "c.safetensors"], in: directory)
        #expect(inspect.standardOutput.contains("checkpoint") && inspect.standardOutput.contains("2 epochs done"), "\(inspect.standardOutput)")
        let changed = try runDigits(["train", "--resume", "c.safetensors", "--epochs", "3", "--lr", "0.1"] + data, in: directory)
        #expect(changed.status != 0 && changed.standardError.contains("--lr"), "\(changed.standardError)")
    }

    @Test("Ctrl-C mid-epoch writes a checkpoint; resuming it ends with the uninterrupted run's weights")
    func interruptAndResume() throws {
        let directory = makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let recipe = ["--layers", "784-256-10", "--batch-size", "16", "--optimizer", "momentum", "--lr", "0.02", "--schedule", "onecycle",
                      "--dropout", "0.1", "--epochs", "2", "--seed", "3", "--threads", "2", "--validation", "100"] + data
        let whole = try runDigits(["train", "--output", "whole.safetensors"] + recipe, in: directory)
        #expect(whole.status == 0, "\(whole.standardError)")

        let (process, out, err) = try startDigits(["train", "--output", "cut.safetensors", "--checkpoint", "cut.ckpt.safetensors"] + recipe, in: directory)
        // Wait for the first epoch's summary line, then press Ctrl-C: it lands in the middle of epoch 2.
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning && Date() < deadline {
            if let text = try? String(contentsOfFile: err, encoding: .utf8), text.contains("epoch 1/2") { break }
            Thread.sleep(forTimeInterval: 0.01)
        }
        process.interrupt()
        process.waitUntilExit()
        let interrupted = finish(process, out, err)
        #expect(interrupted.status == 130, "expected exit 130 after Ctrl-C: \(interrupted.standardError)")
        #expect(interrupted.standardError.contains("digits train --resume cut.ckpt.safetensors --epochs 2"), "\(interrupted.standardError)")
        #expect(!FileManager.default.fileExists(atPath: directory + "/cut.safetensors"), "no model is written for an interrupted run")

        let resumed = try runDigits(["train", "--resume", "cut.ckpt.safetensors", "--epochs", "2", "--output", "resumed.safetensors"] + data, in: directory)
        #expect(resumed.status == 0, "\(resumed.standardError)")
        #expect(try tensors(directory + "/resumed.safetensors") == tensors(directory + "/whole.safetensors"))
    }
}

@Suite("Download through the command line", .enabled(if: mnistDirectory != nil, "set DIGITS_DATA to the MNIST directory"))
struct DownloadCommandTests {
    @Test("data download fetches and verifies all four files from a mirror, then finds them present")
    func downloadFromMirror() throws {
        let directory = makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let target = directory + "/mnist"
        let first = try runDigits(["data", "download", "--to", target, "--mirror", "file://" + mnistDirectory!], in: directory)
        #expect(first.status == 0, "\(first.standardError)")
        #expect(first.standardError.components(separatedBy: "checksum verified").count == 5, "\(first.standardError)")
        let again = try runDigits(["data", "download", "--to", target, "--mirror", "file:///nonexistent"], in: directory)
        #expect(again.status == 0 && again.standardError.contains("already present"), "\(again.standardError)")
        let bad = try runDigits(["data", "download", "--to", directory + "/other", "--mirror", "file:///nonexistent"], in: directory)
        #expect(bad.status != 0 && bad.standardError.contains("t10k-labels-idx1-ubyte.gz"), "\(bad.standardError)")
    }
}
