// Metrics.swift — how well a network does on a labeled set: loss, accuracy, confusion matrix.

/// Counts of (true class, predicted class) pairs. Rows are the true digit, columns the prediction.
public struct ConfusionMatrix: Sendable, Equatable {
    public let classes: Int
    /// `counts[truth][prediction]`.
    public private(set) var counts: [[Int]]

    public init(classes: Int) {
        self.classes = classes
        counts = Array(repeating: Array(repeating: 0, count: classes), count: classes)
    }

    public mutating func add(truth: Int, prediction: Int) { counts[truth][prediction] += 1 }

    /// Number of examples counted.
    public var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }
    /// Fraction on the diagonal.
    public var accuracy: Double {
        total == 0 ? 0 : Double((0..<classes).reduce(0) { $0 + counts[$1][$1] }) / Double(total)
    }
    /// The off-diagonal cells that hold examples, largest count first (ties: smaller true, then predicted digit).
    public var worstPairs: [(truth: Int, predicted: Int, count: Int)] {
        var pairs: [(truth: Int, predicted: Int, count: Int)] = []
        for truth in 0..<classes {
            for predicted in 0..<classes where truth != predicted && counts[truth][predicted] > 0 {
                pairs.append((truth, predicted, counts[truth][predicted]))
            }
        }
        return pairs.sorted { ($0.count, -$0.truth, -$0.predicted) > ($1.count, -$1.truth, -$1.predicted) }
    }

    /// For each true class, the fraction predicted correctly (0 for a class with no examples).
    public var perClassAccuracy: [Double] {
        (0..<classes).map { c in
            let row = counts[c].reduce(0, +)
            return row == 0 ? 0 : Double(counts[c][c]) / Double(row)
        }
    }
}

/// The result of running a network over a labeled set.
public struct Evaluation: Sendable {
    /// Mean cross-entropy loss.
    public var loss: Double
    public var confusion: ConfusionMatrix
    /// The predicted class of every example, in order.
    public var predictions: [UInt8]
    /// The probability the network gave its prediction, for every example: softmax(logits)[predicted].
    public var confidences: [Float]
    /// The entropy of every example's softmax, in nats: H = −Σ_j p_j log p_j, from 0 (sure of one class) to
    /// log C (equally unsure of all). Used to say "not a digit".
    public var entropies: [Float] = []
    public var accuracy: Double { confusion.accuracy }
}

/// The entropy −Σ_j p_j log p_j (nats) of a probability vector; terms with p_j = 0 count 0.
public func entropy(_ probabilities: [Float]) -> Float {
    probabilities.reduce(0) { $0 - ($1 > 0 ? $1 * logf($1) : 0) }
}

extension Network {
    /// Runs the network over all of `images` in batches of `batchSize` (inference mode). Every layer keeps an
    /// output buffer as large as the largest batch it has seen, so a modest batch keeps a CNN's memory small.
    /// `progress` is called after each batch with the number of images done.
    public func evaluate(_ images: LabeledImages, batchSize: Int = 256, workers: WorkerThreads? = nil,
                         progress: (Int) -> Void = { _ in }) -> Evaluation {
        var confusion = ConfusionMatrix(classes: outputFeatures)
        var predictions = [UInt8](), confidences = [Float](), entropies = [Float]()
        predictions.reserveCapacity(images.count)
        confidences.reserveCapacity(images.count)
        var lossSum = 0.0
        let loader = BatchLoader(for: self)
        var batch = Matrix(rows: 0, columns: 0)
        var start = 0
        let all = Array(0..<images.count)
        while start < images.count {
            let end = min(start + batchSize, images.count)
            loader.load(images, indices: all[start..<end], into: &batch, workers: workers)
            let output = logits(batch, workers: workers)
            images.labels.withUnsafeBufferPointer { labels in
                let slice = UnsafeBufferPointer(rebasing: labels[start..<end])
                lossSum += SoftmaxCrossEntropy.evaluate(logits: output, labels: slice, divisor: 1, gradient: nil).lossSum
            }
            for row in 0..<output.rows {
                let predicted = output.argmax(row: row)
                predictions.append(UInt8(predicted))
                // softmax at the largest logit: 1 / Σⱼ exp(zⱼ − z_max)
                let top = output[row, predicted]
                let sum = (0..<output.columns).reduce(Float(0)) { $0 + expf(output[row, $1] - top) }
                confidences.append(1 / sum)
                // H = log Σ exp(z − m) − Σ_j p_j (z_j − m), with m the largest logit.
                let weighted = (0..<output.columns).reduce(Float(0)) { $0 + expf(output[row, $1] - top) / sum * (output[row, $1] - top) }
                entropies.append(logf(sum) - weighted)
                confusion.add(truth: Int(images.labels[start + row]), prediction: predicted)
            }
            start = end
            progress(end)
        }
        return Evaluation(loss: images.count == 0 ? 0 : lossSum / Double(images.count), confusion: confusion, predictions: predictions,
                          confidences: confidences, entropies: entropies)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Network {
    /// Softmax probabilities of every image, [count, classes] row-major, computed in batches (inference mode).
    public func probabilities(_ images: LabeledImages, batchSize: Int = 256, workers: WorkerThreads? = nil) -> [Float] {
        var result: [Float] = []
        result.reserveCapacity(images.count * outputFeatures)
        let loader = BatchLoader(for: self)
        var batch = Matrix(rows: 0, columns: 0)
        let all = Array(0..<images.count)
        var start = 0
        while start < images.count {
            let end = min(start + batchSize, images.count)
            loader.load(images, indices: all[start..<end], into: &batch, workers: workers)
            result += SoftmaxCrossEntropy.probabilities(logits(batch, workers: workers)).values
            start = end
        }
        return result
    }
}
