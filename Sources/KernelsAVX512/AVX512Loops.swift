// AVX512Loops.swift — the AVX-512 family: its 16-float micro-kernels and dot products of rows 4 × 4 at a time
// (AVX512Kernels.swift), and for the other loops, which work on 8 floats at a time, the AVX2 family's copies.
// Compiled here with -mavx512f -mavx512vl, those 8-float loops came out slower (the lane masks of
// `replacing(with:where:)` went through mask registers and back: Winograd's pooled tiles took a third longer).

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
    public static func applyReLU(from source: UnsafePointer<Float>, to target: UnsafeMutablePointer<Float>, count: Int) {
        AVX2Loops.applyReLU(from: source, to: target, count: count)
    }

    public static func applyReLUGradient(from source: UnsafePointer<Float>, gate: UnsafePointer<Float>, to target: UnsafeMutablePointer<Float>, count: Int) {
        AVX2Loops.applyReLUGradient(from: source, gate: gate, to: target, count: count)
    }

    public static func winogradInputTiles(_ source: UnsafePointer<Float>, height: Int, width: Int, padding: Int,
                                   plane: UnsafeMutablePointer<Float>, paddedWidth: Int, tileRows: Int, tileColumns: Int,
                                   into v: UnsafeMutablePointer<Float>, positionStride: Int) {
        AVX2Loops.winogradInputTiles(source, height: height, width: width, padding: padding, plane: plane, paddedWidth: paddedWidth,
                                       tileRows: tileRows, tileColumns: tileColumns, into: v, positionStride: positionStride)
    }

    public static func winogradOutputTiles(m: UnsafePointer<Float>, positionStride: Int, bias: Float, tileRows: Int, tileColumns: Int,
                                    plane: UnsafeMutablePointer<Float>, planeWidth: Int,
                                    rectified: Bool, into target: UnsafeMutablePointer<Float>, height: Int, width: Int) {
        AVX2Loops.winogradOutputTiles(m: m, positionStride: positionStride, bias: bias, tileRows: tileRows, tileColumns: tileColumns,
                                        plane: plane, planeWidth: planeWidth, rectified: rectified, into: target, height: height, width: width)
    }

    public static func winogradPooledOutputTiles(m: UnsafePointer<Float>, positionStride: Int, bias: Float, tiles: Int,
                                                 into results: UnsafeMutablePointer<Float>, winners: UnsafeMutablePointer<Float>) {
        AVX2Loops.winogradPooledOutputTiles(m: m, positionStride: positionStride, bias: bias, tiles: tiles, into: results, winners: winners)
    }

    public static func winogradOutputGradientTiles(_ gradients: UnsafePointer<Float>, reluOutputs: UnsafePointer<Float>?, height: Int, width: Int,
                                            plane: UnsafeMutablePointer<Float>, planeWidth: Int, tileRows: Int, tileColumns: Int,
                                            into e: UnsafeMutablePointer<Float>, positionStride: Int) {
        AVX2Loops.winogradOutputGradientTiles(gradients, reluOutputs: reluOutputs, height: height, width: width, plane: plane, planeWidth: planeWidth,
                                                tileRows: tileRows, tileColumns: tileColumns, into: e, positionStride: positionStride)
    }

    public static func winogradPooledGradientTiles(_ gradients: UnsafePointer<Float>, reluOutputs: UnsafePointer<Float>, winners: UnsafePointer<Float>,
                                                   tiles: Int, into e: UnsafeMutablePointer<Float>, positionStride: Int) {
        AVX2Loops.winogradPooledGradientTiles(gradients, reluOutputs: reluOutputs, winners: winners, tiles: tiles, into: e, positionStride: positionStride)
    }

    public static func winogradInputGradientTiles(dv: UnsafePointer<Float>, positionStride: Int, tileRows: Int, tileColumns: Int,
                                           plane: UnsafeMutablePointer<Float>, paddedHeight: Int, paddedWidth: Int,
                                           into target: UnsafeMutablePointer<Float>, height: Int, width: Int, padding: Int) {
        AVX2Loops.winogradInputGradientTiles(dv: dv, positionStride: positionStride, tileRows: tileRows, tileColumns: tileColumns,
                                               plane: plane, paddedHeight: paddedHeight, paddedWidth: paddedWidth,
                                               into: target, height: height, width: width, padding: padding)
    }

    public static func rowDotProducts(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, aRowStride: Int, b: UnsafePointer<Float>, bRowStride: Int,
                                      c: UnsafeMutablePointer<Float>, cRowStride: Int, accumulate: Bool) {
        KernelLoops.rowDotProducts(Ops.self, fourRows: fourRowDots, m: m, n: n, k: k, a: a, aRowStride: aRowStride, b: b, bRowStride: bRowStride,
                                   c: c, cRowStride: cRowStride, accumulate: accumulate)
    }

    public static func sgdUpdate(range: Range<Int>, gradients: UnsafePointer<Float>, weights: UnsafeMutablePointer<Float>,
                                 velocities: UnsafeMutablePointer<Float>?, learningRate: Float, decay: Float, momentum: Float, nesterov: Bool) {
        AVX2Loops.sgdUpdate(range: range, gradients: gradients, weights: weights, velocities: velocities,
                     learningRate: learningRate, decay: decay, momentum: momentum, nesterov: nesterov)
    }

    public static func adamUpdate(range: Range<Int>, gradients: UnsafePointer<Float>, weights: UnsafeMutablePointer<Float>,
                                  firstMoments: UnsafeMutablePointer<Float>, secondMoments: UnsafeMutablePointer<Float>,
                                  beta1: Float, beta2: Float, coupledDecay: Float, shrink: Float, stepSize: Float, root2: Float, epsilon: Float) {
        AVX2Loops.adamUpdate(range: range, gradients: gradients, weights: weights, firstMoments: firstMoments, secondMoments: secondMoments,
                               beta1: beta1, beta2: beta2, coupledDecay: coupledDecay, shrink: shrink, stepSize: stepSize, root2: root2, epsilon: epsilon)
    }

    public static func packEightRowsTransposed(rows: UnsafePointer<Float>, rowStride: Int, depth: Int,
                                               into destination: UnsafeMutablePointer<Float>, destinationStride: Int) {
        AVX2Loops.packEightRowsTransposed(rows: rows, rowStride: rowStride, depth: depth, into: destination, destinationStride: destinationStride)
    }

    public static func packSixRowsTransposed(rows: UnsafePointer<Float>, rowStride: Int, depth: Int, into destination: UnsafeMutablePointer<Float>) {
        AVX2Loops.packSixRowsTransposed(rows: rows, rowStride: rowStride, depth: depth, into: destination)
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
