// TrainingRecipe.swift — everything that defines a training run, its named presets, and how it
// becomes a network, an optimizer and trainer settings. Shared by `digits train` and the studio's Train page,
// and stored as JSON in checkpoints and model metadata.

import Foundation
import DigitImage
import NeuralNetwork

/// The optimizers a recipe can name (`Optimizer.swift`): plain SGD, SGD with momentum, Nesterov momentum,
/// Adam, and Adam with decoupled weight decay.
public enum OptimizerKind: String, Codable, CaseIterable, Sendable {
    case sgd, momentum, nesterov, adam, adamw
}

/// How raw pixels are scaled into network inputs: `unit` is pixel/255, `mnist` standardizes with MNIST's mean
/// and standard deviation.
public enum InputScaling: String, Codable, CaseIterable, Sendable {
    case unit, mnist

    public var normalization: InputNormalization { self == .mnist ? .mnist : .unitRange }
}

/// How a recipe's synthetic non-digits are trained: towards the uniform distribution over the digits ("unsure
/// of every digit": a reader rejects on the entropy), or to a high energy while every digit gets a low one
/// (`EnergyMargin.standard`: a reader rejects on the energy).
public enum NonDigitLoss: String, Codable, CaseIterable, Sendable {
    case uniform, energy
}

/// A complete, serializable description of a training run. Stored in checkpoints and model metadata as JSON
/// (the keys of earlier versions: `layers` and `dropout` for a perceptron, `architecture` for anything else).
public struct TrainingRecipe: Codable, Equatable, Sendable {
    /// The network; perceptrons are `dense…-relu-…-dense10` (`NetworkArchitecture.perceptron`).
    public var architecture: NetworkArchitecture
    public var epochs: Int
    /// 0 = full batch.
    public var batchSize: Int
    public var optimizer: OptimizerKind
    public var learningRate: Double
    /// For `momentum` and `nesterov`; 0 means their usual 0.9.
    public var momentum: Double
    public var schedule: LearningRateSchedule
    public var weightDecay: Double
    public var seed: UInt64
    /// Images held out from the end of the training set for validation.
    public var validation: Int
    public var initialization: Initialization
    public var normalization: InputScaling
    /// An `AugmentationSettings` specification (rotate=12,shift=2,…); nil or "none" trains on the images as they are.
    public var augmentation: String?
    /// A file of the user's saved drawings (`digits train --samples`: the studio's database or its CSV/IDX
    /// export) mixed into every epoch, and the share of the training set they make up (repeated as needed).
    public var samplesFile: String?
    public var samplesWeight: Double?

    /// The share of the training set made of synthetic drawings that are not digits (`NonDigitSynthesizer`:
    /// letters, symbols, marks, scribbles), trained as `nonDigitLoss` says so that a reader can say "not a
    /// digit"; nil or 0 for none.
    public var nonDigits: Double?
    /// How those non-digits are trained; nil means `uniform` (the files of earlier versions).
    public var nonDigitLoss: NonDigitLoss?

    /// The share of the training set that `samplesFile` makes up when `samplesWeight` is not given.
    public static let defaultSamplesWeight = 0.05

    public static let optimizers = OptimizerKind.allCases.map(\.rawValue)

    /// A preset's architecture, written in text; the presets test builds every one.
    private static func layers(_ text: String) -> NetworkArchitecture {
        (try? NetworkArchitecture(parsing: text)) ?? NetworkArchitecture(tokens: [])
    }

