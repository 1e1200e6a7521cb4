// Convolution2D+Naive.swift — the slow, obvious twin of the convolution: the defining sums as nested
// loops in Double, with no im2col, no matrix multiply and no threads. Tests check the fast path against it.

extension Convolution2D {
    /// The input value x[c, row, column] of example `example`, or 0 in the padding.
    private func pixel(_ input: Matrix, _ example: Int, _ channel: Int, _ row: Int, _ column: Int) -> Double {
        guard row >= 0, row < inputShape.height, column >= 0, column < inputShape.width else { return 0 }
        return Double(input[example, (channel * inputShape.height + row) * inputShape.width + column])
    }

    /// y[o, i, j] = b[o] + Σ_c Σ_u Σ_v W[o, c, u, v] · x[c, i·s − p + u, j·s − p + v], for inputs [B, C·H·W].
    public func naiveForward(_ input: Matrix) -> Matrix {
        let k = kernelSize
        var output = Matrix(rows: input.rows, columns: outputShape.count)
        for example in 0..<input.rows {
            for o in 0..<outputShape.channels {
                for i in 0..<outputShape.height {
                    for j in 0..<outputShape.width {
                        var sum = Double(bias.value[0, o])
                        for c in 0..<inputShape.channels {
                            for u in 0..<k {
                                for v in 0..<k {
                                    let w = Double(weight.value[o, (c * k + u) * k + v])
                                    sum += w * pixel(input, example, c, i * stride - padding + u, j * stride - padding + v)
                                }
                            }
                        }
                        output[example, (o * outputShape.height + i) * outputShape.width + j] = Float(sum)
                    }
                }
            }
        }
        return output
    }

    /// The gradients of `backward`, computed from the definition: for every output (o, i, j) and every tap
    /// (c, u, v) that fed it, ∂L/∂W[o, c, u, v] += dy·x, ∂L/∂x[c, …] += dy·W, and ∂L/∂b[o] += dy.
    public func naiveBackward(input: Matrix, outputGradient: Matrix) -> (input: Matrix, weight: Matrix, bias: Matrix) {
        let k = kernelSize
        var inputGradient = [Double](repeating: 0, count: input.count)
        var weightGradient = [Double](repeating: 0, count: weight.value.count)
        var biasGradient = [Double](repeating: 0, count: outputShape.channels)
        for example in 0..<input.rows {
            for o in 0..<outputShape.channels {
                for i in 0..<outputShape.height {
                    for j in 0..<outputShape.width {
                        let dy = Double(outputGradient[example, (o * outputShape.height + i) * outputShape.width + j])
                        biasGradient[o] += dy
                        for c in 0..<inputShape.channels {
                            for u in 0..<k {
                                for v in 0..<k {
                                    let (row, column) = (i * stride - padding + u, j * stride - padding + v)
                                    let tap = (c * k + u) * k + v
                                    weightGradient[o * weight.value.columns + tap] += dy * pixel(input, example, c, row, column)
                                    guard row >= 0, row < inputShape.height, column >= 0, column < inputShape.width else { continue }
                                    let index = example * inputShape.count + (c * inputShape.height + row) * inputShape.width + column
                                    inputGradient[index] += dy * Double(weight.value[o, tap])
                                }
                            }
                        }
                    }
                }
            }
        }
        return (Matrix(rows: input.rows, columns: input.columns, values: inputGradient.map { Float($0) }),
                Matrix(rows: weight.value.rows, columns: weight.value.columns, values: weightGradient.map { Float($0) }),
                Matrix(rows: 1, columns: outputShape.channels, values: biasGradient.map { Float($0) }))
    }
}
