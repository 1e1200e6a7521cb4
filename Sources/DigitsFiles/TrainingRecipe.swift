// TrainingRecipe.swift — everything that defines a training run, its named presets, and how it
// becomes a network, an optimizer and trainer settings. Shared by `digits train` and the studio's Train page,
// and stored as JSON in checkpoints and model metadata.

import Foundation
import DigitImage
import NeuralNetwork

/// A complete, serializable description of a training run. Stored in checkpoints and model metadata.
public struct TrainingRecipe: Codable, Equatable, Sendable {
    public var layers: [Int]
    public var epochs: Int
    /// 0 = full batch.
    public var batchSize: Int
    /// sgd, momentum, nesterov, adam or adamw.
    public var optimizer: String
    public var learningRate: Double
    public var momentum: Double
    /// A `LearningRateSchedule` name.
    public var schedule: String
    public var dropout: Double
    public var weightDecay: Double
    public var seed: UInt64
    /// Images held out from the end of the training set for validation.
    public var validation: Int
    /// he or xavier.
    public var initialization: String
    /// unit (pixel/255) or mnist (standardized with MNIST's mean and deviation).
    public var normalization: String
    /// A `NetworkArchitecture` in text form (conv32k3-relu-…-dense10); when set it replaces `layers`.
    public var architecture: String?
    /// An `AugmentationSettings` specification (rotate=12,shift=2,…); nil or "none" trains on the images as they are.
    public var augmentation: String?
    /// A file of the user's saved drawings (`digits train --samples`: the studio's database or its CSV/IDX
    /// export) mixed into every epoch, and the share of the training set they make up (repeated as needed).
    public var samplesFile: String?
    public var samplesWeight: Double?

    /// The share of the training set made of synthetic drawings that are not digits (`NonDigitSynthesizer`:
    /// letters, symbols, marks, scribbles), trained towards "unsure of every digit" so that a reader can say
    /// "not a digit"; nil or 0 for none.
    public var nonDigits: Double?

    /// The share of the training set that `samplesFile` makes up when `samplesWeight` is not given.
    public static let defaultSamplesWeight = 0.05

    public static let optimizers = ["sgd", "momentum", "nesterov", "adam", "adamw"]

