// Every kernel family the CPU can run (KernelFamily.swift) agrees with the naive product on awkward shapes,
// gives the same bits on 1 and 2 threads, and the same bits as every other family; a family this CPU cannot
// run is skipped with a message, never silently. DIGITS_KERNELS values that cannot be followed are named.

import NeuralNetwork
import Testing

@Suite("Kernel families")
struct KernelFamilyTests {
    static let twoThreads = WorkerThreads(threadCount: 2)
    static let sizes = [1, 7, 15, 17, 63, 65, 784, 9216]

    /// Shapes built from the awkward sizes (one of m, k, n at a time, the others modest), plus training shapes.
    static let shapes: [(m: Int, k: Int, n: Int)] = sizes.map { (m: $0 == 9216 ? 9 : $0, k: 33, n: 40) }
        + sizes.map { (m: 13, k: $0, n: 33) } + sizes.map { (m: 12, k: 29, n: $0) }
        + [(64, 9216, 128), (128, 64, 784), (96, 256, 64), (6, 256, 32), (7, 257, 48)]

    /// The families this CPU runs; the others are reported, not skipped in silence.
    static var runnable: [KernelFamily] {
        KernelFamily.allCases.filter { family in
            if !family.isSupported { print("skipped: kernel family \(family): this CPU (\(KernelFamily.cpuBrand)) cannot run its instructions") }
            return family.isSupported
        }
    }

    @Test("each family agrees with the naive product, on 1 and 2 threads alike, with the same bits as every other family",
          arguments: [Transpose.none, .transposed], [Transpose.none, .transposed])
    func familiesAgree(transposeA: Transpose, transposeB: Transpose) {
        var generator = SeededGenerator(seed: 23)
        let families = Self.runnable
        #expect(families.contains(.portable))
        for (m, k, n) in Self.shapes {
            let a = transposeA == .none ? randomMatrix(m, k, &generator) : randomMatrix(k, m, &generator)
            let b = transposeB == .none ? randomMatrix(k, n, &generator) : randomMatrix(n, k, &generator)
            let start = randomMatrix(m, n, &generator)
            for accumulate in [false, true] {
                var expected = start
                MatrixMultiply.naiveProduct(a, transposeA, b, transposeB, into: &expected, accumulate: accumulate)
                var reference: [UInt32]? = nil
                for family in families {
                    for workers in [nil, Self.twoThreads] {
                        var actual = start
                        MatrixMultiply.product(a, transposeA, b, transposeB, into: &actual, accumulate: accumulate, workers: workers, kernels: family)
                        let worst = zip(actual.values, expected.values).map { abs($0 - $1) }.max() ?? 0
                        #expect(worst <= 1e-5 * Float(k).squareRoot() * 4, "\(family) \(m)×\(k)×\(n) accumulate=\(accumulate): max error \(worst)")
                        let bits = actual.values.map(\.bitPattern)
                        if let reference {
                            #expect(bits == reference, "\(family), \(workers == nil ? 1 : 2) thread(s), \(m)×\(k)×\(n): other bits than the first family")
                        } else {
                            reference = bits
                        }
                    }
                }
            }
        }
    }

    @Test("dot products of rows (A·Bᵀ, the Winograd weight gradient's multiply): the same bits in every family, near the naive product")
    func rowDotProductsAgree() {
        var generator = SeededGenerator(seed: 29)
        let families = Self.runnable
        let shapes = Self.sizes.map { (m: $0 == 9216 ? 10 : $0, k: 67, n: 9) } + Self.sizes.map { (m: 11, k: $0, n: 13) } + [(64, 4608, 32), (8, 64, 4), (3, 64, 9), (3, 1728, 128)]
        for (m, k, n) in shapes {
            let a = randomMatrix(m, k, &generator), b = randomMatrix(n, k, &generator)
            let start = randomMatrix(m, n, &generator)
            for accumulate in [false, true] {
                var expected = start
                MatrixMultiply.naiveProduct(a, .none, b, .transposed, into: &expected, accumulate: accumulate)
                var reference: [UInt32]? = nil
                for family in families {
                    var actual = start
                    MatrixMultiply.rowDotProducts(a, b, into: &actual, accumulate: accumulate, kernels: family)
                    let worst = zip(actual.values, expected.values).map { abs($0 - $1) }.max() ?? 0
                    #expect(worst <= 1e-5 * Float(k).squareRoot() * 4, "\(family) \(m)×\(k)×\(n): max error \(worst)")
                    let bits = actual.values.map(\.bitPattern)
                    if let reference { #expect(bits == reference, "\(family) \(m)×\(k)×\(n): other bits than the first family") } else { reference = bits }
                }
            }
        }
    }

    @Test("DIGITS_KERNELS: a family name is followed when the CPU runs it; anything else is named and the widest is used")
    func choosing() {
        #expect(KernelFamily.choose(requested: nil) == (KernelFamily.widestSupported, nil))
        #expect(KernelFamily.choose(requested: "portable").family == .portable && KernelFamily.choose(requested: "PORTABLE").note == nil)
        let unknown = KernelFamily.choose(requested: "sse9")
        #expect(unknown.family == KernelFamily.widestSupported && unknown.note?.contains("sse9") == true)
        for family in KernelFamily.allCases where !family.isSupported {
            let refused = KernelFamily.choose(requested: family.rawValue)
            #expect(refused.family == KernelFamily.widestSupported && refused.note?.contains("cannot run") == true)
        }
        #expect(KernelFamily.selected.isSupported)
    }

    @Test("every runnable family's peak loop does its work")
    func peakLoops() {
        for family in Self.runnable {
            // 12 accumulators × 1000 steps × 1e-7·(1 + 0) per lane, summed over the lanes.
            let value = family.peakLoop(iterations: 1000, seed: 0)
            let expected = Float(12 * 1000 * family.vectorWidth) * 1e-7
            #expect(abs(value - expected) < expected * 1e-3, "\(family): \(value), expected \(expected)")
        }
    }
}
