// MatrixMultiply.swift — C = op(A)·op(B) (+ C), the operation that dominates training time.
//
// `MatrixMultiply.product` is the fast path: operands are packed into cache-sized panels and a
// register-blocked SIMD micro-kernel (MatrixMultiplyKernel.swift) computes 6×16 tiles of C.
// `MatrixMultiply.naiveProduct` is its slow, obvious twin; tests check that the two agree.

/// Whether an operand is used as stored or transposed.
public enum Transpose: Sendable {
    case none
    case transposed
}

/// General matrix multiply on `Matrix` values.
public enum MatrixMultiply {
    /// Computes `C = op(A)·op(B)`, or `C += op(A)·op(B)` when `accumulate` is true.
    ///
    /// Shapes: op(A) is [M, K], op(B) is [K, N], C is [M, N]. With `transposeA == .transposed`, A is stored
    /// as [K, M]; likewise B as [N, K]. C is resized to [M, N] when it does not accumulate.
    ///
    /// Work is split between the threads of `workers` by columns (or rows) of C, in a split fixed by the
    /// shapes alone, and each element of C is summed in the same order whatever the thread count, so the
    /// result is identical bit for bit with 1 or 2 threads — and with every kernel family (`kernels`, the
    /// one chosen for this CPU unless given).
    public static func product(
        _ a: Matrix, _ transposeA: Transpose, _ b: Matrix, _ transposeB: Transpose,
        into c: inout Matrix, accumulate: Bool = false, workers: WorkerThreads? = nil, kernels: KernelFamily = .selected
    ) {
        let (m, k) = transposeA == .none ? (a.rows, a.columns) : (a.columns, a.rows)
        let (kb, n) = transposeB == .none ? (b.rows, b.columns) : (b.columns, b.rows)
        precondition(k == kb, "inner dimensions differ: op(A) is \(m)×\(k), op(B) is \(kb)×\(n)")
        if accumulate {
            precondition(c.rows == m && c.columns == n, "C is \(c.rows)×\(c.columns), expected \(m)×\(n)")
        } else if c.rows != m || c.columns != n {
            c.reshape(rows: m, columns: n)
        }
        if m <= rowDotThreshold && transposeA == .none && transposeB == .transposed {
            rowDotProducts(a, b, into: &c, accumulate: accumulate, kernels: kernels)
            return
        }
        a.values.withUnsafeBufferPointer { aBuffer in
            b.values.withUnsafeBufferPointer { bBuffer in
                c.values.withUnsafeMutableBufferPointer { cBuffer in
                    var problem = GEMMProblem(
                        m: m, n: n, k: k,
                        a: aBuffer.baseAddress!, aRowStride: a.columns, aTransposed: transposeA == .transposed,
                        b: bBuffer.baseAddress!, bRowStride: b.columns, bTransposed: transposeB == .transposed,
                        c: cBuffer.baseAddress!, cRowStride: n, accumulate: accumulate)
                    problem.kernels = kernels
                    problem.run(workers: workers)
                }
            }
        }
    }

    /// Up to this many rows of A, `A·Bᵀ` is computed as dot products of rows (`rowDotProducts`): packing
    /// B for the blocked kernel would cost more than the multiply itself (one drawing at inference).
    static let rowDotThreshold = 4

    /// `C[i, j] (+)= Σₚ A[i, p]·B[j, p]` for A [m, k] and B [n, k], both rows contiguous: each output is a
    /// dot product of two rows (RowDotProducts.swift), summed in one order whatever the shapes and the kernel
    /// family. The fast path of `product` for small m, and of a Winograd convolution's weight gradient.
    /// C must already be [m, n].
    public static func rowDotProducts(_ a: Matrix, _ b: Matrix, into c: inout Matrix, accumulate: Bool, kernels: KernelFamily = .selected) {
        precondition(a.columns == b.columns && c.rows == a.rows && c.columns == b.rows, "A·Bᵀ needs A [m, k], B [n, k] and C [m, n]")
        a.values.withUnsafeBufferPointer { aBuffer in
            b.values.withUnsafeBufferPointer { bBuffer in
                c.values.withUnsafeMutableBufferPointer { cBuffer in
                    NeuralNetwork.rowDotProducts(m: a.rows, n: b.rows, k: a.columns, a: aBuffer.baseAddress!, aRowStride: a.columns,
                                                 b: bBuffer.baseAddress!, bRowStride: b.columns,
                                                 c: cBuffer.baseAddress!, cRowStride: b.rows, accumulate: accumulate, kernels: kernels)
                }
            }
        }
    }

    /// The naive twin of `product`: three nested loops, summing in Double. Slow and obviously right.
    public static func naiveProduct(
        _ a: Matrix, _ transposeA: Transpose, _ b: Matrix, _ transposeB: Transpose,
        into c: inout Matrix, accumulate: Bool = false
    ) {
        let (m, k) = transposeA == .none ? (a.rows, a.columns) : (a.columns, a.rows)
        let (kb, n) = transposeB == .none ? (b.rows, b.columns) : (b.columns, b.rows)
        precondition(k == kb, "inner dimensions differ: op(A) is \(m)×\(k), op(B) is \(kb)×\(n)")
        if !accumulate { c = Matrix(rows: m, columns: n) }
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for p in 0..<k {
                    let aValue = transposeA == .none ? a[i, p] : a[p, i]
                    let bValue = transposeB == .none ? b[p, j] : b[j, p]
                    sum += Double(aValue) * Double(bValue)
                }
                c[i, j] = Float(Double(c[i, j]) * (accumulate ? 1 : 0) + sum)
            }
        }
    }
}