    /// The named recipes, documented in the README with their measured results.
    public static let presets: [String: TrainingRecipe] = [
        // The default, and the studio's model: a small CNN trained with strong augmentation so that it keeps
        // its accuracy on rotated, shifted, scaled, thicker and thinner digits, and with handwriting styles that
        // MNIST lacks but people write (slashed and crossed zeros, flagged ones, barred sevens, lifted five
        // bars) drawn into 30 % of its 0s, 1s, 5s and 7s, so that it reads real pen-written digits; a tenth of its
        // training set is synthetic non-digits (letters, symbols, scribbles) taught as "unsure of every digit",
        // so that it can say "not a digit"; 12 epochs (about 36 s on 2 Zen 5 cores).
        "default": TrainingRecipe(layers: [784, 10], epochs: 12, batchSize: 128, optimizer: "adam",
                                  learningRate: 0.004, momentum: 0, schedule: "onecycle", dropout: 0, weightDecay: 0,
                                  seed: 1, validation: 0, initialization: "he", normalization: "mnist",
                                  architecture: "conv24k5s2p2-relu-conv48k3-relu-maxpool2-flatten-dense128-relu-dense10",
                                  augmentation: "rotate=15,scale=0.2,shift=3,shear=10,thickness=1,styles=0.3", nonDigits: 0.1),
        // 99% as quickly as possible: a narrower version of the default CNN (24 channels in its second
        // convolution instead of 32), three epochs, no augmentation (about 6 s on 2 cores).
        "fast": TrainingRecipe(layers: [784, 10], epochs: 3, batchSize: 128, optimizer: "adam",
                               learningRate: 0.008, momentum: 0, schedule: "onecycle", dropout: 0, weightDecay: 0,
                               seed: 1, validation: 0, initialization: "he", normalization: "mnist",
                               architecture: "conv16k5s2p2-relu-conv24k3-relu-maxpool2-flatten-dense128-relu-dense10"),
        // The strongest single model: a VGG-style CNN with batch normalization after every convolution, affine
        // augmentation, 14 epochs (about 10–11 minutes on 2 cores).
        "best": TrainingRecipe(layers: [784, 10], epochs: 14, batchSize: 128, optimizer: "adam",
                               learningRate: 0.003, momentum: 0, schedule: "onecycle", dropout: 0, weightDecay: 0,
                               seed: 1, validation: 0, initialization: "he", normalization: "mnist",
                               architecture: "conv32k3p1-batchnorm-relu-conv32k3p1-batchnorm-relu-maxpool2-conv64k3p1-batchnorm-relu-conv64k3p1-batchnorm-relu-maxpool2-flatten-dense256-relu-dropout0.5-dense10",
                               augmentation: "rotate=10,scale=0.1,shift=2,shear=8"),
        // `best` with the handwriting styles of the default drawn into 30 % of its 0s, 1s, 5s, 7s and 9s: the
        // preset that reads real pen-written digits best (99.09% of pen-digits/dev.json and 99.63% of MNIST for
        // seed 1), at the cost of `best`'s 10-minute training.
        "best-handwriting": TrainingRecipe(layers: [784, 10], epochs: 14, batchSize: 128, optimizer: "adam",
                                           learningRate: 0.003, momentum: 0, schedule: "onecycle", dropout: 0, weightDecay: 0,
                                           seed: 1, validation: 0, initialization: "he", normalization: "mnist",
                                           architecture: "conv32k3p1-batchnorm-relu-conv32k3p1-batchnorm-relu-maxpool2-conv64k3p1-batchnorm-relu-conv64k3p1-batchnorm-relu-maxpool2-flatten-dense256-relu-dropout0.5-dense10",
                                           augmentation: "rotate=10,scale=0.1,shift=2,shear=8,styles=0.3"),
        // The best multilayer perceptron without augmentation: 784-128-64-10, ≥ 98.3% (mean of 3 seeds).
        "mlp-tuned": TrainingRecipe(layers: [784, 128, 64, 10], epochs: 20, batchSize: 64, optimizer: "nesterov",
                                    learningRate: 0.05, momentum: 0.9, schedule: "cosine", dropout: 0.1, weightDecay: 1e-3,
                                    seed: 1, validation: 0, initialization: "he", normalization: "mnist"),
        // The textbook recipe: full-batch gradient descent, learning rate 0.1.
        "classic": TrainingRecipe(layers: [784, 128, 64, 10], epochs: 500, batchSize: 0, optimizer: "sgd",
                                  learningRate: 0.1, momentum: 0, schedule: "constant", dropout: 0, weightDecay: 0,
                                  seed: 1, validation: 0, initialization: "he", normalization: "unit"),
        // Layer for layer the network and optimizer of ../shared/anchors/torch_mlp.py --preset mlp.
        "mlp": TrainingRecipe(layers: [784, 128, 64, 10], epochs: 10, batchSize: 64, optimizer: "sgd",
                              learningRate: 0.1, momentum: 0, schedule: "constant", dropout: 0, weightDecay: 0,
                              seed: 1, validation: 0, initialization: "he", normalization: "unit"),
        // Layer for layer torch_mlp.py --preset cnn (PyTorch's MNIST example), with Adam instead of Adadelta.
        "torch-example-cnn": TrainingRecipe(layers: [784, 10], epochs: 1, batchSize: 64, optimizer: "adam",
                                            learningRate: 1e-3, momentum: 0, schedule: "constant", dropout: 0, weightDecay: 0,
                                            seed: 1, validation: 0, initialization: "he", normalization: "unit",
                                            architecture: "conv32k3-relu-conv64k3-relu-maxpool2-dropout0.25-flatten-dense128-relu-dropout0.5-dense10"),
        // Layer for layer torch_mlp.py --preset mlp-large.
        "mlp-large": TrainingRecipe(layers: [784, 512, 256, 128, 10], epochs: 10, batchSize: 64, optimizer: "adam",
                                    learningRate: 1e-3, momentum: 0, schedule: "constant", dropout: 0.2, weightDecay: 0,
                                    seed: 1, validation: 0, initialization: "he", normalization: "unit"),
    ]

