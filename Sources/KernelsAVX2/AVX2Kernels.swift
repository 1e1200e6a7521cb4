// AVX2Kernels.swift — the AVX2 family (8 floats per vector, fused multiply-adds): the matrix-multiply
// micro-kernel, the peak loop and `AVX2Loops`, compiled with -mavx2 -mfma (see Package.swift) and called
// only when the CPU runs AVX2 and FMA (`KernelFamily.avx2`, chosen at run time; the AVX-512 family uses
// `AVX2Loops` too).

import KernelLoops

/// The loops of KernelLoops, compiled here with AVX2 and FMA; the AVX2 and AVX-512 families run them.
public enum AVX2Loops: KernelFamilyLoops {
    public typealias Ops = IntelVectorOps

    public static func applyReLU(from source: UnsafePointer<Float>, to target: UnsafeMutablePointer<Float>, count: Int) {
        KernelLoops.applyReLU(from: source, to: target, count: count)
    }

    public static func applyReLUGradient(from source: UnsafePointer<Float>, gate: UnsafePointer<Float>, to target: UnsafeMutablePointer<Float>, count: Int) {
        KernelLoops.applyReLUGradient(from: source, gate: gate, to: target, count: count)
    }

    public static func winogradInputTiles(_ source: UnsafePointer<Float>, height: Int, width: Int, padding: Int,
                                          plane: UnsafeMutablePointer<Float>, paddedWidth: Int, tileRows: Int, tileColumns: Int,
                                          into v: UnsafeMutablePointer<Float>, positionStride: Int) {
        KernelLoops.winogradInputTiles(source, height: height, width: width, padding: padding, plane: plane, paddedWidth: paddedWidth,
                                       tileRows: tileRows, tileColumns: tileColumns, into: v, positionStride: positionStride)
    }

    public static func winogradOutputTiles(m: UnsafePointer<Float>, positionStride: Int, bias: Float, tileRows: Int, tileColumns: Int,
                                           plane: UnsafeMutablePointer<Float>, planeWidth: Int,
                                           rectified: Bool, into target: UnsafeMutablePointer<Float>, height: Int, width: Int) {
        KernelLoops.winogradOutputTiles(Ops.self, m: m, positionStride: positionStride, bias: bias, tileRows: tileRows, tileColumns: tileColumns,
                                        plane: plane, planeWidth: planeWidth, rectified: rectified, into: target, height: height, width: width)
    }

    public static func winogradPooledOutputTiles(m: UnsafePointer<Float>, positionStride: Int, bias: Float, tiles: Int,
                                                 into results: UnsafeMutablePointer<Float>, winners: UnsafeMutablePointer<Float>) {
        KernelLoops.winogradPooledOutputTiles(m: m, positionStride: positionStride, bias: bias, tiles: tiles, into: results, winners: winners)
    }

    public static func winogradOutputGradientTiles(_ gradients: UnsafePointer<Float>, reluOutputs: UnsafePointer<Float>?, height: Int, width: Int,
                                                   plane: UnsafeMutablePointer<Float>, planeWidth: Int, tileRows: Int, tileColumns: Int,
                                                   into e: UnsafeMutablePointer<Float>, positionStride: Int) {
        KernelLoops.winogradOutputGradientTiles(gradients, reluOutputs: reluOutputs, height: height, width: width, plane: plane, planeWidth: planeWidth,
                                                tileRows: tileRows, tileColumns: tileColumns, into: e, positionStride: positionStride)
    }

    public static func winogradPooledGradientTiles(_ gradients: UnsafePointer<Float>, reluOutputs: UnsafePointer<Float>, winners: UnsafePointer<Float>,
                                                   tiles: Int, into e: UnsafeMutablePointer<Float>, positionStride: Int) {
        KernelLoops.winogradPooledGradientTiles(gradients, reluOutputs: reluOutputs, winners: winners, tiles: tiles, into: e, positionStride: positionStride)
    }

    public static func winogradInputGradientTiles(dv: UnsafePointer<Float>, positionStride: Int, tileRows: Int, tileColumns: Int,
                                                  plane: UnsafeMutablePointer<Float>, paddedHeight: Int, paddedWidth: Int,
                                                  into target: UnsafeMutablePointer<Float>, height: Int, width: Int, padding: Int) {
        KernelLoops.winogradInputGradientTiles(Ops.self, dv: dv, positionStride: positionStride, tileRows: tileRows, tileColumns: tileColumns,
                                               plane: plane, paddedHeight: paddedHeight, paddedWidth: paddedWidth,
                                               into: target, height: height, width: width, padding: padding)
    }

    public static func rowDotProducts(fourRows: (any FourRowDots.Type)?, m: Int, n: Int, k: Int, a: UnsafePointer<Float>, aRowStride: Int, b: UnsafePointer<Float>, bRowStride: Int,
                                      c: UnsafeMutablePointer<Float>, cRowStride: Int, accumulate: Bool) {
        KernelLoops.rowDotProducts(Ops.self, fourRows: fourRows, m: m, n: n, k: k, a: a, aRowStride: aRowStride, b: b, bRowStride: bRowStride,
                                   c: c, cRowStride: cRowStride, accumulate: accumulate)
    }

    public static func sgdUpdate(range: Range<Int>, gradients: UnsafePointer<Float>, weights: UnsafeMutablePointer<Float>,
                                 velocities: UnsafeMutablePointer<Float>?, learningRate: Float, decay: Float, momentum: Float, nesterov: Bool) {
        KernelLoops.sgdUpdate(range: range, gradients: gradients, weights: weights, velocities: velocities,
                     learningRate: learningRate, decay: decay, momentum: momentum, nesterov: nesterov)
    }

