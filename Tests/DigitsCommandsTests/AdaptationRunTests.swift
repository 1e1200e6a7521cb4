// `digits evaluate --drawings FILE --adapt N` retrains like the studio (runs when DIGITS_DATA is set, as in CI):
// a model that says "not a digit" is retrained with the studio's share of synthetic non-digits, trained as the
// model was (by energy or towards the uniform target), and its drawings are read with its rule; a model that
// does not, without either.

import DigitsFiles
import DigitsStudio
import Foundation
import NeuralNetwork
import Testing

@Suite("Personalization through the command line", .enabled(if: mnistDirectory != nil, "set DIGITS_DATA to the MNIST directory"))
struct AdaptationRunTests {
    @Test("--adapt uses the studio's retraining settings for models with and without \"not a digit\"",
          arguments: [NotADigitRule.energy, .entropy, .never])
    func studioSettings(rule: NotADigitRule) throws {
        let directory = makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        var generator = SeededGenerator(seed: 5)
        let network = Network.multilayerPerceptron(sizes: [784, 16, 10], generator: &generator)
        let model = directory + "/model.safetensors"
        try ModelFile.write(network, to: model, metadata: DrawingReader.metadata(for: rule))
        // One writer: 0…9 to save as samples, then a 1 and a 7 to measure.
        let entries = ((0..<10).map { $0 } + [1, 7]).enumerated().map { index, label in
            #"{"label": \#(label), "writer": "w", "source": "s", "strokes": [[[0, 0], [\#(10 + index * 7), 100], [60, \#(40 + index)]]]}"#
        }
        _ = FileManager.default.createFile(atPath: directory + "/d.json", contents: Data(("[" + entries.joined(separator: ",") + "]").utf8))
        let result = try runDigits(["evaluate", "--model", model, "--drawings", directory + "/d.json", "--adapt", "10",
                                    "--adapt-minimum-drawings", "11", "--adapt-steps", "10", "--json", "--data", mnistDirectory ?? ""],
                                   in: directory)
        #expect(result.status == 0, "\(result.standardError)")
        let object = try #require(jsonObject(result.standardOutput), "evaluate --json printed \(result.standardOutput)")
        let adaptation = try #require(object["adaptation"] as? [String: Any])
        #expect(adaptation["rejecting_non_digits"] as? Bool == rule.rejects && adaptation["not_a_digit_rule"] as? String == rule.rawValue)
        #expect(adaptation["non_digit_share"] as? Double == (rule.rejects ? FineTuningSettings.nonDigitShareForRejectingModels : 0))
        let writers = try #require(adaptation["writers"] as? [[String: Any]])
        #expect(writers.count == 1 && writers.first?["measured"] as? Int == 2 && writers.first?["samples"] as? Int == 10)
    }

    @Test("the studio's rule: synthetic non-digits in a retraining exactly when the model rejects them, trained as it was")
    func settingsRule() {
        var settings = FineTuningSettings()
        settings.nonDigitShare = 0.3
        #expect(settings.forModel(rule: .energy).nonDigitShare == 0.1 && settings.forModel(rule: .energy).energyMargin == .standard)
        #expect(settings.forModel(rule: .entropy).nonDigitShare == 0.1 && settings.forModel(rule: .entropy).energyMargin == nil)
        #expect(settings.forModel(rule: .never).nonDigitShare == 0 && settings.forModel(rule: .never).energyMargin == nil)
        #expect(settings.forModel(rule: .energy).steps == settings.steps)
    }
}
