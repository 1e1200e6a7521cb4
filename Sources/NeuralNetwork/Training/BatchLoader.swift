// BatchLoader.swift — stored images (bytes, 0–255) into a batch of network inputs: rows gathered by index,
// optionally distorted by an `Augmenter`, and normalized as the network expects. Used by the trainer and by
// evaluation; the rows are shared among the worker threads, and the split never changes a value.

/// Fills batches for a network with `features` inputs per example and the given input normalization:
/// x = (pixel/255 − mean) / standardDeviation.
public struct BatchLoader: Sendable {
    public let features: Int
    public let normalization: InputNormalization

    public init(features: Int, normalization: InputNormalization) {
        self.features = features
        self.normalization = normalization
    }

    /// The loader for `network`'s inputs.
    public init(for network: Network) {
        self.init(features: network.inputFeatures, normalization: network.normalization)
    }

    /// Writes the normalized pixels of `images` at `indices` into `batch` [indices.count, features].
    /// The rows are gathered from random places in memory, so the work is shared among `workers`.
    public func load(_ images: LabeledImages, indices: ArraySlice<Int>, into batch: inout Matrix, workers: WorkerThreads? = nil) {
        precondition(images.featureCount == features, "images have \(images.featureCount) pixels, network expects \(features)")
        batch.reshape(rows: indices.count, columns: features)
        let scale = 1 / (255 * normalization.standardDeviation)
        let offset = -normalization.mean / normalization.standardDeviation
        let features = features
        images.pixels.withUnsafeBufferPointer { pixelBuffer in
            batch.values.withUnsafeMutableBufferPointer { xBuffer in
                let (pixels, x) = (pixelBuffer.baseAddress!, xBuffer.baseAddress!)
                indices.withContiguousStorageIfAvailable { rows in
                    let rows = rows.baseAddress!
                    let convert = { (range: Range<Int>) in
                        for row in range {
                            let source = pixels + rows[row] * features
                            let target = x + row * features
                            for j in 0..<features { target[j] = Float(source[j]) * scale + offset }
                        }
                    }
                    if let workers, workers.threadCount > 1, indices.count >= 16 {
                        let parts = workers.threadCount, count = indices.count
                        workers.run { part in convert(count * part / parts..<count * (part + 1) / parts) }
                    } else {
                        convert(0..<indices.count)
                    }
                }
            }
        }
    }

    /// Like `load`, but every image is distorted by `augmenter` first, with the generator that
    /// `generatorForRow` makes for its row of the batch. Rows are shared among `workers`.
    public func loadAugmented(_ images: LabeledImages, indices: ArraySlice<Int>, augmenter: Augmenter, into batch: inout Matrix,
                              workers: WorkerThreads? = nil, generatorForRow: @escaping (Int) -> SeededGenerator) {
        precondition(images.featureCount == features, "images have \(images.featureCount) pixels, network expects \(features)")
        precondition(images.imageShape.height == images.imageShape.width, "augmentation needs square images")
        batch.reshape(rows: indices.count, columns: features)
        let (side, features) = (images.imageShape.width, features)
        let (mean, scale) = (normalization.mean, 1 / normalization.standardDeviation)
        let rows = Array(indices)
        images.pixels.withUnsafeBufferPointer { pixelBuffer in
            batch.values.withUnsafeMutableBufferPointer { xBuffer in
                let (pixels, x) = (pixelBuffer.baseAddress!, xBuffer.baseAddress!)
                forEachExampleRange(count: rows.count, workers: workers) { range in
                    for row in range {
                        var generator = generatorForRow(row)
                        let target = x + row * features
                        augmenter.augment(pixels + rows[row] * features, side: side, label: Int(images.labels[rows[row]]),
                                          generator: &generator, into: target)
                        for j in 0..<features { target[j] = (target[j] - mean) * scale }
                    }
                }
            }
        }
    }
}
