// `digits inspect` says how a digit model says "not a digit", from the same metadata the studio reads.

import DigitsFiles
import DigitsStudio
import NeuralNetwork
import Testing

@Suite("inspect: the not-a-digit rule")
struct InspectRuleTests {
    @Test("each rule, in the words of the Model page", arguments: NotADigitRule.allCases)
    func rule(rule: NotADigitRule) throws {
        let directory = makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        var generator = SeededGenerator(seed: 9)
        let network = Network.multilayerPerceptron(sizes: [784, 8, 10], generator: &generator)
        try ModelFile.write(network, to: directory + "/m.safetensors", metadata: DrawingReader.metadata(for: rule))
        let result = try runDigits(["inspect", "m.safetensors"], in: directory)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("says \"not a digit\" \(rule.explanation)"), "\(result.standardOutput)")
    }
}