    /// The named recipes, documented in the README with their measured results.
    public static let presets: [String: TrainingRecipe] = [
        // The default, and the studio's model: a small CNN trained with strong augmentation so that it keeps
        // its accuracy on rotated, shifted, scaled, thicker and thinner digits, and on digits written narrower or
        // wider than MNIST's (stretch: pen-written digits vary more in width); with handwriting styles that MNIST
        // lacks but people write (slashed and crossed zeros, flagged ones, barred sevens, lifted five bars) drawn
        // into 30 % of its 0s, 1s, 5s, 7s and 9s, so that it reads real pen-written digits; a tenth of its
        // training set is synthetic non-digits (letters, symbols, scribbles) trained to a high energy while the
        // digits get a low one, so that it can say "not a digit"; 12 epochs (about 30 s on 2 Zen 5 cores).
        "default": TrainingRecipe(architecture: layers("conv24k5s2p2-relu-conv48k3-relu-maxpool2-flatten-dense128-relu-dense10"),
                                  epochs: 12, batchSize: 128, optimizer: .adam, learningRate: 0.004, schedule: .oneCycle,
                                  normalization: .mnist,
                                  augmentation: "rotate=15,scale=0.2,stretch=0.2,shift=3,shear=10,thickness=1,styles=0.3", nonDigits: 0.1,
                                  nonDigitLoss: .energy),
        // 99% as quickly as possible: a narrower version of the default CNN (24 channels in its second
        // convolution instead of 32), three epochs, no augmentation (about 6 s on 2 cores).
        "fast": TrainingRecipe(architecture: layers("conv16k5s2p2-relu-conv24k3-relu-maxpool2-flatten-dense128-relu-dense10"),
                               epochs: 3, batchSize: 128, optimizer: .adam, learningRate: 0.008, schedule: .oneCycle, normalization: .mnist),
        // The strongest single model: a VGG-style CNN with batch normalization after every convolution, affine
        // augmentation, 14 epochs (about 10–11 minutes on 2 cores).
        "best": TrainingRecipe(architecture: layers("conv32k3p1-batchnorm-relu-conv32k3p1-batchnorm-relu-maxpool2-conv64k3p1-batchnorm-relu-conv64k3p1-batchnorm-relu-maxpool2-flatten-dense256-relu-dropout0.5-dense10"),
                               epochs: 14, batchSize: 128, optimizer: .adam, learningRate: 0.003, schedule: .oneCycle, normalization: .mnist,
                               augmentation: "rotate=10,scale=0.1,shift=2,shear=8"),
        // `best` with the handwriting styles of the default drawn into 30 % of its 0s, 1s, 5s, 7s and 9s: the
        // preset that reads real pen-written digits best (99.09% of pen-digits/dev.json and 99.63% of MNIST for
        // seed 1), at the cost of `best`'s 10-minute training.
        "best-handwriting": TrainingRecipe(architecture: layers("conv32k3p1-batchnorm-relu-conv32k3p1-batchnorm-relu-maxpool2-conv64k3p1-batchnorm-relu-conv64k3p1-batchnorm-relu-maxpool2-flatten-dense256-relu-dropout0.5-dense10"),
                                           epochs: 14, batchSize: 128, optimizer: .adam, learningRate: 0.003, schedule: .oneCycle,
                                           normalization: .mnist, augmentation: "rotate=10,scale=0.1,shift=2,shear=8,styles=0.3"),
        // The best multilayer perceptron without augmentation: 784-128-64-10, ≥ 98.3% (mean of 3 seeds).
        "mlp-tuned": TrainingRecipe(architecture: .perceptron(sizes: [784, 128, 64, 10], dropout: 0.1), epochs: 20, batchSize: 64,
                                    optimizer: .nesterov, learningRate: 0.05, momentum: 0.9, schedule: .cosine(warmupSteps: 0, floor: 0),
                                    weightDecay: 1e-3, normalization: .mnist),
        // The textbook recipe: full-batch gradient descent, learning rate 0.1.
        "classic": TrainingRecipe(architecture: .perceptron(sizes: [784, 128, 64, 10]), epochs: 500, batchSize: 0, optimizer: .sgd,
                                  learningRate: 0.1, schedule: .constant, normalization: .unit),
        // Layer for layer the network and optimizer of ../shared/anchors/torch_mlp.py --preset mlp.
        "mlp": TrainingRecipe(architecture: .perceptron(sizes: [784, 128, 64, 10]), epochs: 10, batchSize: 64, optimizer: .sgd,
                              learningRate: 0.1, schedule: .constant, normalization: .unit),
        // Layer for layer torch_mlp.py --preset cnn (PyTorch's MNIST example), with Adam instead of Adadelta.
        "torch-example-cnn": TrainingRecipe(architecture: layers("conv32k3-relu-conv64k3-relu-maxpool2-dropout0.25-flatten-dense128-relu-dropout0.5-dense10"),
                                            epochs: 1, batchSize: 64, optimizer: .adam, learningRate: 1e-3, schedule: .constant, normalization: .unit),
        // Layer for layer torch_mlp.py --preset mlp-large.
        "mlp-large": TrainingRecipe(architecture: .perceptron(sizes: [784, 512, 256, 128, 10], dropout: 0.2), epochs: 10, batchSize: 64,
                                    optimizer: .adam, learningRate: 1e-3, schedule: .constant, normalization: .unit),
    ]

