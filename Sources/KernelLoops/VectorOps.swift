// VectorOps.swift — the few vector operations that generic SIMD code lowers lane by lane, behind one protocol,
// and the short element-wise helpers that every kernel body shares.
//
// The loops in this module are written once and compiled three times. Each body is `@inlinable` and
// `@inline(__always)`, generic over a `VectorOps`; each kernel family's target (KernelsAVX512, KernelsAVX2,
// KernelsPortable) calls it from a function of its own, so its copy is compiled with that target's flags
// (-mavx512f, -mavx2 -mfma, none) and its operations (`IntelVectorOps`: AVX shuffles and `vsqrtps`;
// `PlainVectorOps`: plain Swift). This module itself has no target flags: on a CPU without AVX only the
// portable copies run. Every operation gives the same bits in every family.

/// Vector operations with a fast form on some CPUs and a plain one everywhere.
public protocol VectorOps {
    /// √x for each lane, IEEE correctly rounded (bit-identical to `Float.squareRoot()`).
    static func squareRoot(_ x: SIMD8<Float>) -> SIMD8<Float>
    /// (a₀, b₀, a₁, b₁, …, a₇, b₇).
    static func interleaved(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD16<Float>
    /// (p₇, v₀, v₁, …, v₆): the lanes of `v` moved up by one, lane 0 taken from the top lane of `previous`.
    static func lanesShiftedUp(_ v: SIMD8<Float>, after previous: SIMD8<Float>) -> SIMD8<Float>
    /// A lane mask for `lanesKept`: all bits set in lanes 0 ..< count, zero in the others.
    static func firstLanesMask(_ count: Int) -> SIMD8<Float>
    /// `v` with the lanes outside `mask` (from `firstLanesMask`) set to +0, whatever they held, NaN included.
    static func lanesKept(_ v: SIMD8<Float>, _ mask: SIMD8<Float>) -> SIMD8<Float>
    /// The 8×8 block with rows v₀ … v₇, transposed: vector j of the result holds lane j of v₀ … v₇.
    static func transposed8x8(_ v0: SIMD8<Float>, _ v1: SIMD8<Float>, _ v2: SIMD8<Float>, _ v3: SIMD8<Float>,
                              _ v4: SIMD8<Float>, _ v5: SIMD8<Float>, _ v6: SIMD8<Float>, _ v7: SIMD8<Float>) -> Block8x8
}

/// Eight 8-float vectors: the rows or columns of an 8×8 block.
public typealias Block8x8 = (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>)

/// The operations in plain Swift, for any CPU (NEON on arm64 lowers most of them well).
public enum PlainVectorOps: VectorOps {
    @inlinable @inline(__always)
    public static func squareRoot(_ x: SIMD8<Float>) -> SIMD8<Float> { x.squareRoot() }

