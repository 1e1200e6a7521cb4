// TrainCommand.swift — `digits train`: options → recipe → trainer, with progress, checkpoints and resume.

import ArgumentParser
import DigitsFiles
import FeedbackStore
import Foundation
import NeuralNetwork

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a network on MNIST and save it as a safetensors model.",
        discussion: """
            Starts from a preset (default: "default") and applies any options given. Presets: \
            \(TrainingRecipe.presets.keys.sorted().joined(separator: ", ")). Ctrl-C finishes the current batch, \
            writes a checkpoint and prints the command that resumes it.
            """)

    @Option(help: "Named recipe to start from.") var preset: String = "default"
    @Option(help: ArgumentHelp("Layer sizes of a multilayer perceptron, input to output.", valueName: "784-…-10")) var layers: String?
    @Option(help: ArgumentHelp("Layers as text, e.g. conv32k3-relu-maxpool2-flatten-dense10 (see the README); replaces --layers.",
                               valueName: "LAYERS")) var architecture: String?
    @Option(name: .customLong("augment"), help: ArgumentHelp(
        "Random distortions of training images: none, or keys rotate=DEG,scale=F,shift=PX,shear=DEG,elastic=ALPHA[:SIGMA],thickness=T.",
        valueName: "SPEC")) var augmentation: String?
    @Option(name: .customLong("repeat"), help: "Train this many seeds (--seed, --seed+1, …) and report mean ± standard deviation.")
    var repeatCount: Int = 1
    @Option(help: ArgumentHelp("Mix your saved drawings into training: the studio's database or its CSV/IDX export.", valueName: "FILE"))
    var samples: String?
    @Option(name: .customLong("samples-weight"), help: "With --samples: the share of the training set made of your drawings, repeated as needed (0–0.5, default 0.05).")
    var samplesWeight: Double?
    @Option(name: .customLong("non-digits"), help: "Share of the training set made of synthetic non-digits (letters, symbols, scribbles) taught as \"not a digit\" (0–0.5).")
    var nonDigits: Double?
    @Option(name: .customLong("non-digit-loss"), help: ArgumentHelp(
        "How the synthetic non-digits are trained: uniform (towards \"unsure of every digit\", rejected on the entropy) or energy (to a high energy, digits to a low one; rejected on the energy).",
        valueName: "uniform|energy")) var nonDigitLoss: String?
    @Option(help: "Total number of epochs (with --resume: the total to reach).") var epochs: Int?
    @Option(name: .customLong("batch-size"), help: "Examples per step; 0 = the whole training set (full batch).") var batchSize: Int?
    @Option(help: "sgd, momentum, nesterov, adam or adamw.") var optimizer: String?
    @Option(name: .customLong("lr"), help: "Base learning rate.") var learningRate: Double?
    @Option(help: "Momentum for momentum/nesterov.") var momentum: Double?
    @Option(help: "constant, step[:EPOCHS[:GAMMA]], cosine[:WARMUP_STEPS[:FLOOR]] or onecycle.") var schedule: String?
    @Option(help: "Dropout probability after each hidden layer.") var dropout: Double?
    @Option(name: .customLong("weight-decay"), help: "L2 weight decay (decoupled for adamw).") var weightDecay: Double?
    @Option(help: "Random seed: same seed and data give the same weights, bit for bit.") var seed: UInt64?
    @Option(help: "Training images held out (from the end of the training set) to validate each epoch.") var validation: Int?
    @Option(name: .customLong("init"), help: "Weight initialization: he or xavier.") var initialization: String?
    @Option(help: "Input scaling: unit (pixel/255) or mnist (standardized).") var normalization: String?
    @Option(help: "Threads for the matrix multiply (results do not depend on it).") var threads: Int?
    @Option(help: ArgumentHelp("Where to save the model.", valueName: "FILE")) var output: String?
    @Option(help: ArgumentHelp("Write a checkpoint here after every epoch (and on Ctrl-C).", valueName: "FILE")) var checkpoint: String?
    @Option(help: ArgumentHelp("Continue from a checkpoint; --epochs sets the total to reach.", valueName: "FILE")) var resume: String?
    @Flag(help: "Print one JSON object with the results on standard output.") var json = false
    @OptionGroup var dataOptions: DataOptions

    /// The recipe: preset, then options; or the checkpoint's recipe with a new total of epochs.
    func recipe(resumingFrom saved: String?) throws -> TrainingRecipe {
        if let saved {
            let changed: [(String, Bool)] = [("--layers", layers != nil), ("--batch-size", batchSize != nil), ("--optimizer", optimizer != nil),
                                             ("--lr", learningRate != nil), ("--momentum", momentum != nil), ("--schedule", schedule != nil),
                                             ("--dropout", dropout != nil), ("--weight-decay", weightDecay != nil), ("--seed", seed != nil),
                                             ("--validation", validation != nil), ("--init", initialization != nil),
                                             ("--normalization", normalization != nil), ("--architecture", architecture != nil),
                                             ("--augment", augmentation != nil), ("--repeat", repeatCount != 1),
                                             ("--samples", samples != nil), ("--samples-weight", samplesWeight != nil),
                                             ("--non-digits", nonDigits != nil), ("--non-digit-loss", nonDigitLoss != nil)]
            if let option = changed.first(where: { $0.1 }) {
                throw UsageError("\(option.0) cannot change when resuming: the checkpoint fixes the recipe (only --epochs, --output, --checkpoint, --threads may be given)")
            }
            var recipe = try TrainingRecipe(json: saved)
            if let epochs { recipe.epochs = epochs }
            try recipe.validate()
            return recipe
        }
        guard var recipe = TrainingRecipe.presets[preset] else {
            throw UsageError("unknown --preset \"\(preset)\"; choose one of \(TrainingRecipe.presets.keys.sorted().joined(separator: ", "))")
        }
        if let dropout, !(dropout.isFinite && dropout >= 0 && dropout < 1) {
            throw UsageError("--dropout must be in [0, 1), found \(dropout)")
        }
        if let layers {
            let presetDropout = recipe.architecture.perceptronForm(inputFeatures: 784)?.dropout ?? 0
            recipe.architecture = try TrainingRecipe.perceptron(layers: layers, dropout: dropout ?? presetDropout)
        }
        if let architecture { recipe.architecture = try TrainingRecipe.architecture(parsing: architecture) }
        if let dropout {
            let changed = recipe.architecture.withHiddenDropout(dropout)
            if changed == recipe.architecture.withHiddenDropout(0) && dropout > 0 {
                throw UsageError("--dropout adds dropout after every hidden dense layer, and \(recipe.architecture) has none; write dropout\(dropout) into --architecture instead")
            }
            recipe.architecture = changed
        }
        if let epochs { recipe.epochs = epochs }
        if let batchSize { recipe.batchSize = batchSize }
        if let optimizer {
            guard let kind = OptimizerKind(rawValue: optimizer.lowercased()) else {
                throw UsageError("--optimizer must be one of \(TrainingRecipe.optimizers.joined(separator: ", ")), found \"\(optimizer)\"")
            }
            recipe.optimizer = kind
        }
        if let learningRate { recipe.learningRate = learningRate }
        if let momentum { recipe.momentum = momentum }
        if let schedule {
            guard let parsed = LearningRateSchedule(name: schedule) else {
                throw UsageError("--schedule must be constant, step[:EPOCHS[:GAMMA]], cosine[:WARMUP_STEPS[:FLOOR]] or onecycle, found \"\(schedule)\"")
            }
            recipe.schedule = parsed
        }
        if let weightDecay { recipe.weightDecay = weightDecay }
        if let seed { recipe.seed = seed }
        if let validation { recipe.validation = validation }
        if let initialization {
            guard let parsed = Initialization(rawValue: initialization.lowercased()) else {
                throw UsageError("--init must be he or xavier, found \"\(initialization)\"")
            }
            recipe.initialization = parsed
        }
        if let normalization {
            guard let parsed = InputScaling(rawValue: normalization.lowercased()) else {
                throw UsageError("--normalization must be unit or mnist, found \"\(normalization)\"")
            }
            recipe.normalization = parsed
        }
        if let augmentation { recipe.augmentation = augmentation.lowercased() == "none" ? nil : augmentation }
        if let samples { recipe.samplesFile = samples }
        if let samplesWeight { recipe.samplesWeight = samplesWeight }
        if let nonDigits {
            recipe.nonDigits = nonDigits
            if nonDigits == 0 { recipe.nonDigitLoss = nil }   // none to train: `--preset default --non-digits 0`
        }
        if let nonDigitLoss {
            guard let parsed = NonDigitLoss(rawValue: nonDigitLoss.lowercased()) else {
                throw UsageError("--non-digit-loss must be uniform or energy, found \"\(nonDigitLoss)\"")
            }
            recipe.nonDigitLoss = parsed
        }
        try recipe.validate()
        return recipe
    }

    func validate() throws {
        if let threads, !(1...64).contains(threads) { throw ValidationError("--threads must be between 1 and 64, found \(threads)") }
        if let epochs, !(1...100_000).contains(epochs) { throw ValidationError("--epochs must be between 1 and 100000, found \(epochs)") }
        if !(1...100).contains(repeatCount) { throw ValidationError("--repeat must be between 1 and 100, found \(repeatCount)") }
        if repeatCount > 1 && checkpoint != nil { throw ValidationError("--repeat trains several models; it cannot share one --checkpoint") }
        // Check the whole recipe now, before any data is loaded (a resumed recipe is checked in run()).
        if resume == nil {
            do { _ = try recipe(resumingFrom: nil) } catch let error as UsageError { throw ValidationError(error.description) }
            catch let error as TrainingRecipeError { throw ValidationError(error.description) }
        }
    }

    /// What one training run produced (not the network itself: with `--repeat`, each one is freed once saved).
    struct RunResult {
        let recipe: TrainingRecipe
        let test: Evaluation
        let history: [EpochRecord]
        let modelPath: String
        var trainSeconds: Double { history.reduce(0) { $0 + $1.seconds } }

        var json: [String: Any] {
            [
                "seed": recipe.seed, "test_accuracy": test.accuracy, "test_loss": test.loss, "train_seconds": trainSeconds,
                "epoch_seconds": history.map(\.seconds), "model_path": modelPath,
                "history": history.map { record -> [String: Any] in
                    var entry: [String: Any] = ["epoch": record.epoch, "train_loss": record.trainLoss, "train_accuracy": record.trainAccuracy,
                                                "learning_rate": record.learningRate, "seconds": record.seconds]
                    if let accuracy = record.validationAccuracy { entry["validation_accuracy"] = accuracy }
                    if let loss = record.validationLoss { entry["validation_loss"] = loss }
                    return entry
                },
            ]
        }
    }

    func run() throws {
        let resumed = try resume.map { try Checkpoint.read(path: $0) }
        let recipe = try self.recipe(resumingFrom: resumed?.recipe)
        if let resumed, resumed.position.epoch >= recipe.epochs {
            throw UsageError("the checkpoint has already trained \(resumed.position.epoch) epochs; pass --epochs larger than that to continue")
        }
        let outputPath = output ?? defaultModelPath()
        try AtomicFile.createDirectories((outputPath as NSString).deletingLastPathComponent.isEmpty ? "." : (outputPath as NSString).deletingLastPathComponent)
        let data = try dataOptions.loadMNIST()
        let userSamples = try recipe.samplesFile.map { path -> LabeledImages in
            let images = try SampleFile.read(path: path)
            printError("your drawings: \(images.count) from \(path), mixed in as \(percent(recipe.samplesWeight ?? TrainingRecipe.defaultSamplesWeight)) of each epoch")
            return images
        }
        let threadCount = threads ?? min(ProcessInfo.processInfo.activeProcessorCount, 8)
        let workers = WorkerThreads(threadCount: threadCount)
        defer { workers.stop() }
        installInterruptHandler()

        var results: [RunResult] = []
        for index in 0..<repeatCount {
            var runRecipe = recipe
            runRecipe.seed = recipe.seed &+ UInt64(index)
            if repeatCount > 1 { printError("run \(index + 1) of \(repeatCount): seed \(runRecipe.seed)") }
            let path = repeatCount == 1 ? outputPath : Self.path(outputPath, seed: runRecipe.seed)
            results.append(try train(runRecipe, resumed: resumed, data: data, samples: userSamples, workers: workers, outputPath: path))
        }

        let accuracies = results.map(\.test.accuracy)
        let mean = accuracies.reduce(0, +) / Double(accuracies.count)
        let deviation = accuracies.count > 1
            ? (accuracies.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(accuracies.count - 1)).squareRoot() : 0
        if repeatCount > 1 {
            printError("test accuracy over \(repeatCount) seeds: mean \(percent(mean)) ± \(String(format: "%.2f", deviation * 100)) (standard deviation), "
                       + "min \(percent(accuracies.min()!)), max \(percent(accuracies.max()!)); "
                       + "training time mean \(formatDuration(results.map(\.trainSeconds).reduce(0, +) / Double(repeatCount)))")
        }
        if json {
            var object: [String: Any] = results[0].json
            object["preset"] = preset
            object["threads"] = threadCount
            object["samples"] = userSamples?.count ?? 0
            object["recipe"] = (try? JSONSerialization.jsonObject(with: Data(recipe.json.utf8))) ?? [:]
            if repeatCount > 1 {
                object["runs"] = results.map(\.json)
                object["mean_test_accuracy"] = mean
                object["std_test_accuracy"] = deviation
            }
            print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
        } else if repeatCount > 1 {
            print("test accuracy: \(percent(mean)) ± \(String(format: "%.2f", deviation * 100)) over \(repeatCount) seeds")
        } else {
            print("test accuracy: \(percent(mean))")
        }
    }

    /// Trains one model from `recipe` (or continues `resumed`), evaluates it on the test set and saves it.
    func train(_ recipe: TrainingRecipe, resumed: Checkpoint?, data: (train: LabeledImages, test: LabeledImages), samples: LabeledImages?,
               workers: WorkerThreads, outputPath: String) throws -> RunResult {
        let checkpointPath = checkpoint ?? resume ?? Self.checkpointPath(forModel: outputPath)
        // The same sets as the studio's Train page: MNIST less the validation images, your drawings and
        // synthetic non-digits mixed in to their shares (the trainer shuffles).
        let (trainingSet, validationSet) = recipe.trainingSets(mnist: data.train, samples: samples)
        let network = try resumed?.network ?? recipe.makeNetwork()
        let optimizer = recipe.makeOptimizer()
        let trainer = Trainer(network: network, optimizer: optimizer, settings: recipe.settings, trainingSet: trainingSet,
                              validationSet: validationSet, workers: workers)
        let augmentation = recipe.augmentationSettings
        if !augmentation.isIdentity { trainer.augmenter = Augmenter(settings: augmentation) }
        if let resumed {
            try optimizer.restore(state: resumed.optimizerState, stepCount: resumed.optimizerSteps, parameters: network.parameters)
            trainer.position = resumed.position
            trainer.generator = resumed.generator
            trainer.history = resumed.history
            trainer.stepHistory = resumed.stepHistory
            printError("resuming \(resume!) at epoch \(resumed.position.epoch + 1), batch \(resumed.position.batchInEpoch + 1) of \(trainer.batchesPerEpoch)")
        }
        let threadCount = workers.threadCount
        if let note = KernelFamily.selection.note { printError("note: \(note)") }
        printError("training \(recipe.summary) on \(trainingSet.count) images (\(validationSet.map { "\($0.count) held out for validation, " } ?? "")\(threadCount) thread\(threadCount == 1 ? "" : "s"), \(KernelFamily.selected) kernels)")
        printError("network: \(network.summary) (\(network.parameterCount) parameters)")

        var bar = ProgressBar()
        let outcome = trainer.run(
            clock: monotonicSeconds,
            shouldStop: { interruptRequested.load(ordering: .relaxed) },
            onBatch: { progress in
                let remaining = { Double(progress.batchesPerEpoch - progress.batch) * progress.epochSeconds / Double(max(progress.batch, 1)) }
                bar.update(fraction: Double(progress.batch) / Double(progress.batchesPerEpoch),
                           label: "epoch \(progress.epoch + 1)/\(recipe.epochs)",
                           details: "\(progress.batch)/\(progress.batchesPerEpoch)  loss \(String(format: "%.4f", progress.runningLoss))  acc \(percent(progress.runningAccuracy))  \(Int(progress.examplesPerSecond)) img/s  ETA \(formatDuration(remaining()))",
                           force: progress.batch == progress.batchesPerEpoch)
            },
            onEpoch: { record in
                bar.clear()
                var line = "epoch \(record.epoch)/\(recipe.epochs)  loss \(String(format: "%.4f", record.trainLoss))  train \(percent(record.trainAccuracy))"
                if let accuracy = record.validationAccuracy { line += "  validation \(percent(accuracy))" }
                line += "  lr \(String(format: "%.4g", record.learningRate))  \(formatDuration(record.seconds))"
                printError(line)
                if checkpoint != nil { try? saveCheckpoint(trainer: trainer, recipe: recipe, to: checkpointPath) }
            })
        bar.clear()

        if outcome == .interrupted {
            try saveCheckpoint(trainer: trainer, recipe: recipe, to: checkpointPath)
            printError("interrupted after epoch \(trainer.position.epoch) + \(trainer.position.batchInEpoch) batches; checkpoint saved to \(checkpointPath)")
            printError("resume with: digits train --resume \(checkpointPath) --epochs \(recipe.epochs)\(output.map { " --output \($0)" } ?? "")")
            throw ExitCode(130)
        }

        let test = network.evaluate(data.test, workers: workers)
        let result = RunResult(recipe: recipe, test: test, history: trainer.history, modelPath: outputPath)
        var metadata = ["recipe": recipe.json, "test_accuracy": String(test.accuracy), "epochs_trained": String(trainer.history.count)]
        metadata.merge(TrainingHistoryMetadata.entries(history: trainer.history, stepHistory: trainer.stepHistory)) { _, new in new }
        try ModelFile.write(network, to: outputPath, metadata: metadata)
        if checkpoint != nil || resume != nil { try? saveCheckpoint(trainer: trainer, recipe: recipe, to: checkpointPath) }
        let losses = trainer.stepHistory.count >= 2 ? trainer.stepHistory.map(\.trainLoss) : trainer.history.map(\.trainLoss)
        if let first = losses.first, let last = losses.last {
            printError("training loss \(sparkline(losses)) \(String(format: "%.4f", first)) → \(String(format: "%.4f", last))")
        }
        printError("test accuracy \(percent(test.accuracy)) (\(Int((test.accuracy * Double(data.test.count)).rounded()))/\(data.test.count)), trained in \(formatDuration(result.trainSeconds)); model saved to \(outputPath)")
        return result
    }

    /// `model.safetensors` → `model.seed3.safetensors`: one file per seed of `--repeat`.
    static func path(_ path: String, seed: UInt64) -> String {
        path.hasSuffix(".safetensors") ? String(path.dropLast(".safetensors".count)) + ".seed\(seed).safetensors" : path + ".seed\(seed)"
    }

    func saveCheckpoint(trainer: Trainer, recipe: TrainingRecipe, to path: String) throws {
        try Checkpoint(network: trainer.network, recipe: recipe.json, optimizerState: trainer.optimizer.state,
                       optimizerSteps: trainer.optimizer.stepCount, position: trainer.position, generator: trainer.generator,
                       history: trainer.history, stepHistory: trainer.stepHistory).write(to: path)
    }

    /// `model.safetensors` → `model.checkpoint.safetensors`.
    static func checkpointPath(forModel path: String) -> String {
        path.hasSuffix(".safetensors") ? String(path.dropLast(".safetensors".count)) + ".checkpoint.safetensors" : path + ".checkpoint"
    }
}
