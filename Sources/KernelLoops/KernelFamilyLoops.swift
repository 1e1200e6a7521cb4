// KernelFamilyLoops.swift — what every kernel family provides: its own compiled copy of each loop of this
// module, plus its matrix-multiply micro-kernel and peak loop.
//
// A family is an enum in its own target (`AVX512Loops`, `AVX2Loops`, `PortableLoops`) whose methods call the
// `@inline(__always)` loop functions of this module with its `VectorOps`, so each method is compiled in the
// family's target with its flags. They are written out in each family, not given once in an extension of
// this protocol: the compiler then inlines the loops into protocol witness thunks, where it leaves the AVX
// intrinsics of `IntelVectorOps` as calls (measured: CNN training steps 15–20% slower).

/// One kernel family's compiled loops. The arguments are those of the loop functions of the same names.
public protocol KernelFamilyLoops {
    /// The vector operations the loops use.
    associatedtype Ops: VectorOps
    /// The 4×4 dot-product blocks of `rowDotProducts`, for families that have them.
    static var fourRowDots: (any FourRowDots.Type)? { get }
    /// C[0..<6, 0..<16] (=|+=) Σ_p a[p·6 + r] · b[p·bRowStride + j], summed in order of p by fused multiply-adds.
    static func microKernel6x16(depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, bRowStride: Int,
                                c: UnsafeMutablePointer<Float>, cRowStride: Int, addToC: Bool)
    /// A register-only loop of 12 independent fused multiply-adds of one vector per step: the family's peak.
    static func peakLoop(iterations: Int, seed: Float) -> Float

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
    static func rowDotProducts(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, aRowStride: Int, b: UnsafePointer<Float>, bRowStride: Int,
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
