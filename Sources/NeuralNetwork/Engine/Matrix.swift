// Matrix.swift — the one tensor type of the engine: a row-major matrix of Float32.
//
// A mini-batch of B images of 784 pixels is a Matrix of shape [B, 784]; a dense layer's weight is
// [out, in]. Convolutional layers later view a row as a flattened [channels, height, width] image.

/// A row-major `rows × columns` matrix of `Float`: element (r, c) is `values[r * columns + c]`.
public struct Matrix: Sendable, Equatable {
    public private(set) var rows: Int
    public private(set) var columns: Int
    /// The elements, row after row.
    public var values: [Float]

    /// A `rows × columns` matrix filled with `value`.
    public init(rows: Int, columns: Int, value: Float = 0) {
        precondition(rows >= 0 && columns >= 0, "matrix shape must not be negative")
        self.rows = rows
        self.columns = columns
        self.values = [Float](repeating: value, count: rows * columns)
    }

    /// A matrix over existing values; `values.count` must be `rows × columns`.
    public init(rows: Int, columns: Int, values: [Float]) {
        precondition(values.count == rows * columns, "\(values.count) values do not make a \(rows)×\(columns) matrix")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// The number of elements, `rows × columns`.
    @inlinable public var count: Int { rows * columns }

    /// Element at row `r`, column `c`.
    @inlinable public subscript(r: Int, c: Int) -> Float {
        get { values[r * columns + c] }
        set { values[r * columns + c] = newValue }
    }

    /// Changes the shape, keeping capacity; the contents are unspecified afterwards unless the
    /// element count is unchanged. Used to reuse one buffer for batches of varying size.
    public mutating func reshape(rows: Int, columns: Int) {
        let newCount = rows * columns
        if newCount != values.count {
            if newCount < values.count {
                values.removeLast(values.count - newCount)
            } else {
                values.append(contentsOf: repeatElement(0, count: newCount - values.count))
            }
        }
        self.rows = rows
        self.columns = columns
    }

    /// Sets every element to `value`.
    public mutating func fill(_ value: Float) {
        values.withUnsafeMutableBufferPointer { $0.update(repeating: value) }
    }

    /// The transpose, `[columns, rows]`.
    public func transposed() -> Matrix {
        var result = Matrix(rows: columns, columns: rows)
        for r in 0..<rows {
            for c in 0..<columns { result.values[c * rows + r] = values[r * columns + c] }
        }
        return result
    }

    /// The index of the largest element of row `r` (the first one on ties).
    public func argmax(row r: Int) -> Int {
        var best = 0
        var bestValue = -Float.infinity
        for c in 0..<columns where values[r * columns + c] > bestValue {
            bestValue = values[r * columns + c]
            best = c
        }
        return best
    }
}