    public static func adamUpdate(range: Range<Int>, gradients: UnsafePointer<Float>, weights: UnsafeMutablePointer<Float>,
                                  firstMoments: UnsafeMutablePointer<Float>, secondMoments: UnsafeMutablePointer<Float>,
                                  beta1: Float, beta2: Float, coupledDecay: Float, shrink: Float, stepSize: Float, root2: Float, epsilon: Float) {
        KernelLoops.adamUpdate(Ops.self, range: range, gradients: gradients, weights: weights, firstMoments: firstMoments, secondMoments: secondMoments,
                               beta1: beta1, beta2: beta2, coupledDecay: coupledDecay, shrink: shrink, stepSize: stepSize, root2: root2, epsilon: epsilon)
    }

    public static func packEightRowsTransposed(rows: UnsafePointer<Float>, rowStride: Int, depth: Int,
                                               into destination: UnsafeMutablePointer<Float>, destinationStride: Int) {
        KernelLoops.packEightRowsTransposed(Ops.self, rows: rows, rowStride: rowStride, depth: depth, into: destination, destinationStride: destinationStride)
    }

    public static func packSixRowsTransposed(rows: UnsafePointer<Float>, rowStride: Int, depth: Int, into destination: UnsafeMutablePointer<Float>) {
        KernelLoops.packSixRowsTransposed(Ops.self, rows: rows, rowStride: rowStride, depth: depth, into: destination)
    }
}

/// The 6×16 micro-kernel: C[0..<6, 0..<16] (=|+=) Σ_p a[p*6 + r] · b[p*bRowStride + j], summed in order of p
/// by fused multiply-adds. `a` is a packed A panel; `b` is a packed B panel (`bRowStride` 16) or 16 columns of a
/// row-major op(B) read where they are stored; both are `depth` steps long.
public func avx2MicroKernel6x16(
    depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, bRowStride: Int,
    c: UnsafeMutablePointer<Float>, cRowStride: Int, addToC: Bool
) {
    typealias Vector = SIMD8<Float>
    var c00 = Vector(), c01 = Vector(), c10 = Vector(), c11 = Vector(), c20 = Vector(), c21 = Vector()
    var c30 = Vector(), c31 = Vector(), c40 = Vector(), c41 = Vector(), c50 = Vector(), c51 = Vector()
    var bRow = UnsafeRawPointer(b)
    let bStep = bRowStride * MemoryLayout<Float>.stride
    var aPointer = a
    for _ in 0..<depth {
        let b0 = bRow.loadUnaligned(as: Vector.self)
        let b1 = bRow.loadUnaligned(fromByteOffset: 32, as: Vector.self)
        bRow += bStep
        var broadcast = Vector(repeating: aPointer[0])
        c00.addProduct(broadcast, b0); c01.addProduct(broadcast, b1)
        broadcast = Vector(repeating: aPointer[1])
        c10.addProduct(broadcast, b0); c11.addProduct(broadcast, b1)
        broadcast = Vector(repeating: aPointer[2])
        c20.addProduct(broadcast, b0); c21.addProduct(broadcast, b1)
        broadcast = Vector(repeating: aPointer[3])
        c30.addProduct(broadcast, b0); c31.addProduct(broadcast, b1)
        broadcast = Vector(repeating: aPointer[4])
        c40.addProduct(broadcast, b0); c41.addProduct(broadcast, b1)
        broadcast = Vector(repeating: aPointer[5])
        c50.addProduct(broadcast, b0); c51.addProduct(broadcast, b1)
        aPointer += 6
    }
    let cRaw = UnsafeMutableRawPointer(c)
    @inline(__always) func store(_ row: Int, _ low: Vector, _ high: Vector) {
        let offset = row * cRowStride * 4
        if addToC {
            cRaw.storeBytes(of: cRaw.loadUnaligned(fromByteOffset: offset, as: Vector.self) + low, toByteOffset: offset, as: Vector.self)
            cRaw.storeBytes(of: cRaw.loadUnaligned(fromByteOffset: offset + 32, as: Vector.self) + high, toByteOffset: offset + 32, as: Vector.self)
        } else {
            cRaw.storeBytes(of: low, toByteOffset: offset, as: Vector.self)
            cRaw.storeBytes(of: high, toByteOffset: offset + 32, as: Vector.self)
        }
    }
    store(0, c00, c01); store(1, c10, c11); store(2, c20, c21)
    store(3, c30, c31); store(4, c40, c41); store(5, c50, c51)
}

/// The AVX2 family's peak loop: 12 independent 8-float fused multiply-adds per step (192 operations).
public func avx2PeakLoop(iterations: Int, seed: Float) -> Float {
    typealias Vector = SIMD8<Float>
    let (x, y) = (Vector(repeating: 1 + seed), Vector(repeating: 1e-7))
    var (s0, s1, s2, s3, s4, s5) = (Vector(), Vector(), Vector(), Vector(), Vector(), Vector())
    var (s6, s7, s8, s9, s10, s11) = (Vector(), Vector(), Vector(), Vector(), Vector(), Vector())
    for _ in 0..<iterations {
        s0.addProduct(x, y); s1.addProduct(x, y); s2.addProduct(x, y); s3.addProduct(x, y)
        s4.addProduct(x, y); s5.addProduct(x, y); s6.addProduct(x, y); s7.addProduct(x, y)
        s8.addProduct(x, y); s9.addProduct(x, y); s10.addProduct(x, y); s11.addProduct(x, y)
    }
    return (s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7 + s8 + s9 + s10 + s11).sum()
}