    /// Checks every value; the message says which option is wrong and what it accepts.
    public func validate() throws(TrainingRecipeError) {
        func bad(_ message: String) -> TrainingRecipeError { TrainingRecipeError(message) }
        if let architecture {
            let parsed: NetworkArchitecture
            do { parsed = try NetworkArchitecture(parsing: architecture) } catch { throw bad("--architecture: \(error.description)") }
            let shapes: [ImageShape]
            do { shapes = try parsed.shapes(input: .mnist) } catch { throw bad("--architecture: \(error.description)") }
            guard shapes.last?.count == 10, case .dense = parsed.tokens.last else {
                throw bad("--architecture must end with dense10 (one output per digit), found \"\(parsed.tokens.last.map { NetworkArchitecture(tokens: [$0]).description } ?? "")\"")
            }
        }
        if let augmentation {
            do { _ = try AugmentationSettings(specification: augmentation) } catch { throw bad("--augment: \(error)") }
        }
        guard layers.count >= 2 else { throw bad("--layers needs at least an input and an output size, e.g. 784-128-10") }
        guard layers.first == 784 else { throw bad("--layers must start at 784 (28×28 MNIST pixels), found \(layers[0])") }
        guard layers.last == 10 else { throw bad("--layers must end at 10 (one output per digit), found \(layers.last!)") }
        guard layers.allSatisfy({ $0 >= 1 && $0 <= 16384 }) else { throw bad("--layers sizes must be between 1 and 16384") }
        guard epochs >= 1 && epochs <= 100_000 else { throw bad("--epochs must be between 1 and 100000, found \(epochs)") }
        guard batchSize >= 0 && batchSize <= 60_000 else { throw bad("--batch-size must be between 0 (full batch) and 60000, found \(batchSize)") }
        guard Self.optimizers.contains(optimizer) else {
            throw bad("--optimizer must be one of \(Self.optimizers.joined(separator: ", ")), found \"\(optimizer)\"")
        }
        guard learningRate.isFinite && learningRate > 0 && learningRate <= 10 else {
            throw bad("--lr must be a positive number up to 10, found \(learningRate)")
        }
        guard momentum.isFinite && momentum >= 0 && momentum < 1 else { throw bad("--momentum must be in [0, 1), found \(momentum)") }
        guard LearningRateSchedule(name: schedule) != nil else {
            throw bad("--schedule must be constant, step[:EPOCHS[:GAMMA]], cosine[:WARMUP_STEPS[:FLOOR]] or onecycle, found \"\(schedule)\"")
        }
        guard dropout.isFinite && dropout >= 0 && dropout < 1 else { throw bad("--dropout must be in [0, 1), found \(dropout)") }
        guard weightDecay.isFinite && weightDecay >= 0 && weightDecay < 1 else {
            throw bad("--weight-decay must be in [0, 1), found \(weightDecay)")
        }
        guard validation >= 0 && validation < 60_000 else { throw bad("--validation must be between 0 and 59999, found \(validation)") }
        guard Initialization(rawValue: initialization) != nil else { throw bad("--init must be he or xavier, found \"\(initialization)\"") }
        if let samplesWeight {
            guard samplesFile != nil else { throw bad("--samples-weight needs --samples FILE") }
            guard samplesWeight.isFinite && samplesWeight > 0 && samplesWeight <= 0.5 else {
                throw bad("--samples-weight is the share of the training set made of your samples: more than 0 and at most 0.5, found \(samplesWeight)")
            }
        }
        if let nonDigits {
            guard nonDigits.isFinite && nonDigits >= 0 && nonDigits <= 0.5 else {
                throw bad("--non-digits is the share of the training set made of synthetic non-digits: 0 to 0.5, found \(nonDigits)")
            }
        }
        guard ["unit", "mnist"].contains(normalization) else { throw bad("--normalization must be unit or mnist, found \"\(normalization)\"") }
    }

    public var inputNormalization: InputNormalization { normalization == "mnist" ? .mnist : .unitRange }

    /// A freshly initialized network for this recipe (weights from stream 0 of the seed).
    public func makeNetwork() -> Network {
        var generator = SeededGenerator(seed: seed, stream: 0)
        if let architecture, let parsed = try? NetworkArchitecture(parsing: architecture),
           let network = try? parsed.makeNetwork(initialization: Initialization(rawValue: initialization) ?? .he,
                                                 normalization: inputNormalization, generator: &generator) {
            return network
        }
        return Network.multilayerPerceptron(sizes: layers, dropout: Float(dropout), initialization: Initialization(rawValue: initialization) ?? .he,
                                            normalization: inputNormalization, generator: &generator)
    }

    public func makeOptimizer() -> Optimizer {
        switch optimizer {
        case "momentum": return SGD(momentum: Float(momentum == 0 ? 0.9 : momentum), weightDecay: Float(weightDecay))
        case "nesterov": return SGD(momentum: Float(momentum == 0 ? 0.9 : momentum), nesterov: true, weightDecay: Float(weightDecay))
        case "adam": return Adam(weightDecay: Float(weightDecay))
        case "adamw": return Adam(weightDecay: Float(weightDecay), decoupledWeightDecay: true)
        default: return SGD(weightDecay: Float(weightDecay))
        }
    }

    public var settings: TrainingSettings {
        TrainingSettings(epochs: epochs, batchSize: batchSize, learningRate: learningRate,
                         schedule: LearningRateSchedule(name: schedule) ?? .constant, seed: seed)
    }

    /// The augmentation applied to training images (`.none` when off).
    public var augmentationSettings: AugmentationSettings {
        augmentation.flatMap { try? AugmentationSettings(specification: $0) } ?? .none
    }