    @inlinable @inline(__always)
    public static func interleaved(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD16<Float> {
        var pairs = SIMD16<Float>()
        for lane in 0..<8 {
            pairs[2 * lane] = a[lane]
            pairs[2 * lane + 1] = b[lane]
        }
        return pairs
    }

    @inlinable @inline(__always)
    public static func lanesShiftedUp(_ v: SIMD8<Float>, after previous: SIMD8<Float>) -> SIMD8<Float> {
        SIMD8(previous[7], v[0], v[1], v[2], v[3], v[4], v[5], v[6])
    }

    @inlinable @inline(__always)
    public static func firstLanesMask(_ count: Int) -> SIMD8<Float> {
        var mask = SIMD8<Float>()
        for lane in 0..<min(max(count, 0), 8) { mask[lane] = Float(bitPattern: ~0) }
        return mask
    }

    @inlinable @inline(__always)
    public static func lanesKept(_ v: SIMD8<Float>, _ mask: SIMD8<Float>) -> SIMD8<Float> {
        unsafeBitCast(unsafeBitCast(v, to: SIMD8<UInt32>.self) & unsafeBitCast(mask, to: SIMD8<UInt32>.self), to: SIMD8<Float>.self)
    }

    @inlinable @inline(__always)
    public static func transposed8x8(_ v0: SIMD8<Float>, _ v1: SIMD8<Float>, _ v2: SIMD8<Float>, _ v3: SIMD8<Float>,
                                     _ v4: SIMD8<Float>, _ v5: SIMD8<Float>, _ v6: SIMD8<Float>, _ v7: SIMD8<Float>) -> Block8x8 {
        @inline(__always) func column(_ j: Int) -> SIMD8<Float> { SIMD8(v0[j], v1[j], v2[j], v3[j], v4[j], v5[j], v6[j], v7[j]) }
        return (column(0), column(1), column(2), column(3), column(4), column(5), column(6), column(7))
    }
}

/// Lane i of the result is `v_i.sum()` for the 8 vectors v_0 … v_7, bit for bit: ((−0 + v_i[0]) + v_i[1]) + … + v_i[7].
///
/// The 8×8 block is transposed — column j gathers lane j of every vector — and the 8 columns are added in
/// order: 8 sums with 8 vector additions instead of 8 × 8 scalar ones.
@inlinable @inline(__always)
public func laneSums<Ops: VectorOps>(_ ops: Ops.Type, _ v0: SIMD8<Float>, _ v1: SIMD8<Float>, _ v2: SIMD8<Float>, _ v3: SIMD8<Float>,
                                     _ v4: SIMD8<Float>, _ v5: SIMD8<Float>, _ v6: SIMD8<Float>, _ v7: SIMD8<Float>) -> SIMD8<Float> {
    let columns = Ops.transposed8x8(v0, v1, v2, v3, v4, v5, v6, v7)
    var sums = SIMD8<Float>(repeating: -0.0) + columns.0
    sums += columns.1; sums += columns.2; sums += columns.3
    sums += columns.4; sums += columns.5; sums += columns.6; sums += columns.7
    return sums
}

/// `count` floats from `source` (at most 8) in the first lanes, +0 in the others: the ragged end of a row.
@inlinable @inline(__always)
public func loadFirstLanes(_ source: UnsafePointer<Float>, count: Int) -> SIMD8<Float> {
    var values = SIMD8<Float>()
    for lane in 0..<count { values[lane] = source[lane] }
    return values
}

/// Stores the first `count` lanes of `values` (at most 8) at `target`.
@inlinable @inline(__always)
public func storeFirstLanes(_ values: SIMD8<Float>, to target: UnsafeMutablePointer<Float>, count: Int) {
    for lane in 0..<count { target[lane] = values[lane] }
}

/// Copies `count` floats from `source` to `target` (non-overlapping), 8 at a time. For the short rows of
/// image planes (12–28 values) this beats a `memmove` call, whose setup costs more than the copy.
@inlinable @inline(__always)
public func copyShortRow(from source: UnsafePointer<Float>, to target: UnsafeMutablePointer<Float>, count: Int) {
    var i = 0
    while i + 8 <= count {
        UnsafeMutableRawPointer(target + i).storeBytes(of: UnsafeRawPointer(source + i).loadUnaligned(as: SIMD8<Float>.self), as: SIMD8<Float>.self)
        i += 8
    }
    while i < count {
        target[i] = source[i]
        i += 1
    }
}

/// The rectifier of `ReLU`, lane by lane: 0 where x ≤ 0 (so −0 becomes +0), x elsewhere (NaN stays NaN).
@inlinable @inline(__always)
public func rectified(_ x: SIMD8<Float>) -> SIMD8<Float> { x.replacing(with: 0, where: x .<= 0) }

/// The rectifier for one value.
@inlinable @inline(__always)
public func rectified(_ x: Float) -> Float { x <= 0 ? 0 : x }

/// `target[i] = rectified(source[i])` for i < count, 8 at a time (`source` may equal `target`).
@inlinable @inline(__always)
public func applyReLU(from source: UnsafePointer<Float>, to target: UnsafeMutablePointer<Float>, count: Int) {
    var i = 0
    while i + 8 <= count {
        UnsafeMutableRawPointer(target + i).storeBytes(of: rectified(UnsafeRawPointer(source + i).loadUnaligned(as: SIMD8<Float>.self)),
                                                       as: SIMD8<Float>.self)
        i += 8
    }
    while i < count {
        target[i] = rectified(source[i])
        i += 1
    }
}

/// The gradient `dy` passed back through a ReLU, lane by lane: dy where `gate` > 0, +0 elsewhere (NaN gates too).
@inlinable @inline(__always)
public func reluGradient(_ dy: SIMD8<Float>, gate: SIMD8<Float>) -> SIMD8<Float> { dy.replacing(with: 0, where: .!(gate .> 0)) }

/// `target[i] = gate[i] > 0 ? source[i] : 0` for i < count, 8 at a time: a gradient passed back through a
/// ReLU, whose derivative is 1 where its input x > 0 and 0 elsewhere; `gate` may be x or max(x, 0), which
/// are positive at the same places.
@inlinable @inline(__always)
public func applyReLUGradient(from source: UnsafePointer<Float>, gate: UnsafePointer<Float>,
                              to target: UnsafeMutablePointer<Float>, count: Int) {
    var i = 0
    while i + 8 <= count {
        let gradients = UnsafeRawPointer(source + i).loadUnaligned(as: SIMD8<Float>.self)
        let values = UnsafeRawPointer(gate + i).loadUnaligned(as: SIMD8<Float>.self)
        UnsafeMutableRawPointer(target + i).storeBytes(of: reluGradient(gradients, gate: values), as: SIMD8<Float>.self)
        i += 8
    }
    while i < count {
        target[i] = gate[i] > 0 ? source[i] : 0
        i += 1
    }
}
