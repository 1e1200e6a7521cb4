// Training recipes are typed: every preset builds, survives its JSON unchanged, and writes the keys that
// earlier versions wrote; recipes saved by earlier versions read back the same; a name that means nothing
// (an optimizer, a schedule, an architecture) is refused where it is read instead of falling back silently.

import DigitsFiles
import Foundation
import NeuralNetwork
import Testing

@Suite("Training recipes")
struct TrainingRecipeTests {
    @Test("every preset validates, builds its network and round-trips through JSON", arguments: TrainingRecipe.presets.keys.sorted())
    func presets(name: String) throws {
        let recipe = try #require(TrainingRecipe.presets[name])
        try recipe.validate()
        let network = try recipe.makeNetwork()
        #expect(network.outputFeatures == 10 && network.inputFeatures == 784)
        #expect(network.specification == (try recipe.architecture.specifications()))
        #expect(try TrainingRecipe(json: recipe.json) == recipe)
    }

    @Test("a perceptron is written as layers and dropout, anything else as architecture text (the keys earlier versions read)")
    func keys() throws {
        let mlp = try JSONSerialization.jsonObject(with: Data(TrainingRecipe.presets["mlp-tuned"]!.json.utf8)) as! [String: Any]
        #expect(mlp["layers"] as? [Int] == [784, 128, 64, 10] && mlp["dropout"] as? Double == 0.1 && mlp["architecture"] == nil)
        #expect(mlp["optimizer"] as? String == "nesterov" && mlp["schedule"] as? String == "cosine")
        #expect(mlp["initialization"] as? String == "he" && mlp["normalization"] as? String == "mnist")
        let cnn = try JSONSerialization.jsonObject(with: Data(TrainingRecipe.presets["default"]!.json.utf8)) as! [String: Any]
        #expect(cnn["architecture"] as? String == "conv24k5s2p2-relu-conv48k3-relu-maxpool2-flatten-dense128-relu-dense10")
        #expect(cnn["layers"] as? [Int] == [784, 10] && cnn["schedule"] as? String == "onecycle" && cnn["optimizer"] as? String == "adam")
    }

    @Test("recipes saved by earlier versions read back as the same recipe")
    func earlierJSON() throws {
        // Written by the version before typed recipes (`digits train --preset mlp-tuned`, `--preset default`).
        let mlp = #"{"batchSize":64,"dropout":0.1,"epochs":20,"initialization":"he","layers":[784,128,64,10],"learningRate":0.05,"momentum":0.9,"normalization":"mnist","optimizer":"nesterov","schedule":"cosine","seed":1,"validation":0,"weightDecay":0.001}"#
        #expect(try TrainingRecipe(json: mlp) == TrainingRecipe.presets["mlp-tuned"]!)
        // The default of the version before the energy margin: its non-digits were trained towards the uniform target.
        let cnn = #"{"architecture":"conv24k5s2p2-relu-conv48k3-relu-maxpool2-flatten-dense128-relu-dense10","augmentation":"rotate=15,scale=0.2,stretch=0.2,shift=3,shear=10,thickness=1,styles=0.3","batchSize":128,"dropout":0,"epochs":12,"initialization":"he","layers":[784,10],"learningRate":0.004,"momentum":0,"nonDigits":0.1,"normalization":"mnist","optimizer":"adam","schedule":"onecycle","seed":1,"validation":0,"weightDecay":0}"#
        let earlierDefault = try TrainingRecipe(json: cnn)
        var uniform = TrainingRecipe.presets["default"]!
        uniform.nonDigitLoss = nil
        #expect(earlierDefault == uniform)
        #expect(!earlierDefault.trainsNonDigitsByEnergy && earlierDefault.settings.energyMargin == nil)
    }

    @Test("the default trains its non-digits by energy margin; the choice is saved, checked and needs non-digits")
    func nonDigitLoss() throws {
        let recipe = TrainingRecipe.presets["default"]!
        #expect(recipe.trainsNonDigitsByEnergy && recipe.settings.energyMargin == .standard)
        #expect(recipe.json.contains(#""nonDigitLoss":"energy""#))
        #expect(try TrainingRecipe(json: recipe.json) == recipe)
        #expect(recipe.summary.contains("by energy margin"))
        do {
            _ = try TrainingRecipe(json: recipe.json.replacingOccurrences(of: #""nonDigitLoss":"energy""#, with: #""nonDigitLoss":"hinge""#))
            Issue.record("an unknown non-digit loss was accepted")
        } catch {
            #expect("\(error)".contains("hinge"), "\(error)")
        }
        var none = recipe
        none.nonDigits = 0
        #expect(throws: TrainingRecipeError.self) { try none.validate() }
        none.nonDigitLoss = nil
        #expect(throws: Never.self) { try none.validate() }
        #expect(none.settings.energyMargin == nil)
    }

    @Test("names that mean nothing are refused, saying which", arguments: [
        (#""optimizer":"adam""#, #""optimizer":"rmsprop""#, "rmsprop"),
        (#""schedule":"onecycle""#, #""schedule":"linear""#, "linear"),
        (#""normalization":"mnist""#, #""normalization":"zscore""#, "zscore"),
        (#""architecture":"conv24k5s2p2"#, #""architecture":"pool2-conv24k5s2p2"#, "pool2"),
    ])
    func refused(original: String, changed: String, mention: String) throws {
        let json = TrainingRecipe.presets["default"]!.json
        #expect(json.contains(original))
        do {
            _ = try TrainingRecipe(json: json.replacingOccurrences(of: original, with: changed))
            Issue.record("\(changed) was accepted")
        } catch {
            #expect(error.description.contains(mention), "\(error)")
        }
    }

    @Test("a saved recipe whose dropout is out of range reads, but builds no network: the error names --dropout")
    func dropoutOutOfRange() throws {
        let json = TrainingRecipe.presets["mlp-tuned"]!.json.replacingOccurrences(of: #""dropout":0.1"#, with: #""dropout":1.5"#)
        #expect(json.contains(#""dropout":1.5"#))
        let recipe = try TrainingRecipe(json: json)
        #expect(throws: TrainingRecipeError("--dropout must be in [0, 1), found 1.5")) { _ = try recipe.makeNetwork() }
    }

    @Test("perceptrons are recognized again, and dropout goes after every hidden dense layer")
    func perceptronForm() throws {
        let mlp = NetworkArchitecture.perceptron(sizes: [784, 32, 16, 10], dropout: 0.2)
        #expect(mlp.description == "dense32-relu-dropout0.2-dense16-relu-dropout0.2-dense10")
        #expect(mlp.perceptronForm(inputFeatures: 784)?.sizes == [784, 32, 16, 10] && mlp.perceptronForm(inputFeatures: 784)?.dropout == 0.2)
        #expect(mlp.withHiddenDropout(0) == .perceptron(sizes: [784, 32, 16, 10]))
        let cnn = try NetworkArchitecture(parsing: "conv8k3-relu-maxpool2-dropout0.25-flatten-dense64-relu-dense10")
        #expect(cnn.perceptronForm(inputFeatures: 784) == nil)
        #expect(cnn.withHiddenDropout(0.5).description == "conv8k3-relu-maxpool2-dropout0.25-flatten-dense64-relu-dropout0.5-dense10")
        let uneven = try NetworkArchitecture(parsing: "dense32-relu-dropout0.1-dense16-relu-dense10")
        #expect(uneven.perceptronForm(inputFeatures: 784) == nil)
    }
}
