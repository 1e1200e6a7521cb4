// Network.swift — a sequential stack of layers, its forward and backward passes, and its description.

/// How raw 0–255 pixels become network inputs: x = (pixel/255 − mean) / standardDeviation.
public struct InputNormalization: Sendable, Equatable, Codable {
    public var mean: Float
    public var standardDeviation: Float

    public init(mean: Float, standardDeviation: Float) {
        self.mean = mean
        self.standardDeviation = standardDeviation
    }

    /// Pixels in [0, 1] passed through unchanged.
    public static let unitRange = InputNormalization(mean: 0, standardDeviation: 1)
    /// MNIST's training-set mean and standard deviation of pixel/255.
    public static let mnist = InputNormalization(mean: 0.1307, standardDeviation: 0.3081)
}

/// A feed-forward network: layers applied in order to a batch [B, inputFeatures], ending in logits [B, classes].
public final class Network {
    /// Features per input example (784 for MNIST).
    public let inputFeatures: Int
    public let layers: [Layer]
    /// Applied to raw pixels before the first layer.
    public let normalization: InputNormalization
    /// Every trainable parameter, layer by layer.
    public let parameters: [Parameter]
    /// Number of output classes (features after the last layer).
    public let outputFeatures: Int
    private var layerInputs: [Matrix] = []
    /// outputStages[i]: for a convolution followed by a ReLU (and a 2×2 max pooling), what it applies itself
    /// while its outputs are in cache, taking their gradients back itself; those layers are then skipped
    /// (`isSkipped`). The results are the same as running the layers one after the other.
    private let outputStages: [ConvolutionOutputStage?]
    private let isSkipped: [Bool]

    public init(inputFeatures: Int, layers: [Layer], normalization: InputNormalization = .unitRange) {
        self.inputFeatures = inputFeatures
        self.layers = layers
        self.normalization = normalization
        self.parameters = layers.flatMap(\.parameters)
        var features = inputFeatures
        for layer in layers { features = layer.outputFeatures(inputFeatures: features) }
        self.outputFeatures = features
        var stages = [ConvolutionOutputStage?](repeating: nil, count: layers.count)
        var skipped = [Bool](repeating: false, count: layers.count)
        for index in layers.indices {
            guard let convolution = layers[index] as? Convolution2D, index + 1 < layers.count, layers[index + 1] is ReLU else { continue }
            if index + 2 < layers.count, let pooling = layers[index + 2] as? MaxPool2D, pooling.windowSize == 2, pooling.stride == 2,
               convolution.canPoolOutputs {
                stages[index] = .rectifiedAndPooled
                skipped[index + 2] = true
            } else {
                stages[index] = .rectified
            }
            skipped[index + 1] = true
        }
        outputStages = stages
        isSkipped = skipped
    }

    /// A multilayer perceptron: `sizes` = [784, 128, 64, 10] gives dense(784→128), relu, dense(128→64),
    /// relu, dense(64→10); with `dropout` > 0 a dropout layer follows every hidden ReLU.
    public static func multilayerPerceptron(
        sizes: [Int], dropout: Float = 0, initialization: Initialization = .he,
        normalization: InputNormalization = .unitRange, generator: inout SeededGenerator
    ) -> Network {
        precondition(sizes.count >= 2, "a network needs at least an input and an output size")
        var layers: [Layer] = []
        for index in 0..<(sizes.count - 1) {
            layers.append(Dense(inputs: sizes[index], outputs: sizes[index + 1], initialization: initialization, generator: &generator))
            if index < sizes.count - 2 {
                layers.append(ReLU())
                if dropout > 0 { layers.append(Dropout(probability: dropout)) }
            }
        }
        return Network(inputFeatures: sizes[0], layers: layers, normalization: normalization)
    }

    /// The layers as stored in model files.
    public var specification: [LayerSpecification] { layers.map(\.specification) }

    /// One line, e.g. `784 → dense(784→128) → relu → dense(128→10)`.
    public var summary: String {
        (["\(inputFeatures)"] + layers.map(\.summary)).joined(separator: " → ")
    }

    /// Total number of trainable scalars.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

