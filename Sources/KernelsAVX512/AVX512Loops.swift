// AVX512Loops.swift — the AVX-512 family's loops (KernelLoops), compiled here with -mavx512f -mavx512vl: the
// same 8-float bodies as the AVX2 family, which the compiler may encode with AVX-512 instructions, and the
// dot products of rows 4 × 4 at a time in 16-float registers.

import KernelLoops
import KernelsAVX2

/// The AVX-512 family's kernels and loops.
public enum AVX512Loops: KernelFamilyLoops {
    public typealias Ops = IntelVectorOps
    public static var fourRowDots: (any FourRowDots.Type)? { AVX512RowDots.self }

    public static func microKernel6x16(depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, bRowStride: Int,
                                       c: UnsafeMutablePointer<Float>, cRowStride: Int, addToC: Bool) {
        avx512MicroKernel6x16(depth: depth, a: a, b: b, bRowStride: bRowStride, c: c, cRowStride: cRowStride, addToC: addToC)
    }

    public static func peakLoop(iterations: Int, seed: Float) -> Float { avx512PeakLoop(iterations: iterations, seed: seed) }

    // The loops of KernelLoops, compiled here.
    public static func winogradInputTiles(plane: UnsafePointer<Float>, paddedWidth: Int, tileRows: Int, tileColumns: Int,
                                          into v: UnsafeMutablePointer<Float>, positionStride: Int) {
        KernelLoops.winogradInputTiles(plane: plane, paddedWidth: paddedWidth, tileRows: tileRows, tileColumns: tileColumns,
                                       into: v, positionStride: positionStride)
    }

    public static func winogradOutputTiles(m: UnsafePointer<Float>, positionStride: Int, bias: Float, tileRows: Int, tileColumns: Int,
                                           into plane: UnsafeMutablePointer<Float>, planeWidth: Int) {
        KernelLoops.winogradOutputTiles(Ops.self, m: m, positionStride: positionStride, bias: bias, tileRows: tileRows, tileColumns: tileColumns,
                                        into: plane, planeWidth: planeWidth)
    }

    public static func winogradPooledOutputTiles(m: UnsafePointer<Float>, positionStride: Int, bias: Float, tiles: Int,
                                                 into results: UnsafeMutablePointer<Float>, winners: UnsafeMutablePointer<Float>) {
        KernelLoops.winogradPooledOutputTiles(m: m, positionStride: positionStride, bias: bias, tiles: tiles, into: results, winners: winners)
    }

    public static func winogradOutputGradientTiles(plane: UnsafePointer<Float>, planeWidth: Int, tileRows: Int, tileColumns: Int,
                                                   into e: UnsafeMutablePointer<Float>, positionStride: Int) {
        KernelLoops.winogradOutputGradientTiles(plane: plane, planeWidth: planeWidth, tileRows: tileRows, tileColumns: tileColumns,
                                                into: e, positionStride: positionStride)
    }

    public static func winogradPooledGradientTiles(_ gradients: UnsafePointer<Float>, reluOutputs: UnsafePointer<Float>, winners: UnsafePointer<Float>,
                                                   tiles: Int, into e: UnsafeMutablePointer<Float>, positionStride: Int) {
        KernelLoops.winogradPooledGradientTiles(gradients, reluOutputs: reluOutputs, winners: winners, tiles: tiles, into: e, positionStride: positionStride)
    }

    public static func winogradInputGradientTiles(dv: UnsafePointer<Float>, positionStride: Int, tileRows: Int, tileColumns: Int,
                                                  into plane: UnsafeMutablePointer<Float>, paddedWidth: Int) {
        KernelLoops.winogradInputGradientTiles(Ops.self, dv: dv, positionStride: positionStride, tileRows: tileRows, tileColumns: tileColumns,
                                               into: plane, paddedWidth: paddedWidth)
    }

    public static func rowDotProducts(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, aRowStride: Int, b: UnsafePointer<Float>, bRowStride: Int,
                                      c: UnsafeMutablePointer<Float>, cRowStride: Int, accumulate: Bool) {
        KernelLoops.rowDotProducts(Ops.self, fourRows: fourRowDots, m: m, n: n, k: k, a: a, aRowStride: aRowStride, b: b, bRowStride: bRowStride,
                                   c: c, cRowStride: cRowStride, accumulate: accumulate)
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

/// The 4×4 dot-product blocks of AVX512Kernels.swift, for `rowDotProducts`.
public enum AVX512RowDots: FourRowDots {
    public static func rowDotLanes4x4(a0: UnsafePointer<Float>, a1: UnsafePointer<Float>, a2: UnsafePointer<Float>, a3: UnsafePointer<Float>,
                                      b0: UnsafePointer<Float>, b1: UnsafePointer<Float>, b2: UnsafePointer<Float>, b3: UnsafePointer<Float>,
                                      count: Int, lanes: UnsafeMutablePointer<Float>) {
        avx512RowDotLanes4x4(a0: a0, a1: a1, a2: a2, a3: a3, b0: b0, b1: b1, b2: b2, b3: b3, count: count, lanes: lanes)
    }

    public static func rowDots4x4(a0: UnsafePointer<Float>, a1: UnsafePointer<Float>, a2: UnsafePointer<Float>, a3: UnsafePointer<Float>,
                                  b0: UnsafePointer<Float>, b1: UnsafePointer<Float>, b2: UnsafePointer<Float>, b3: UnsafePointer<Float>,
                                  count: Int, c: UnsafeMutablePointer<Float>, cRowStride: Int, accumulate: Bool) {
        avx512RowDots4x4(a0: a0, a1: a1, a2: a2, a3: a3, b0: b0, b1: b1, b2: b2, b3: b3, count: count, c: c, cRowStride: cRowStride, accumulate: accumulate)
    }
}
