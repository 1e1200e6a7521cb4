// The fast multiply must agree with its naive twin on awkward shapes, every transpose combination,
// with and without accumulation, and give identical bits on 1 and 2 threads.

import NeuralNetwork
import Testing

func randomMatrix(_ rows: Int, _ columns: Int, _ generator: inout SeededGenerator) -> Matrix {
    Matrix(rows: rows, columns: columns, values: (0..<(rows * columns)).map { _ in generator.nextUnitFloat() * 2 - 1 })
}

@Suite("Matrix multiply")
struct MatrixMultiplyTests {
    static let twoThreads = WorkerThreads(threadCount: 2)

    static let shapes: [(m: Int, k: Int, n: Int)] = [
        (1, 1, 1), (1, 7, 1), (7, 1, 7), (6, 16, 16), (5, 3, 17), (7, 300, 15), (63, 65, 33),
        (65, 63, 31), (13, 784, 10), (100, 257, 130), (1, 784, 128), (130, 64, 784),
        (2, 785, 11), (3, 9, 5), (4, 15, 3), (4, 0, 2),  // m ≤ 4: the row-dot-product path when B is transposed
    ]

    @Test("fast product equals naive product", arguments: [Transpose.none, .transposed], [Transpose.none, .transposed])
    func agreesWithNaive(transposeA: Transpose, transposeB: Transpose) {
        var generator = SeededGenerator(seed: 7)
        for (m, k, n) in Self.shapes {
            let a = transposeA == .none ? randomMatrix(m, k, &generator) : randomMatrix(k, m, &generator)
            let b = transposeB == .none ? randomMatrix(k, n, &generator) : randomMatrix(n, k, &generator)
            let start = randomMatrix(m, n, &generator)
            for accumulate in [false, true] {
                var expected = start
                MatrixMultiply.naiveProduct(a, transposeA, b, transposeB, into: &expected, accumulate: accumulate)
                for workers in [nil, Self.twoThreads] {
                    var actual = start
                    MatrixMultiply.product(a, transposeA, b, transposeB, into: &actual, accumulate: accumulate, workers: workers)
                    #expect(actual.rows == m && actual.columns == n)
                    let worst = zip(actual.values, expected.values).map { abs($0 - $1) }.max() ?? 0
                    // Float32 sums of k products of values in [-1, 1]: error grows like √k · ulp.
                    #expect(worst <= 1e-5 * Float(k).squareRoot() * 4, "\(m)×\(k)×\(n) accumulate=\(accumulate): max error \(worst)")
                }
            }
        }
    }

    @Test("A·Bᵀ with m ≤ 4 sums every element in one order, bit for bit: 8 lanes by fused multiply-add, the lanes in order, then the tail")
    func rowDotProductsFollowOneOrder() {
        var generator = SeededGenerator(seed: 8)
        // m = 3: a block of 2 rows and an edge row; n = 9: two blocks of 4 columns and an edge column;
        // k = 64 sums the 8 lanes of a block together, k = 67 adds a tail of 3 one element at a time.
        for k in [64, 67] {
            let a = randomMatrix(3, k, &generator), b = randomMatrix(9, k, &generator)
            // Magnitudes spread over 2⁻⁸…2⁸, so that a different order of additions changes the bits.
            let scales = (0..<k).map { Float(1 << ($0 % 17)) / 256 }
            let scaledA = Matrix(rows: 3, columns: k, values: a.values.enumerated().map { $1 * scales[$0 % k] })
            let start = randomMatrix(3, 9, &generator)
            for accumulate in [false, true] {
                var actual = start
                MatrixMultiply.product(scaledA, .none, b, .transposed, into: &actual, accumulate: accumulate)
                for i in 0..<3 {
                    for j in 0..<9 {
                        var lanes = SIMD8<Float>()
                        var p = 0
                        while p + 8 <= k {
                            lanes.addProduct(SIMD8((0..<8).map { scaledA[i, p + $0] }), SIMD8((0..<8).map { b[j, p + $0] }))
                            p += 8
                        }
                        var sum = lanes.sum()
                        for q in p..<k { sum += scaledA[i, q] * b[j, q] }
                        let expected = accumulate ? start[i, j] + sum : sum
                        #expect(actual[i, j].bitPattern == expected.bitPattern, "k \(k) accumulate \(accumulate) C[\(i), \(j)]")
                    }
                }
            }
        }
    }