    /// Logits [B, classes] for inputs [B, inputFeatures]. In training mode the inputs of every layer are
    /// kept for `backward`.
    public func forward(_ input: Matrix, mode: PassMode, generator: inout SeededGenerator, workers: WorkerThreads? = nil) -> Matrix {
        layerInputs.removeAll(keepingCapacity: true)
        var activations = input
        for (index, layer) in layers.enumerated() {
            if mode == .training { layerInputs.append(activations) }
            if isSkipped[index] { continue }
            if let stage = outputStages[index], let convolution = layer as? Convolution2D {
                activations = convolution.forward(activations, stage: stage, workers: workers)
            } else {
                activations = layer.forward(activations, mode: mode, generator: &generator, workers: workers)
            }
        }
        return activations
    }

    /// Logits for inputs at inference (dropout off); needs no generator.
    public func logits(_ input: Matrix, workers: WorkerThreads? = nil) -> Matrix {
        var unused = SeededGenerator(seed: 0)
        return forward(input, mode: .inference, generator: &unused, workers: workers)
    }

    /// Back-propagates ∂loss/∂logits through the layers of the last training `forward`, adding to every
    /// parameter's gradient — or replacing it when `accumulate` is false, which saves zeroing the gradients
    /// before a step. The input gradient of the first layer is never computed.
    public func backward(_ logitsGradient: Matrix, accumulate: Bool = true, workers: WorkerThreads? = nil) {
        precondition(layerInputs.count == layers.count, "backward needs a training-mode forward first")
        var gradient = logitsGradient
        for index in stride(from: layers.count - 1, through: 0, by: -1) {
            if isSkipped[index] { continue }
            let needsInputGradient = index > 0
            let result: Matrix?
            if let stage = outputStages[index], let convolution = layers[index] as? Convolution2D {
                result = convolution.backward(input: layerInputs[index], outputGradient: gradient, stage: stage,
                                              needsInputGradient: needsInputGradient, accumulate: accumulate, workers: workers)
            } else {
                result = layers[index].backward(input: layerInputs[index], outputGradient: gradient,
                                                needsInputGradient: needsInputGradient, accumulate: accumulate, workers: workers)
            }
            if let result { gradient = result }
        }
        layerInputs.removeAll(keepingCapacity: true)
    }

    /// Sets every parameter gradient to zero.
    public func zeroGradients() {
        for parameter in parameters { parameter.gradient.fill(0) }
    }

    /// Writes the normalized pixels of `images` at `indices` into `batch` [indices.count, inputFeatures].
    /// The rows are gathered from random places in memory, so the work is shared among `workers`.
    public func loadBatch(_ images: LabeledImages, indices: ArraySlice<Int>, into batch: inout Matrix, workers: WorkerThreads? = nil) {
        precondition(images.featureCount == inputFeatures, "images have \(images.featureCount) pixels, network expects \(inputFeatures)")
        batch.reshape(rows: indices.count, columns: inputFeatures)
        let scale = 1 / (255 * normalization.standardDeviation)
        let offset = -normalization.mean / normalization.standardDeviation
        let features = inputFeatures
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

    /// Like `loadBatch`, but every image is distorted by `augmenter` first, with the generator that
    /// `generatorForRow` makes for its row of the batch. Rows are shared among `workers`.
    public func loadAugmentedBatch(_ images: LabeledImages, indices: ArraySlice<Int>, augmenter: Augmenter, into batch: inout Matrix,
                                   workers: WorkerThreads? = nil, generatorForRow: @escaping (Int) -> SeededGenerator) {
        precondition(images.featureCount == inputFeatures, "images have \(images.featureCount) pixels, network expects \(inputFeatures)")
        precondition(images.imageShape.height == images.imageShape.width, "augmentation needs square images")
        batch.reshape(rows: indices.count, columns: inputFeatures)
        let (side, features) = (images.imageShape.width, inputFeatures)
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

    /// Normalizes values already in [0, 1] (e.g. a preprocessed drawing) into network inputs.
    public func normalize(unitPixels: [Float]) -> [Float] {
        unitPixels.map { ($0 - normalization.mean) / normalization.standardDeviation }
    }

    /// Class probabilities for one example given as 0–1 pixel values (preprocessed image).
    public func probabilities(unitPixels: [Float]) -> [Float] {
        precondition(unitPixels.count == inputFeatures, "expected \(inputFeatures) pixel values")
        let input = Matrix(rows: 1, columns: inputFeatures, values: normalize(unitPixels: unitPixels))
        return SoftmaxCrossEntropy.probabilities(logits(input)).values
    }
}