    /// One line for logs: `784-128-64-10, nesterov lr 0.05 cosine, batch 128, dropout 0.1, 20 epochs, seed 1`.
    public var summary: String {
        let batch = batchSize == 0 ? "full batch" : "batch \(batchSize)"
        var parts = [architecture ?? layers.map(String.init).joined(separator: "-"), "\(optimizer) lr \(learningRate) \(schedule)", batch]
        if !augmentationSettings.isIdentity { parts.append("augment \(augmentationSettings.specification)") }
        if let nonDigits, nonDigits > 0 { parts.append("non-digits \(nonDigits) of the set") }
        if let samplesFile { parts.append("samples \(samplesFile) as \(samplesWeight ?? Self.defaultSamplesWeight) of the set") }
        if dropout > 0 { parts.append("dropout \(dropout)") }
        if weightDecay > 0 { parts.append("weight decay \(weightDecay)") }
        parts.append("\(epochs) epochs")
        parts.append("seed \(seed)")
        return parts.joined(separator: ", ")
    }

    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    public init(layers: [Int], epochs: Int, batchSize: Int, optimizer: String, learningRate: Double, momentum: Double, schedule: String,
         dropout: Double, weightDecay: Double, seed: UInt64, validation: Int, initialization: String, normalization: String,
         architecture: String? = nil, augmentation: String? = nil, nonDigits: Double? = nil) {
        self.architecture = architecture
        self.nonDigits = nonDigits
        self.augmentation = augmentation
        self.layers = layers
        self.epochs = epochs
        self.batchSize = batchSize
        self.optimizer = optimizer
        self.learningRate = learningRate
        self.momentum = momentum
        self.schedule = schedule
        self.dropout = dropout
        self.weightDecay = weightDecay
        self.seed = seed
        self.validation = validation
        self.initialization = initialization
        self.normalization = normalization
    }

    public init(json: String) throws(TrainingRecipeError) {
        do {
            self = try JSONDecoder().decode(TrainingRecipe.self, from: Data(json.utf8))
        } catch {
            throw TrainingRecipeError("the checkpoint's training recipe is unreadable: \(error)")
        }
    }

    /// The layers as an architecture: `architecture` when set, else the perceptron of `layers` written as
    /// dense layers (`dense128-relu-dropout0.1-dense64-relu-dropout0.1-dense10` for 784-128-64-10, dropout 0.1).
    public var architectureText: String {
        if let architecture { return architecture }
        var words: [String] = []
        for (index, size) in layers.dropFirst().enumerated() {
            words.append("dense\(size)")
            if index < layers.count - 2 {
                words.append("relu")
                if dropout > 0 { words.append("dropout\(dropout)") }
            }
        }
        return words.joined(separator: "-")
    }
}

/// A training recipe with a value out of range; the message names the option and what it accepts.
public struct TrainingRecipeError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension TrainingRecipe {
    /// The images a run trains on and the ones it validates with, built the same way by `digits train` and
    /// the studio's Train page:
    ///
    /// 1. MNIST's training images less the last `validation`, which validate;
    /// 2. when `limit` is set, a random subset of that many of them (seeded; the Train page's `steps`);
    /// 3. the user's `samples` repeated until they make up `samplesWeight` of the set;
    /// 4. synthetic non-digits (`NonDigitSynthesizer`, label `LabeledImages.notADigit`) making up `nonDigits`
    ///    of the set.
    ///
    /// Random draws come from the recipe's seed, streams 3000 (the subset) and 5000 (the non-digits).
    public func trainingSets(mnist: LabeledImages, samples: LabeledImages? = nil, limit: Int? = nil) -> (training: LabeledImages, validation: LabeledImages?) {
        let trainCount = mnist.count - validation
        var training = validation > 0 ? mnist.slice(0..<trainCount) : mnist
        let validationSet = validation > 0 ? mnist.slice(trainCount..<mnist.count) : nil
        if let limit, limit < training.count {
            var generator = SeededGenerator(seed: seed, stream: 3000)
            training = training.gathering(Array(generator.permutation(training.count).prefix(limit)))
        }
        if let samples, samples.count > 0 {
            training = training.appendingRepeated(samples, share: samplesWeight ?? Self.defaultSamplesWeight)
        }
        if let nonDigits, nonDigits > 0 {
            let count = max(1, Int((nonDigits / (1 - nonDigits) * Double(training.count)).rounded()))
            var generator = SeededGenerator(seed: seed, stream: 5000)
            let pixels = NonDigitSynthesizer().images(count: count, generator: &generator)
            let extra = LabeledImages(pixels: pixels, labels: [UInt8](repeating: LabeledImages.notADigit, count: count))
            training = training.appendingRepeated(extra, share: nonDigits)
        }
        return (training, validationSet)
    }
}
