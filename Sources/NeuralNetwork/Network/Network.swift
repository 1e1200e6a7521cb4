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
    /// How the layers run: a convolution followed by a ReLU (and a 2×2 max pooling) applies them itself while
    /// its outputs are in cache (FusionPlan.swift); the results are the same as layer after layer.
    let plan: FusionPlan

    public init(inputFeatures: Int, layers: [Layer], normalization: InputNormalization = .unitRange) {
        self.inputFeatures = inputFeatures
        self.layers = layers
        self.normalization = normalization
        self.parameters = layers.flatMap(\.parameters)
        var features = inputFeatures
        for layer in layers { features = layer.outputFeatures(inputFeatures: features) }
        self.outputFeatures = features
        plan = FusionPlan(layers: layers)
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
            switch plan.steps[index] {
            case .skipped: continue
            case let .fused(convolution, stage): activations = convolution.forward(activations, stage: stage, workers: workers)
            case .alone: activations = layer.forward(activations, mode: mode, generator: &generator, workers: workers)
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
            let needsInputGradient = index > 0
            let result: Matrix?
            switch plan.steps[index] {
            case .skipped: continue
            case let .fused(convolution, stage):
                result = convolution.backward(input: layerInputs[index], outputGradient: gradient, stage: stage,
                                              needsInputGradient: needsInputGradient, accumulate: accumulate, workers: workers)
            case .alone:
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
