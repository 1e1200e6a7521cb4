// Dense.swift — the fully connected layer, y = x·Wᵀ + b.

/// A fully connected layer with PyTorch's parameter layout.
///
/// Forward, for a batch x [B, in]:    y = x·Wᵀ + b            (W [out, in], b [1, out], y [B, out])
/// Backward, given dy = ∂L/∂y [B, out]:
///     ∂L/∂W += dyᵀ·x   [out, in]
///     ∂L/∂b += Σ_rows dy   [1, out]
///     ∂L/∂x  = dy·W    [B, in]    (skipped for the first layer)
public final class Dense: Layer {
    public let inputCount: Int
    public let outputCount: Int
    public let weight: Parameter
    public let bias: Parameter
    private var output = Matrix(rows: 0, columns: 0)
    private var inputGradient = Matrix(rows: 0, columns: 0)

    /// A layer with the given weight [out, in] and bias [1, out].
    public init(weight: Matrix, bias: Matrix) {
        precondition(bias.rows == 1 && bias.columns == weight.rows, "bias must be [1, \(weight.rows)]")
        inputCount = weight.columns
        outputCount = weight.rows
        self.weight = Parameter(name: "weight", value: weight, decays: true)
        self.bias = Parameter(name: "bias", value: bias, decays: false)
    }

    /// A layer initialized by `initialization`, bias zero.
    public convenience init(inputs: Int, outputs: Int, initialization: Initialization, generator: inout SeededGenerator) {
        let weight = initialization.weights(rows: outputs, columns: inputs, fanIn: inputs, fanOut: outputs, generator: &generator)
        self.init(weight: weight, bias: Matrix(rows: 1, columns: outputs))
    }

    public var summary: String { "dense(\(inputCount)→\(outputCount))" }
    public var specification: LayerSpecification { LayerSpecification(Specification(inputs: inputCount, outputs: outputCount)) }

    /// A dense layer in a model file: `{"type": "dense", "in": 784, "out": 128}`, tensors `weight` [out, in]
    /// and `bias` [out].
    public struct Specification: LayerDescription {
        public static let type = "dense"
        public var inputs: Int
        public var outputs: Int
        enum CodingKeys: String, CodingKey { case inputs = "in", outputs = "out" }

        public init(inputs: Int, outputs: Int) {
            self.inputs = inputs
            self.outputs = outputs
        }

        public func outputFeatures(receiving inputFeatures: Int) throws(LayerSpecificationError) -> Int {
            guard (1...(1 << 20)).contains(inputs), (1...(1 << 20)).contains(outputs) else {
                throw LayerSpecificationError("needs positive integer \"in\" and \"out\"")
            }
            guard inputs == inputFeatures else { throw LayerSpecificationError("is dense(\(inputs)→\(outputs)) but receives \(inputFeatures) features") }
            return outputs
        }

        public var tensorShapes: [(name: String, shape: [Int])] { [("weight", [outputs, inputs]), ("bias", [outputs])] }

        public func makeLayer(tensors: [[Float]]) -> Layer {
            Dense(weight: Matrix(rows: outputs, columns: inputs, values: tensors[0]), bias: Matrix(rows: 1, columns: outputs, values: tensors[1]))
        }

        public func makeLayer(initialization: Initialization, generator: inout SeededGenerator) -> Layer {
            Dense(inputs: inputs, outputs: outputs, initialization: initialization, generator: &generator)
        }
    }
    public var parameters: [Parameter] { [weight, bias] }
    public func outputFeatures(inputFeatures: Int) -> Int { outputCount }

    public func forward(_ input: Matrix, mode: PassMode, generator: inout SeededGenerator, workers: WorkerThreads?) -> Matrix {
        precondition(input.columns == inputCount, "\(summary) got \(input.columns) features per example")
        output.reshape(rows: input.rows, columns: outputCount)
        // Start from the bias in every row, then accumulate x·Wᵀ on top.
        bias.value.values.withUnsafeBufferPointer { b in
            output.values.withUnsafeMutableBufferPointer { y in
                for r in 0..<input.rows {
                    (y.baseAddress! + r * outputCount).update(from: b.baseAddress!, count: outputCount)
                }
            }
        }
        MatrixMultiply.product(input, .none, weight.value, .transposed, into: &output, accumulate: true, workers: workers)
        return output
    }

    public func backward(input: Matrix, outputGradient: Matrix, needsInputGradient: Bool, accumulate: Bool, workers: WorkerThreads?) -> Matrix? {
        MatrixMultiply.product(outputGradient, .transposed, input, .none, into: &weight.gradient, accumulate: accumulate, workers: workers)
        outputGradient.values.withUnsafeBufferPointer { dy in
            bias.gradient.values.withUnsafeMutableBufferPointer { db in
                if !accumulate { db.update(repeating: 0) }
                for r in 0..<outputGradient.rows {
                    let row = dy.baseAddress! + r * outputCount
                    for j in 0..<outputCount { db[j] += row[j] }
                }
            }
        }
        guard needsInputGradient else { return nil }
        MatrixMultiply.product(outputGradient, .none, weight.value, .none, into: &inputGradient, workers: workers)
        return inputGradient
    }
}