    @Test("the blocked multiply sums every element in one order, bit for bit: fused multiply-adds along k in blocks of 256, the blocks added in order",
          arguments: [Transpose.none, .transposed], [Transpose.none, .transposed])
    func blockedProductFollowsOneOrder(transposeA: Transpose, transposeB: Transpose) {
        var generator = SeededGenerator(seed: 9)
        // m = 7: a whole 6-row tile and an edge row; n = 33 or 50: whole 16-column panels and a narrower last one
        // (with 2 threads each part has its own); n = 16: exactly one panel; k = 300: two blocks of depth.
        for (m, k, n) in [(7, 300, 33), (13, 40, 16), (6, 5, 50)] {
            // Magnitudes spread over 2⁻⁸…2⁸ along k, so that a different order of additions changes the bits.
            let scales = (0..<k).map { Float(1 << ($0 % 17)) / 256 }
            let plainA = randomMatrix(m, k, &generator)
            let scaledA = Matrix(rows: m, columns: k, values: plainA.values.enumerated().map { $1 * scales[$0 % k] })
            let a = transposeA == .none ? scaledA : transposed(scaledA)
            let plainB = randomMatrix(k, n, &generator)
            let b = transposeB == .none ? plainB : transposed(plainB)
            let start = randomMatrix(m, n, &generator)
            for accumulate in [false, true] {
                for workers in [nil, Self.twoThreads] {
                    var actual = start
                    MatrixMultiply.product(a, transposeA, b, transposeB, into: &actual, accumulate: accumulate, workers: workers)
                    var mismatches = 0
                    for i in 0..<m {
                        for j in 0..<n {
                            var total = start[i, j]
                            for blockStart in stride(from: 0, to: k, by: 256) {
                                var sum: Float = 0
                                for p in blockStart..<min(k, blockStart + 256) { sum.addProduct(scaledA[i, p], plainB[p, j]) }
                                total = blockStart == 0 && !accumulate ? sum : total + sum
                            }
                            if actual[i, j].bitPattern != total.bitPattern { mismatches += 1 }
                        }
                    }
                    #expect(mismatches == 0, "\(m)×\(k)×\(n) accumulate \(accumulate), \(workers == nil ? 1 : 2) threads: \(mismatches) elements differ")
                }
            }
        }
    }

    private func transposed(_ matrix: Matrix) -> Matrix {
        Matrix(rows: matrix.columns, columns: matrix.rows,
               values: (0..<matrix.count).map { matrix[$0 % matrix.rows, $0 / matrix.rows] })
    }

    @Test("one and two threads give the same bits")
    func threadCountDoesNotChangeBits() {
        var generator = SeededGenerator(seed: 3)
        for (m, k, n) in [(64, 784, 128), (128, 64, 784), (1000, 128, 64), (61, 517, 333)] {
            let a = randomMatrix(m, k, &generator)
            let b = randomMatrix(n, k, &generator)
            var one = Matrix(rows: 0, columns: 0)
            var two = Matrix(rows: 0, columns: 0)
            MatrixMultiply.product(a, .none, b, .transposed, into: &one)
            MatrixMultiply.product(a, .none, b, .transposed, into: &two, workers: Self.twoThreads)
            #expect(one.values == two.values)
        }
    }

    @Test("an empty inner dimension gives zeros, or leaves C when accumulating")
    func emptyInnerDimension() {
        let a = Matrix(rows: 3, columns: 0)
        let b = Matrix(rows: 0, columns: 2)
        var c = Matrix(rows: 3, columns: 2, value: 5)
        MatrixMultiply.product(a, .none, b, .none, into: &c, accumulate: true)
        #expect(c.values == [Float](repeating: 5, count: 6))
        MatrixMultiply.product(a, .none, b, .none, into: &c)
        #expect(c.values == [Float](repeating: 0, count: 6))
    }

    @Test("a hand-computed 2×3 · 3×2 product")
    func handComputed() {
        let a = Matrix(rows: 2, columns: 3, values: [1, 2, 3, 4, 5, 6])
        let b = Matrix(rows: 3, columns: 2, values: [7, 8, 9, 10, 11, 12])
        var c = Matrix(rows: 0, columns: 0)
        MatrixMultiply.product(a, .none, b, .none, into: &c)
        #expect(c.values == [58, 64, 139, 154])
    }
}
