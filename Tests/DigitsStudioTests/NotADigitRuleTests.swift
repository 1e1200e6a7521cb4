// How a model says "not a digit" follows from how it was trained: the rule read from a model file's metadata,
// for every kind of file earlier versions wrote, and each rule's threshold and score.

import DigitsFiles
import DigitsStudio
import Foundation
import NeuralNetwork
import Testing

@Suite("Not-a-digit rule")
struct NotADigitRuleTests {
    static func recipeMetadata(nonDigits: Double?, loss: NonDigitLoss?) -> [String: String] {
        var recipe = TrainingRecipe.presets["default"]!
        recipe.nonDigits = nonDigits
        recipe.nonDigitLoss = loss
        return ["recipe": recipe.json]
    }

    @Test("the rule of each kind of model file")
    func fromMetadata() {
        // A trained file: its recipe says whether it saw non-digits and how they were trained.
        #expect(DrawingReader.rule(metadata: Self.recipeMetadata(nonDigits: 0.1, loss: .energy)) == .energy)
        #expect(DrawingReader.rule(metadata: Self.recipeMetadata(nonDigits: 0.1, loss: .uniform)) == .entropy)
        #expect(DrawingReader.rule(metadata: Self.recipeMetadata(nonDigits: 0.1, loss: nil)) == .entropy)   // before the energy margin
        #expect(DrawingReader.rule(metadata: Self.recipeMetadata(nonDigits: nil, loss: nil)) == .never)
        #expect(DrawingReader.rule(metadata: [:]) == .never)
        #expect(DrawingReader.rule(metadata: ["recipe": "{not json"]) == .never)
        // A retrained version keeps its parent's rule; versions retrained before the energy rule say rejects_non_digits.
        for rule in NotADigitRule.allCases {
            #expect(DrawingReader.rule(metadata: DrawingReader.metadata(for: rule)) == rule)
        }
        #expect(DrawingReader.rule(metadata: [DrawingReader.rejectsNonDigitsKey: "true"]) == .entropy)
        #expect(DrawingReader.metadata(for: .entropy)[DrawingReader.rejectsNonDigitsKey] == "true")
        #expect(DrawingReader.metadata(for: .energy)[DrawingReader.rejectsNonDigitsKey] == nil)
        // The kept rule wins over the recipe (a retraining does not change how its model says "not a digit").
        var both = Self.recipeMetadata(nonDigits: 0.1, loss: .uniform)
        both.merge(DrawingReader.metadata(for: .energy)) { _, new in new }
        #expect(DrawingReader.rule(metadata: both) == .energy)
    }

    @Test("each rule compares its own score with its threshold, stricter in a number")
    func thresholds() {
        let sure: [Float] = [0.97] + [Float](repeating: 0.03 / 9, count: 9)
        let flat = [Float](repeating: 0.1, count: 10)
        // Entropy: a flat reading (log 10 ≈ 2.30 nats) is rejected, a sure one is not, whatever the energy.
        #expect(NotADigitRule.entropy.isNotADigit(probabilities: flat, energy: -50))
        #expect(!NotADigitRule.entropy.isNotADigit(probabilities: sure, energy: 0))
        // Energy: rejected above −7.75 alone and above −7.5 in a number, whatever the probabilities.
        #expect(NotADigitRule.energy.isNotADigit(probabilities: sure, energy: -7.7))
        #expect(!NotADigitRule.energy.isNotADigit(probabilities: flat, energy: -7.8))
        #expect(!NotADigitRule.energy.isNotADigit(probabilities: sure, energy: -7.7, inNumber: true))
        #expect(NotADigitRule.energy.isNotADigit(probabilities: sure, energy: -7.4, inNumber: true))
        #expect(NotADigitRule.energy.threshold(inNumber: true) > NotADigitRule.energy.threshold(inNumber: false))
        #expect(NotADigitRule.entropy.threshold(inNumber: true) > NotADigitRule.entropy.threshold(inNumber: false))
        // Never: nothing is rejected.
        #expect(!NotADigitRule.never.isNotADigit(probabilities: flat, energy: 100))
    }
}
