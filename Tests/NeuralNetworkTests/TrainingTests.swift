// Whole-network behaviour: the loss is stable on extreme logits, a tiny set can be memorized, runs are
// reproducible, and the first losses of a fixed-seed run stay what they were (golden numbers).

import NeuralNetwork
import Testing

/// A learnable synthetic set: each class has a random prototype image; examples add noise to it.
func syntheticImages(count: Int, seed: UInt64, pixels: Int = 784) -> LabeledImages {
    var generator = SeededGenerator(seed: 99)
    let prototypes = (0..<10).map { _ in (0..<pixels).map { _ in generator.nextUnitFloat() } }
    var sampler = SeededGenerator(seed: seed)
    var bytes = [UInt8]()
    var labels = [UInt8]()
    for i in 0..<count {
        let label = i % 10
        labels.append(UInt8(label))
        for p in 0..<pixels {
            let value = 0.7 * prototypes[label][p] + 0.3 * sampler.nextUnitFloat()
            bytes.append(UInt8(min(255, value * 255)))
        }
    }
    let side = Int(Double(pixels).squareRoot())
    return LabeledImages(pixels: bytes, labels: labels, height: side, width: pixels / side)
}

@Suite("Training")
struct TrainingTests {
    @Test("softmax cross-entropy is finite and exact for huge logits")
    func stableLoss() {
        let logits = Matrix(rows: 2, columns: 3, values: [10_000, 0, -10_000, -5e4, -5e4, -5e4])
        let labels: [UInt8] = [1, 2]
        let (lossSum, correct) = labels.withUnsafeBufferPointer {
            SoftmaxCrossEntropy.evaluate(logits: logits, labels: $0, divisor: 2, gradient: nil)
        }
        // Row 1: −log softmax = 10000; row 2: uniform → log 3.
        #expect(abs(lossSum - (10_000 + 1.0986122886681098)) < 1e-2)
        #expect(correct == 0)
        let probabilities = SoftmaxCrossEntropy.probabilities(logits)
        #expect(probabilities.values.allSatisfy { $0.isFinite })
        #expect(abs(probabilities[1, 0] - 1.0 / 3) < 1e-6)
    }

    @Test("a small network memorizes 32 examples")
    func overfitTinyBatch() {
        let data = syntheticImages(count: 32, seed: 1, pixels: 64)
        var generator = SeededGenerator(seed: 1)
        let network = Network.multilayerPerceptron(sizes: [64, 32, 10], generator: &generator)
        let trainer = Trainer(network: network, optimizer: Adam(), settings: TrainingSettings(epochs: 150, batchSize: 32, learningRate: 0.01),
                              trainingSet: data)
        _ = trainer.run(clock: { 0 })
        let evaluation = network.evaluate(data)
        #expect(evaluation.accuracy == 1)
        #expect(evaluation.loss < 0.05)
    }

    @Test("same seed gives the same weights; 1 and 2 threads too")
    func reproducible() {
        let data = syntheticImages(count: 300, seed: 2)
        func train(threads: Int, seed: UInt64) -> [[Float]] {
            var generator = SeededGenerator(seed: seed)
            let network = Network.multilayerPerceptron(sizes: [784, 64, 32, 10], dropout: 0.2, generator: &generator)
            let workers = threads > 1 ? WorkerThreads(threadCount: threads) : nil
            let trainer = Trainer(network: network, optimizer: SGD(momentum: 0.9), settings: TrainingSettings(epochs: 2, batchSize: 32, learningRate: 0.05, seed: seed),
                                  trainingSet: data, workers: workers)
            _ = trainer.run(clock: { 0 })
            workers?.stop()
            return network.parameters.map(\.value.values)
        }
        let first = train(threads: 1, seed: 5)
        #expect(first == train(threads: 1, seed: 5))
        #expect(first == train(threads: 2, seed: 5))
        #expect(first != train(threads: 1, seed: 6))
    }

    @Test("full-batch training in chunks equals one big batch")
    func chunkedFullBatch() {
        let data = syntheticImages(count: 100, seed: 3, pixels: 49)
        func train(chunkRows: Int) -> [Float] {
            var generator = SeededGenerator(seed: 4)
            let network = Network.multilayerPerceptron(sizes: [49, 16, 10], generator: &generator)
            let trainer = Trainer(network: network, optimizer: SGD(), settings: TrainingSettings(epochs: 3, batchSize: 0, learningRate: 0.1),
                                  trainingSet: data)
            trainer.chunkRows = chunkRows
            _ = trainer.run(clock: { 0 })
            return network.parameters.flatMap(\.value.values)
        }
        let whole = train(chunkRows: 1000)
        let chunked = train(chunkRows: 7)
        let worst = zip(whole, chunked).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-5)
    }

    @Test("stopping after a batch and continuing equals an uninterrupted run")
    func interruptAndContinue() {
        let data = syntheticImages(count: 200, seed: 6)
        func makeTrainer() -> Trainer {
            var generator = SeededGenerator(seed: 8)
            let network = Network.multilayerPerceptron(sizes: [784, 32, 10], dropout: 0.3, generator: &generator)
            return Trainer(network: network, optimizer: Adam(), settings: TrainingSettings(epochs: 3, batchSize: 16, learningRate: 0.003, schedule: .oneCycle, seed: 8),
                           trainingSet: data)
        }
        let uninterrupted = makeTrainer()
        #expect(uninterrupted.run(clock: { 0 }) == .finished)

        let first = makeTrainer()
        #expect(first.run(clock: { 0 }, shouldStop: { first.position.epoch == 1 && first.position.batchInEpoch == 4 }) == .interrupted)
        #expect(first.position.epoch == 1 && first.position.batchInEpoch == 4)
        // Continue in a fresh trainer from the saved state, as a checkpoint would.
        let second = makeTrainer()
        for (target, source) in zip(second.network.parameters, first.network.parameters) { target.value = source.value }
        try? second.optimizer.restore(state: first.optimizer.state, stepCount: first.optimizer.stepCount, parameters: second.network.parameters)
        second.generator = first.generator
        second.position = first.position
        second.history = first.history
        #expect(second.run(clock: { 0 }) == .finished)
        #expect(second.network.parameters.map(\.value.values) == uninterrupted.network.parameters.map(\.value.values))
        #expect(second.history == uninterrupted.history)
    }

    @Test("golden first losses for seed 42")
    func goldenLosses() {
        let data = syntheticImages(count: 256, seed: 42)
        var generator = SeededGenerator(seed: 42)
        let network = Network.multilayerPerceptron(sizes: [784, 128, 64, 10], generator: &generator)
        let trainer = Trainer(network: network, optimizer: SGD(), settings: TrainingSettings(epochs: 1, batchSize: 64, learningRate: 0.1, seed: 42),
                              trainingSet: data)
        let order = trainer.shuffledOrder(epoch: 0)
        var losses = [Double]()
        for batch in 0..<4 {
            let (lossSum, _) = trainer.trainStep(order[(batch * 64)..<(batch * 64 + 64)])
            losses.append(lossSum / 64)
        }
        let golden: [Double] = GoldenNumbers.firstLosses
        print("first losses:", losses)
        for (loss, expected) in zip(losses, golden) { #expect(abs(loss - expected) < 1e-4, "\(losses)") }
        #expect(losses.count == golden.count)
    }
}
