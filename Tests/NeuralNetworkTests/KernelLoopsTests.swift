// The loops every kernel family compiles (KernelLoops), each family's copy against a naive twin written here
// element by element, on awkward lengths and tile counts, and with the same bits in every family this CPU runs
// (a family it cannot run is named and skipped).

import KernelLoops
import KernelsAVX2
import KernelsPortable
import NeuralNetwork
import Testing

@Suite("Kernel family loops")
struct KernelLoopsTests {
    static let lengths = [1, 7, 15, 17, 63, 65, 784, 9216]

    /// The compiled copies of the loops this CPU runs, named by the family that needs the least of the CPU
    /// (`AVX2Loops` serve the AVX-512 family too).
    static var families: [(family: KernelFamily, loops: any KernelFamilyLoops.Type)] {
        let all: [(KernelFamily, any KernelFamilyLoops.Type)] = [(.avx2, AVX2Loops.self), (.portable, PortableLoops.self)]
        return all.filter { family, _ in
            if !family.isSupported { print("skipped: kernel family \(family): this CPU (\(KernelFamily.cpuBrand)) cannot run its instructions") }
            return family.isSupported
        }
    }

    static func random(_ count: Int, _ generator: inout SeededGenerator) -> [Float] {
        (0..<count).map { _ in generator.nextUnitFloat() * 2 - 1 }
    }

