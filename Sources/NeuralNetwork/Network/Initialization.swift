// Initialization.swift — how the first weights are drawn.

/// Weight initialization schemes, as functions of a layer's fan-in and fan-out.
public enum Initialization: String, Sendable, CaseIterable, Codable {
    /// He (Kaiming) normal: W ~ N(0, 2/fan_in). Keeps activation variance steady through ReLU layers.
    case he
    /// Xavier (Glorot) uniform: W ~ U(−a, a), a = √(6/(fan_in + fan_out)). For tanh/linear layers.
    case xavier

    /// A `rows × columns` weight matrix drawn from this scheme.
    public func weights(rows: Int, columns: Int, fanIn: Int, fanOut: Int, generator: inout SeededGenerator) -> Matrix {
        var values = [Float](repeating: 0, count: rows * columns)
        switch self {
        case .he:
            let standardDeviation = (2.0 / Double(fanIn)).squareRoot()
            for i in values.indices { values[i] = Float(generator.nextNormal() * standardDeviation) }
        case .xavier:
            let limit = (6.0 / Double(fanIn + fanOut)).squareRoot()
            for i in values.indices { values[i] = Float((Double(generator.nextUnitFloat()) * 2 - 1) * limit) }
        }
        return Matrix(rows: rows, columns: columns, values: values)
    }
}
