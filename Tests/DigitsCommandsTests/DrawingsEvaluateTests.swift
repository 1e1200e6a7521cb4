// `digits evaluate --drawings FILE` end to end through the binary: every kind of bad file gets one line that
// names the entry and field and a non-zero exit; a good file gives the JSON fields the README promises.

import DigitsFiles
import Foundation
import NeuralNetwork
import Testing

@Suite("evaluate --drawings")
struct DrawingsEvaluateTests {
    /// A directory with a small random model, removed by the caller.
    static func directoryWithModel() throws -> (String, String) {
        let directory = makeTemporaryDirectory()
        var generator = SeededGenerator(seed: 3)
        let network = Network.multilayerPerceptron(sizes: [784, 16, 10], generator: &generator)
        let model = directory + "/model.safetensors"
        try ModelFile.write(network, to: model)
        return (directory, model)
    }

    @Test("bad drawings files: one line naming the entry and field, non-zero exit", arguments: [
        ("missing", nil, "no drawings file at"),
        ("invalid.json", #"[{"label": 1, "strokes": [[[1, 2]]"#, "not valid JSON"),
        ("label.json", #"[{"label": 1, "strokes": [[[1, 2]]]}, {"label": 10, "strokes": [[[1, 2]]]}]"#, "entry 1: \"label\" is 10"),
        ("empty-strokes.json", #"[{"label": 1, "strokes": []}]"#, "entry 0: \"strokes\" holds no points"),
        ("nan.json", #"[{"label": 1, "strokes": [[[1, 2], [NaN, 3]]]}]"#, "entry 0: \"strokes[0][1]\""),
        ("huge.json", #"[{"label": 1, "strokes": [[[1e999, 2]]]}]"#, "entry 0: \"strokes[0][0]\""),
    ] as [(String, String?, String)])
    func badFiles(name: String, contents: String?, mention: String) throws {
        let (directory, model) = try Self.directoryWithModel()
        defer { removeDirectory(directory) }
        let path = directory + "/" + name
        if let contents { _ = FileManager.default.createFile(atPath: path, contents: Data(contents.utf8)) }
        let result = try runDigits(["evaluate", "--model", model, "--drawings", path], in: directory)
        #expect(result.status != 0, "\(name) was accepted: \(result.standardOutput)")
        let message = result.standardError.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!message.contains("\n"), "\(name): expected one line, got \(message)")
        #expect(message.contains(mention), "\(name): message lacks \"\(mention)\": \(message)")
        #expect(result.standardOutput.isEmpty)
    }

    @Test("--adapt without --drawings, or not a multiple of 10, is refused")
    func adaptOptions() throws {
        let (directory, model) = try Self.directoryWithModel()
        defer { removeDirectory(directory) }
        let alone = try runDigits(["evaluate", "--model", model, "--adapt", "20"], in: directory)
        #expect(alone.status != 0 && alone.standardError.contains("--drawings"), "\(alone.standardError)")
        _ = FileManager.default.createFile(atPath: directory + "/d.json", contents: Data(#"[{"label": 1, "strokes": [[[1, 2]]]}]"#.utf8))
        let odd = try runDigits(["evaluate", "--model", model, "--drawings", directory + "/d.json", "--adapt", "15"], in: directory)
        #expect(odd.status != 0 && odd.standardError.contains("multiple of 10"), "\(odd.standardError)")
    }

    @Test("a good file: accuracy, count, per digit, per source and the confusion matrix as JSON")
    func goodFile() throws {
        let (directory, model) = try Self.directoryWithModel()
        defer { removeDirectory(directory) }
        let entries = (0..<12).map { index in
            #"{"label": \#(index % 10), "writer": "w\#(index % 3)", "source": "\#(index < 6 ? "us" : "de")", "strokes": [[[0, 0], [\#(index), 100]], [[50, 50]]]}"#
        }
        _ = FileManager.default.createFile(atPath: directory + "/d.json", contents: Data(("[" + entries.joined(separator: ",") + "]").utf8))
        let result = try runDigits(["evaluate", "--model", model, "--drawings", directory + "/d.json", "--json", "--with-probabilities"], in: directory)
        #expect(result.status == 0, "\(result.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect(object["count"] as? Int == 12)
        let predictions = try #require(object["predictions"] as? [Int])
        let correct = predictions.enumerated().filter { $0.element == $0.offset % 10 }.count
        #expect(abs((object["accuracy"] as? Double ?? -1) - Double(correct) / 12) < 1e-12)
        #expect((object["per_digit_accuracy"] as? [Double])?.count == 10)
        #expect(Set((object["per_source_accuracy"] as? [String: Double] ?? [:]).keys) == ["us", "de"])
        let confusion = try #require(object["confusion_matrix"] as? [[Int]])
        #expect(confusion.count == 10 && confusion.allSatisfy { $0.count == 10 } && confusion.joined().reduce(0, +) == 12)
        #expect((object["probabilities"] as? [[Double]])?.count == 12)
        let text = try runDigits(["evaluate", "--model", model, "--drawings", directory + "/d.json"], in: directory)
        #expect(text.status == 0 && text.standardOutput.contains("worst writers") && text.standardOutput.contains("confusion matrix"))
    }

    @Test("a file without some digits still gives ten per-digit accuracies, 0 for the missing ones")
    func missingDigits() throws {
        let (directory, model) = try Self.directoryWithModel()
        defer { removeDirectory(directory) }
        let entries = [1, 7, 7].map { #"{"label": \#($0), "strokes": [[[0, 0], [3, 100]]]}"# }
        _ = FileManager.default.createFile(atPath: directory + "/d.json", contents: Data(("[" + entries.joined(separator: ",") + "]").utf8))
        let result = try runDigits(["evaluate", "--model", model, "--drawings", directory + "/d.json", "--json"], in: directory)
        #expect(result.status == 0, "\(result.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let perDigit = try #require(object["per_digit_accuracy"] as? [Double])
        #expect(perDigit.count == 10)
        #expect([0, 2, 3, 4, 5, 6, 8, 9].allSatisfy { perDigit[$0] == 0 })
    }
}