    /// The perceptron of `--layers` text ("784-128-64-10"), checked: sizes joined by dashes, from 784 to 10.
    public static func perceptron(layers text: String, dropout: Double) throws(TrainingRecipeError) -> NetworkArchitecture {
        let sizes = text.split(separator: "-", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !sizes.isEmpty, sizes.allSatisfy({ $0 != nil }) else {
            throw TrainingRecipeError("--layers must be sizes joined by dashes, like 784-128-64-10; found \"\(text)\"")
        }
        return try perceptron(sizes: sizes.map { $0! }, dropout: dropout)
    }

    static func perceptron(sizes: [Int], dropout: Double) throws(TrainingRecipeError) -> NetworkArchitecture {
        guard sizes.count >= 2 else { throw TrainingRecipeError("--layers needs at least an input and an output size, e.g. 784-128-10") }
        guard sizes.first == 784 else { throw TrainingRecipeError("--layers must start at 784 (28×28 MNIST pixels), found \(sizes[0])") }
        guard sizes.last == 10 else { throw TrainingRecipeError("--layers must end at 10 (one output per digit), found \(sizes.last!)") }
        guard sizes.allSatisfy({ $0 >= 1 && $0 <= 16384 }) else { throw TrainingRecipeError("--layers sizes must be between 1 and 16384") }
        return .perceptron(sizes: sizes, dropout: dropout)   // the dropout is checked by `validate`, with every dropout layer
    }

    /// `--architecture` text, read; the message names the token that is wrong.
    public static func architecture(parsing text: String) throws(TrainingRecipeError) -> NetworkArchitecture {
        do { return try NetworkArchitecture(parsing: text) } catch { throw TrainingRecipeError("--architecture: \(error.description)") }
    }

    /// Checks every value; the message says which option is wrong and what it accepts.
    public func validate() throws(TrainingRecipeError) {
        func bad(_ message: String) -> TrainingRecipeError { TrainingRecipeError(message) }
        try validateArchitecture()
        if let augmentation {
            do { _ = try AugmentationSettings(specification: augmentation) } catch { throw bad("--augment: \(error)") }
        }
        guard epochs >= 1 && epochs <= 100_000 else { throw bad("--epochs must be between 1 and 100000, found \(epochs)") }
        guard batchSize >= 0 && batchSize <= 60_000 else { throw bad("--batch-size must be between 0 (full batch) and 60000, found \(batchSize)") }
        guard learningRate.isFinite && learningRate > 0 && learningRate <= 10 else {
            throw bad("--lr must be a positive number up to 10, found \(learningRate)")
        }
        guard momentum.isFinite && momentum >= 0 && momentum < 1 else { throw bad("--momentum must be in [0, 1), found \(momentum)") }
        guard weightDecay.isFinite && weightDecay >= 0 && weightDecay < 1 else {
            throw bad("--weight-decay must be in [0, 1), found \(weightDecay)")
        }
        guard validation >= 0 && validation < 60_000 else { throw bad("--validation must be between 0 and 59999, found \(validation)") }
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
        if nonDigitLoss != nil && !((nonDigits ?? 0) > 0) {
            throw bad("--non-digit-loss says how synthetic non-digits are trained: it needs --non-digits with a share above 0")
        }
    }

    /// Checks that the architecture reads 28×28 images into 10 digits and that every dropout is in [0, 1).
    public func validateArchitecture() throws(TrainingRecipeError) {
        let shapes: [ImageShape]
        do { shapes = try architecture.shapes(input: .mnist) } catch { throw TrainingRecipeError("--architecture: \(error.description)") }
        guard shapes.last?.count == 10, case .dense = architecture.tokens.last else {
            throw TrainingRecipeError("--architecture must end with dense10 (one output per digit), found \"\(architecture.tokens.last.map { NetworkArchitecture(tokens: [$0]).description } ?? "")\"")
        }
        for token in architecture.tokens {
            if case let .dropout(p) = token, !(p >= 0 && p < 1) { throw TrainingRecipeError("--dropout must be in [0, 1), found \(p)") }
        }
    }

    public var inputNormalization: InputNormalization { normalization.normalization }

    /// A freshly initialized network for this recipe (weights from stream 0 of the seed); throws what
    /// `validateArchitecture` finds wrong (an architecture that does not read 28×28 images, a dropout of 1 or more).
    public func makeNetwork() throws(TrainingRecipeError) -> Network {
        try validateArchitecture()
        var generator = SeededGenerator(seed: seed, stream: 0)
        do {
            return try architecture.makeNetwork(initialization: initialization, normalization: inputNormalization, generator: &generator)
        } catch {
            throw TrainingRecipeError("--architecture: \(error.description)")
        }
    }

    public func makeOptimizer() -> Optimizer {
        switch optimizer {
        case .momentum: return SGD(momentum: Float(momentum == 0 ? 0.9 : momentum), weightDecay: Float(weightDecay))
        case .nesterov: return SGD(momentum: Float(momentum == 0 ? 0.9 : momentum), nesterov: true, weightDecay: Float(weightDecay))
        case .adam: return Adam(weightDecay: Float(weightDecay))
        case .adamw: return Adam(weightDecay: Float(weightDecay), decoupledWeightDecay: true)
        case .sgd: return SGD(weightDecay: Float(weightDecay))
        }
    }

    public var settings: TrainingSettings {
        TrainingSettings(epochs: epochs, batchSize: batchSize, learningRate: learningRate, schedule: schedule, seed: seed,
                         energyMargin: trainsNonDigitsByEnergy ? .standard : nil)
    }

    /// True when the recipe mixes in synthetic non-digits and trains them by their energy (`NonDigitLoss.energy`).
    public var trainsNonDigitsByEnergy: Bool { (nonDigits ?? 0) > 0 && nonDigitLoss == .energy }

    /// The augmentation applied to training images (`.none` when off).
    public var augmentationSettings: AugmentationSettings {
        augmentation.flatMap { try? AugmentationSettings(specification: $0) } ?? .none
    }

    /// One line for logs: `784-128-64-10, nesterov lr 0.05 cosine, batch 128, dropout 0.1, 20 epochs, seed 1`.
    public var summary: String {
        let batch = batchSize == 0 ? "full batch" : "batch \(batchSize)"
        let perceptron = architecture.perceptronForm(inputFeatures: 784)
        var parts = [perceptron.map { $0.sizes.map(String.init).joined(separator: "-") } ?? architecture.description,
                     "\(optimizer.rawValue) lr \(learningRate) \(schedule.name)", batch]
        if !augmentationSettings.isIdentity { parts.append("augment \(augmentationSettings.specification)") }
        if let nonDigits, nonDigits > 0 {
            parts.append("non-digits \(nonDigits) of the set" + (trainsNonDigitsByEnergy ? " by energy margin" : ""))
        }
        if let samplesFile { parts.append("samples \(samplesFile) as \(samplesWeight ?? Self.defaultSamplesWeight) of the set") }
        if let dropout = perceptron?.dropout, dropout > 0 { parts.append("dropout \(dropout)") }
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

    public init(architecture: NetworkArchitecture, epochs: Int, batchSize: Int, optimizer: OptimizerKind, learningRate: Double,
                momentum: Double = 0, schedule: LearningRateSchedule, weightDecay: Double = 0, seed: UInt64 = 1, validation: Int = 0,
                initialization: Initialization = .he, normalization: InputScaling, augmentation: String? = nil, nonDigits: Double? = nil,
                nonDigitLoss: NonDigitLoss? = nil) {
        self.architecture = architecture
        self.epochs = epochs
        self.batchSize = batchSize
        self.optimizer = optimizer
        self.learningRate = learningRate
        self.momentum = momentum
        self.schedule = schedule
        self.weightDecay = weightDecay
        self.seed = seed
        self.validation = validation
        self.initialization = initialization
        self.normalization = normalization
        self.augmentation = augmentation
        self.nonDigits = nonDigits
        self.nonDigitLoss = nonDigitLoss
    }

    public init(json: String) throws(TrainingRecipeError) {
        do {
            self = try JSONDecoder().decode(TrainingRecipe.self, from: Data(json.utf8))
        } catch let error as TrainingRecipeError {
            throw TrainingRecipeError("the checkpoint's training recipe is unreadable: \(error.description)")
        } catch {
            throw TrainingRecipeError("the checkpoint's training recipe is unreadable: \(error)")
        }
    }

    /// The layers in text form (`dense128-relu-dropout0.1-dense64-relu-dropout0.1-dense10` for the perceptron
    /// 784-128-64-10 with dropout 0.1).
    public var architectureText: String { architecture.description }

    private enum CodingKeys: String, CodingKey {
        case layers, epochs, batchSize, optimizer, learningRate, momentum, schedule, dropout, weightDecay, seed, validation,
             initialization, normalization, architecture, augmentation, samplesFile, samplesWeight, nonDigits, nonDigitLoss
    }

    /// Reads the JSON of every version: a perceptron as `layers` + `dropout`, anything else as `architecture`
    /// (text, checked here); names are checked by their types (an unknown optimizer is an error, not SGD).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let text = try container.decodeIfPresent(String.self, forKey: .architecture) {
            architecture = try Self.architecture(parsing: text)
        } else {
            architecture = try Self.perceptron(sizes: try container.decode([Int].self, forKey: .layers),
                                               dropout: try container.decodeIfPresent(Double.self, forKey: .dropout) ?? 0)
        }
        epochs = try container.decode(Int.self, forKey: .epochs)
        batchSize = try container.decode(Int.self, forKey: .batchSize)
        optimizer = try container.decode(OptimizerKind.self, forKey: .optimizer)
        learningRate = try container.decode(Double.self, forKey: .learningRate)
        momentum = try container.decodeIfPresent(Double.self, forKey: .momentum) ?? 0
        schedule = try container.decode(LearningRateSchedule.self, forKey: .schedule)
        weightDecay = try container.decodeIfPresent(Double.self, forKey: .weightDecay) ?? 0
        seed = try container.decode(UInt64.self, forKey: .seed)
        validation = try container.decodeIfPresent(Int.self, forKey: .validation) ?? 0
        initialization = try container.decodeIfPresent(Initialization.self, forKey: .initialization) ?? .he
        normalization = try container.decode(InputScaling.self, forKey: .normalization)
        augmentation = try container.decodeIfPresent(String.self, forKey: .augmentation)
        samplesFile = try container.decodeIfPresent(String.self, forKey: .samplesFile)
        samplesWeight = try container.decodeIfPresent(Double.self, forKey: .samplesWeight)
        nonDigits = try container.decodeIfPresent(Double.self, forKey: .nonDigits)
        nonDigitLoss = try container.decodeIfPresent(NonDigitLoss.self, forKey: .nonDigitLoss)
    }

