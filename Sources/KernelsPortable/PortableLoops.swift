// PortableLoops.swift — the portable family's loops (KernelLoops) with plain vector operations, compiled here
// with no target flags: they run on any CPU.

import KernelLoops

/// The loops of KernelLoops with plain vector operations, compiled with no target flags.
public enum PortableLoops: KernelFamilyLoops {
    public typealias Ops = PlainVectorOps

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
