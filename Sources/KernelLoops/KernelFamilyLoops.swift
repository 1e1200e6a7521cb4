// KernelFamilyLoops.swift — a compiled copy of each loop of this module, for one vector width.
//
// A copy is an enum in its own target (`AVX2Loops` in KernelsAVX2, `PortableLoops` in KernelsPortable) whose
// methods call the `@inline(__always)` loop functions of this module with its `VectorOps`, so each method is
// compiled in that target with its flags. The AVX-512 family uses `AVX2Loops`: the loops work on 8 floats at a
// time, and compiled with AVX-512 flags they came out slower (lane masks through mask registers and back).
// The micro-kernels and peak loops, which differ in shape from family to family, are not here. They are written out in each family, not given once in an extension of
// this protocol: the compiler then inlines the loops into protocol witness thunks, where it leaves the AVX
// intrinsics of `IntelVectorOps` as calls (measured: CNN training steps 15–20% slower).

/// One compiled copy of the loops. The arguments are those of the loop functions of the same names.
public protocol KernelFamilyLoops {
    /// The vector operations the loops use.
    associatedtype Ops: VectorOps
    /// `target[i] = max(source[i], 0)` (see `KernelLoops.applyReLU`), and the gradient through it.
    static func applyReLU(from source: UnsafePointer<Float>, to target: UnsafeMutablePointer<Float>, count: Int)
    static func applyReLUGradient(from source: UnsafePointer<Float>, gate: UnsafePointer<Float>, to target: UnsafeMutablePointer<Float>, count: Int)
    static func winogradInputTiles(_ source: UnsafePointer<Float>, height: Int, width: Int, padding: Int,
                                   plane: UnsafeMutablePointer<Float>, paddedWidth: Int, tileRows: Int, tileColumns: Int,
                                   into v: UnsafeMutablePointer<Float>, positionStride: Int)
    static func winogradOutputTiles(m: UnsafePointer<Float>, positionStride: Int, bias: Float, tileRows: Int, tileColumns: Int,
                                    plane: UnsafeMutablePointer<Float>, planeWidth: Int,
                                    rectified: Bool, into target: UnsafeMutablePointer<Float>, height: Int, width: Int)
    static func winogradPooledOutputTiles(m: UnsafePointer<Float>, positionStride: Int, bias: Float, tiles: Int,
                                          into results: UnsafeMutablePointer<Float>, winners: UnsafeMutablePointer<Float>)
    static func winogradOutputGradientTiles(_ gradients: UnsafePointer<Float>, reluOutputs: UnsafePointer<Float>?, height: Int, width: Int,
                                            plane: UnsafeMutablePointer<Float>, planeWidth: Int, tileRows: Int, tileColumns: Int,
                                            into e: UnsafeMutablePointer<Float>, positionStride: Int)
    static func winogradPooledGradientTiles(_ gradients: UnsafePointer<Float>, reluOutputs: UnsafePointer<Float>, winners: UnsafePointer<Float>,
                                            tiles: Int, into e: UnsafeMutablePointer<Float>, positionStride: Int)
    static func winogradInputGradientTiles(dv: UnsafePointer<Float>, positionStride: Int, tileRows: Int, tileColumns: Int,
                                           plane: UnsafeMutablePointer<Float>, paddedHeight: Int, paddedWidth: Int,
                                           into target: UnsafeMutablePointer<Float>, height: Int, width: Int, padding: Int)
    static func rowDotProducts(fourRows: (any FourRowDots.Type)?, m: Int, n: Int, k: Int, a: UnsafePointer<Float>, aRowStride: Int, b: UnsafePointer<Float>, bRowStride: Int,
                               c: UnsafeMutablePointer<Float>, cRowStride: Int, accumulate: Bool)
    static func sgdUpdate(range: Range<Int>, gradients: UnsafePointer<Float>, weights: UnsafeMutablePointer<Float>,
                          velocities: UnsafeMutablePointer<Float>?, learningRate: Float, decay: Float, momentum: Float, nesterov: Bool)
    static func adamUpdate(range: Range<Int>, gradients: UnsafePointer<Float>, weights: UnsafeMutablePointer<Float>,
                           firstMoments: UnsafeMutablePointer<Float>, secondMoments: UnsafeMutablePointer<Float>,
                           beta1: Float, beta2: Float, coupledDecay: Float, shrink: Float, stepSize: Float, root2: Float, epsilon: Float)
    static func packEightRowsTransposed(rows: UnsafePointer<Float>, rowStride: Int, depth: Int,
                                        into destination: UnsafeMutablePointer<Float>, destinationStride: Int)
    static func packSixRowsTransposed(rows: UnsafePointer<Float>, rowStride: Int, depth: Int, into destination: UnsafeMutablePointer<Float>)
}