    /// Runs `body` once per family on a fresh copy of `start`, checks each result with `check`, and expects the
    /// same bits from every family.
    static func eachFamily(_ start: [Float], _ label: String, body: (any KernelFamilyLoops.Type, UnsafeMutablePointer<Float>) -> Void,
                           check: ([Float], KernelFamily) -> Void) {
        var reference: [UInt32]? = nil
        for (family, loops) in families {
            var values = start
            values.withUnsafeMutableBufferPointer { body(loops, $0.baseAddress!) }
            check(values, family)
            let bits = values.map(\.bitPattern)
            if let reference { #expect(bits == reference, "\(family) \(label): other bits than the first family") } else { reference = bits }
        }
    }

    @Test("ReLU and its gradient: max(x, 0) with −0 → +0 and NaN kept; the gradient passes where the gate is > 0 (not at NaN)")
    func relu() {
        var generator = SeededGenerator(seed: 31)
        for count in Self.lengths {
            var x = Self.random(count, &generator)
            x[0] = -0.0
            if count > 2 { x[2] = .nan }
            let dy = Self.random(count, &generator)
            Self.eachFamily([Float](repeating: 7, count: count), "relu \(count)", body: { loops, y in loops.applyReLU(from: x, to: y, count: count) }) { y, family in
                for i in 0..<count {
                    let expected: Float = x[i].isNaN ? .nan : (x[i] <= 0 ? 0 : x[i])
                    #expect(y[i].bitPattern == expected.bitPattern || (y[i].isNaN && expected.isNaN), "\(family) relu[\(i)] of \(count)")
                }
            }
            Self.eachFamily([Float](repeating: 7, count: count), "relu gradient \(count)",
                            body: { loops, dx in loops.applyReLUGradient(from: dy, gate: x, to: dx, count: count) }) { dx, family in
                for i in 0..<count {
                    #expect(dx[i].bitPattern == (x[i] > 0 ? dy[i] : 0).bitPattern, "\(family) relu gradient[\(i)] of \(count)")
                }
            }
        }
    }

    @Test("SGD (plain, momentum, Nesterov) and Adam updates equal PyTorch's formulas element by element, on any part of a parameter")
    func optimizerUpdates() {
        var generator = SeededGenerator(seed: 37)
        for count in Self.lengths {
            let g = Self.random(count, &generator), w = Self.random(count, &generator)
            let v = Self.random(count, &generator).map { $0 * $0 }, m = Self.random(count, &generator)
            let range = (count > 9 ? 3 : 0)..<count   // a part not starting on a multiple of 8
            for (momentum, nesterov) in [(Float(0), false), (0.9, false), (0.9, true)] {
                let (lr, decay) = (Float(0.05), Float(1e-3))
                var velocity = v
                Self.eachFamily(w, "sgd \(count) μ=\(momentum) nesterov=\(nesterov)", body: { loops, weights in
                    velocity = v
                    velocity.withUnsafeMutableBufferPointer { velocities in
                        loops.sgdUpdate(range: range, gradients: g, weights: weights, velocities: momentum == 0 ? nil : velocities.baseAddress!,
                                        learningRate: lr, decay: decay, momentum: momentum, nesterov: nesterov)
                    }
                }) { weights, family in
                    for i in 0..<count {
                        var (expectedW, expectedV) = (w[i], v[i])
                        if range.contains(i) {
                            let gradient = g[i] + decay * w[i]
                            if momentum == 0 {
                                expectedW -= lr * gradient
                            } else {
                                expectedV = momentum * v[i] + gradient
                                expectedW -= lr * (nesterov ? gradient + momentum * expectedV : expectedV)
                            }
                        }
                        #expect(weights[i].bitPattern == expectedW.bitPattern, "\(family) sgd w[\(i)] of \(count)")
                        if momentum != 0 { #expect(velocity[i].bitPattern == expectedV.bitPattern, "\(family) sgd v[\(i)] of \(count)") }
                    }
                }
            }
            let (b1, b2, coupled, shrink, stepSize, root2, eps): (Float, Float, Float, Float, Float, Float, Float) = (0.9, 0.999, 1e-4, 0.9995, 1e-3, 0.3, 1e-8)
            var (first, second) = (m, v)
            Self.eachFamily(w, "adam \(count)", body: { loops, weights in
                (first, second) = (m, v)
                first.withUnsafeMutableBufferPointer { mBuffer in
                    second.withUnsafeMutableBufferPointer { vBuffer in
                        loops.adamUpdate(range: range, gradients: g, weights: weights, firstMoments: mBuffer.baseAddress!, secondMoments: vBuffer.baseAddress!,
                                         beta1: b1, beta2: b2, coupledDecay: coupled, shrink: shrink, stepSize: stepSize, root2: root2, epsilon: eps)
                    }
                }
            }) { weights, family in
                for i in range {
                    let gradient = g[i] + coupled * w[i]
                    let mi = b1 * m[i] + (1 - b1) * gradient
                    let vi = b2 * v[i] + (1 - b2) * gradient * gradient
                    let wi = w[i] * shrink - stepSize * mi / (vi.squareRoot() / root2 + eps)
                    #expect(weights[i].bitPattern == wi.bitPattern && first[i].bitPattern == mi.bitPattern && second[i].bitPattern == vi.bitPattern,
                            "\(family) adam[\(i)] of \(count)")
                }
                for i in 0..<range.lowerBound { #expect(weights[i] == w[i], "\(family) adam touched [\(i)] outside its range") }
            }
        }
    }

    @Test("packing copies: 8 rows or 6 rows transposed, on awkward row strides")
    func packing() {
        var generator = SeededGenerator(seed: 41)
        for (depth, rowStride) in [(8, 8), (16, 17), (64, 65), (784, 784), (256, 1031)] {
            let source = Self.random(8 * rowStride, &generator)
            Self.eachFamily([Float](repeating: 0, count: depth * 16), "8 rows, depth \(depth)", body: { loops, destination in
                loops.packEightRowsTransposed(rows: source, rowStride: rowStride, depth: depth, into: destination + 8, destinationStride: 16)
            }) { packed, family in
                for p in 0..<depth {
                    for r in 0..<8 {
                        #expect(packed[p * 16 + 8 + r] == source[r * rowStride + p], "\(family) 8-row pack (\(p), \(r))")
                        #expect(packed[p * 16 + r] == 0, "\(family) 8-row pack wrote outside its half")
                    }
                }
            }
            Self.eachFamily([Float](repeating: 0, count: depth * 6), "6 rows, depth \(depth)", body: { loops, destination in
                loops.packSixRowsTransposed(rows: source, rowStride: rowStride, depth: depth, into: destination)
            }) { packed, family in
                for p in 0..<depth {
                    for r in 0..<6 { #expect(packed[p * 6 + r] == source[r * rowStride + p], "\(family) 6-row pack (\(p), \(r))") }
                }
            }
        }
    }
}
