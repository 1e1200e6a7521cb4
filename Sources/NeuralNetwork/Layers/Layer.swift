// Layer.swift — what every layer of a network is: a map from a batch of inputs to a batch of outputs,
// and the backward map from the gradient of the loss w.r.t. its outputs to the gradient w.r.t. its inputs
// (and its parameters).

/// A trainable tensor and the gradient of the loss with respect to it, accumulated by `backward`.
public final class Parameter {
    /// Name relative to the layer, e.g. "weight" or "bias" (PyTorch's names).
    public let name: String
    /// The value; a dense weight is [out, in], a bias [1, out].
    public var value: Matrix
    /// ∂loss/∂value, same shape as `value`.
    public var gradient: Matrix
    /// Whether weight decay applies (weights yes, biases no — the common convention).
    public let decays: Bool
    /// The tensor's shape in model files, PyTorch's: [out, in] for a dense weight, [out] for a bias,
    /// [out, in, kh, kw] for a convolution kernel. Its product is `value.count`.
    public let shape: [Int]

    /// A parameter stored as `value`; `shape` defaults to [rows, columns], or [columns] for a bias.
    public init(name: String, value: Matrix, decays: Bool, shape: [Int]? = nil) {
        let shape = shape ?? (name == "bias" ? [value.columns] : [value.rows, value.columns])
        precondition(shape.reduce(1, *) == value.count, "shape \(shape) does not hold \(value.count) values")
        self.name = name
        self.shape = shape
        self.value = value
        self.gradient = Matrix(rows: value.rows, columns: value.columns)
        self.decays = decays
    }
}

/// Whether a forward pass is part of training (dropout active) or inference.
public enum PassMode {
    case training
    case inference
}

/// One layer of a sequential network. Inputs and outputs are batches: one row per example.
///
/// Layers keep the buffers they need between `forward` and `backward` (outputs, masks), so a training
/// step allocates nothing once the batch size is stable.
public protocol Layer: AnyObject {
    /// A short description for the architecture, e.g. `dense(784→128)`.
    var summary: String { get }
    /// The layer's description as stored in model files (its kind's `Specification`, see LayerSpecification.swift).
    var specification: LayerSpecification { get }
    /// The trainable parameters (empty for ReLU and dropout).
    var parameters: [Parameter] { get }
    /// State saved with the model but not trained (batch normalization's running statistics).
    var buffers: [Parameter] { get }
    /// Features per example this layer outputs, given `inputFeatures` per example.
    func outputFeatures(inputFeatures: Int) -> Int
    /// Computes the outputs for a batch `input` [B, in] → [B, out].
    func forward(_ input: Matrix, mode: PassMode, generator: inout SeededGenerator, workers: WorkerThreads?) -> Matrix
    /// Given ∂loss/∂output [B, out] for the batch last passed to `forward` (as `input`), adds
    /// ∂loss/∂parameters to each parameter's gradient (or overwrites it when `accumulate` is false) and
    /// returns ∂loss/∂input [B, in] — or nil without computing it when `needsInputGradient` is false (the
    /// first layer never needs it).
    func backward(input: Matrix, outputGradient: Matrix, needsInputGradient: Bool, accumulate: Bool, workers: WorkerThreads?) -> Matrix?
}

extension Layer {
    public var buffers: [Parameter] { [] }
}