    /// Writes the keys earlier versions read: `layers` and `dropout` always (a perceptron's own, or [784, 10]
    /// and 0 beside the `architecture` text of any other network).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if let perceptron = architecture.perceptronForm(inputFeatures: 784) {
            try container.encode(perceptron.sizes, forKey: .layers)
            try container.encode(perceptron.dropout, forKey: .dropout)
        } else {
            try container.encode([784, 10], forKey: .layers)
            try container.encode(0.0, forKey: .dropout)
            try container.encode(architecture.description, forKey: .architecture)
        }
        try container.encode(epochs, forKey: .epochs)
        try container.encode(batchSize, forKey: .batchSize)
        try container.encode(optimizer, forKey: .optimizer)
        try container.encode(learningRate, forKey: .learningRate)
        try container.encode(momentum, forKey: .momentum)
        try container.encode(schedule, forKey: .schedule)
        try container.encode(weightDecay, forKey: .weightDecay)
        try container.encode(seed, forKey: .seed)
        try container.encode(validation, forKey: .validation)
        try container.encode(initialization, forKey: .initialization)
        try container.encode(normalization, forKey: .normalization)
        try container.encodeIfPresent(augmentation, forKey: .augmentation)
        try container.encodeIfPresent(samplesFile, forKey: .samplesFile)
        try container.encodeIfPresent(samplesWeight, forKey: .samplesWeight)
        try container.encodeIfPresent(nonDigits, forKey: .nonDigits)
        try container.encodeIfPresent(nonDigitLoss, forKey: .nonDigitLoss)
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
