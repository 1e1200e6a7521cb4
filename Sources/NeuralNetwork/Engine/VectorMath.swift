// VectorMath.swift — element-wise functions on 8-float vectors that the compiler does not vectorize by itself,
// and the short loops (row copies, ReLU and its gradient) that the layers share.
//
// `SIMD8<Float>.squareRoot()` is lowered lane by lane (scalar sqrt plus a libm fallback). The AVX
// instruction `vsqrtps` computes the same correctly rounded results eight at a time. Interleaving two
// vectors lane by lane, or moving lanes up by one (for the overlapping tiles of Winograd's algorithm),
// takes a few AVX shuffles, and masking lanes one AND, where generic SIMD code goes lane by lane.

#if arch(x86_64) && canImport(_Builtin_intrinsics.intel)
import _Builtin_intrinsics.intel

/// √x for each lane, IEEE correctly rounded (bit-identical to `Float.squareRoot()`).
@inline(__always) func laneSquareRoot(_ x: SIMD8<Float>) -> SIMD8<Float> { _mm256_sqrt_ps(x) }

/// (a₀, b₀, a₁, b₁, …, a₇, b₇): unpack within each 128-bit half, then regroup the halves.
@inline(__always) func interleaved(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD16<Float> {
    let (low, high) = (_mm256_unpacklo_ps(a, b), _mm256_unpackhi_ps(a, b))   // (a₀ b₀ a₁ b₁ | a₄ b₄ a₅ b₅), (a₂ b₂ a₃ b₃ | a₆ …)
    return SIMD16(lowHalf: SIMD8(lowHalf: low.lowHalf, highHalf: high.lowHalf), highHalf: SIMD8(lowHalf: low.highHalf, highHalf: high.highHalf))
}

/// (p₇, v₀, v₁, …, v₆): the lanes of `v` moved up by one, lane 0 taken from the top lane of `previous`.
@inline(__always) func lanesShiftedUp(_ v: SIMD8<Float>, after previous: SIMD8<Float>) -> SIMD8<Float> {
    let up = unsafeBitCast(SIMD8<Int32>(7, 0, 1, 2, 3, 4, 5, 6), to: SIMD4<Int64>.self)
    let firstLane = unsafeBitCast(SIMD8<Int32>(-1, 0, 0, 0, 0, 0, 0, 0), to: SIMD8<Float>.self)
    return _mm256_blendv_ps(_mm256_permutevar8x32_ps(v, up), _mm256_permutevar8x32_ps(previous, up), firstLane)
}

/// A lane mask for `lanesKept`: all bits set in lanes 0 ..< count, zero in the others.
@inline(__always) func firstLanesMask(_ count: Int) -> SIMD8<Float> {
    let lanes = unsafeBitCast(SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7), to: SIMD4<Int64>.self)
    return _mm256_castsi256_ps(_mm256_cmpgt_epi32(_mm256_set1_epi32(Int32(clamping: count)), lanes))
}

/// `v` with the lanes outside `mask` (from `firstLanesMask`) set to +0, whatever they held, NaN included.
@inline(__always) func lanesKept(_ v: SIMD8<Float>, _ mask: SIMD8<Float>) -> SIMD8<Float> { _mm256_and_ps(v, mask) }

/// The 8×8 block with rows v₀ … v₇, transposed: vector j of the result holds lane j of v₀ … v₇.
@inline(__always)
func transposed8x8(_ v0: SIMD8<Float>, _ v1: SIMD8<Float>, _ v2: SIMD8<Float>, _ v3: SIMD8<Float>,
                   _ v4: SIMD8<Float>, _ v5: SIMD8<Float>, _ v6: SIMD8<Float>, _ v7: SIMD8<Float>)
    -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
    typealias Vector = SIMD8<Float>
    // Within each 128-bit half: interleave pairs of vectors, then pairs of pairs, so that u_j holds lane j of
    // a…d in its low half and lane j + 4 of a…d in its high half.
    @inline(__always) func quarter(_ a: Vector, _ b: Vector, _ c: Vector, _ d: Vector) -> (Vector, Vector, Vector, Vector) {
        let (ab0, ab1) = (_mm256_unpacklo_ps(a, b), _mm256_unpackhi_ps(a, b))
        let (cd0, cd1) = (_mm256_unpacklo_ps(c, d), _mm256_unpackhi_ps(c, d))
        @inline(__always) func low(_ x: Vector, _ y: Vector) -> Vector {
            _mm256_castpd_ps(_mm256_unpacklo_pd(_mm256_castps_pd(x), _mm256_castps_pd(y)))
        }
        @inline(__always) func high(_ x: Vector, _ y: Vector) -> Vector {
            _mm256_castpd_ps(_mm256_unpackhi_pd(_mm256_castps_pd(x), _mm256_castps_pd(y)))
        }
        return (low(ab0, cd0), high(ab0, cd0), low(ab1, cd1), high(ab1, cd1))
    }
    let u = quarter(v0, v1, v2, v3), w = quarter(v4, v5, v6, v7)
    @inline(__always) func lower(_ x: Vector, _ y: Vector) -> Vector { Vector(lowHalf: x.lowHalf, highHalf: y.lowHalf) }
    @inline(__always) func upper(_ x: Vector, _ y: Vector) -> Vector { Vector(lowHalf: x.highHalf, highHalf: y.highHalf) }
    return (lower(u.0, w.0), lower(u.1, w.1), lower(u.2, w.2), lower(u.3, w.3),
            upper(u.0, w.0), upper(u.1, w.1), upper(u.2, w.2), upper(u.3, w.3))
}
#else
/// √x for each lane, IEEE correctly rounded (bit-identical to `Float.squareRoot()`).
@inline(__always) func laneSquareRoot(_ x: SIMD8<Float>) -> SIMD8<Float> { x.squareRoot() }

/// (a₀, b₀, a₁, b₁, …, a₇, b₇).
@inline(__always) func interleaved(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD16<Float> {
    var pairs = SIMD16<Float>()
    for lane in 0..<8 {
        pairs[2 * lane] = a[lane]
        pairs[2 * lane + 1] = b[lane]
    }
    return pairs
}

/// (p₇, v₀, v₁, …, v₆): the lanes of `v` moved up by one, lane 0 taken from the top lane of `previous`.
@inline(__always) func lanesShiftedUp(_ v: SIMD8<Float>, after previous: SIMD8<Float>) -> SIMD8<Float> {
    SIMD8(previous[7], v[0], v[1], v[2], v[3], v[4], v[5], v[6])
}

/// A lane mask for `lanesKept`: all bits set in lanes 0 ..< count, zero in the others.
@inline(__always) func firstLanesMask(_ count: Int) -> SIMD8<Float> {
    var mask = SIMD8<Float>()
    for lane in 0..<min(max(count, 0), 8) { mask[lane] = Float(bitPattern: ~0) }
    return mask
}

/// `v` with the lanes outside `mask` (from `firstLanesMask`) set to +0, whatever they held, NaN included.
@inline(__always) func lanesKept(_ v: SIMD8<Float>, _ mask: SIMD8<Float>) -> SIMD8<Float> {
    var kept = SIMD8<Float>()
    for lane in 0..<8 { kept[lane] = Float(bitPattern: v[lane].bitPattern & mask[lane].bitPattern) }
    return kept
}

/// The 8×8 block with rows v₀ … v₇, transposed: vector j of the result holds lane j of v₀ … v₇.
@inline(__always)
func transposed8x8(_ v0: SIMD8<Float>, _ v1: SIMD8<Float>, _ v2: SIMD8<Float>, _ v3: SIMD8<Float>,
                   _ v4: SIMD8<Float>, _ v5: SIMD8<Float>, _ v6: SIMD8<Float>, _ v7: SIMD8<Float>)
    -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
    @inline(__always) func column(_ j: Int) -> SIMD8<Float> { SIMD8(v0[j], v1[j], v2[j], v3[j], v4[j], v5[j], v6[j], v7[j]) }
    return (column(0), column(1), column(2), column(3), column(4), column(5), column(6), column(7))
}
#endif

/// `count` floats from `source` (at most 8) in the first lanes, +0 in the others: the ragged end of a row.
@inline(__always) func loadFirstLanes(_ source: UnsafePointer<Float>, count: Int) -> SIMD8<Float> {
    var values = SIMD8<Float>()
    for lane in 0..<count { values[lane] = source[lane] }
    return values
}

/// Stores the first `count` lanes of `values` (at most 8) at `target`.
@inline(__always) func storeFirstLanes(_ values: SIMD8<Float>, to target: UnsafeMutablePointer<Float>, count: Int) {
    for lane in 0..<count { target[lane] = values[lane] }
}

/// Copies `count` floats from `source` to `target` (non-overlapping), 8 at a time. For the short rows of
/// image planes (12–28 values) this beats a `memmove` call, whose setup costs more than the copy.
@inline(__always) func copyShortRow(from source: UnsafePointer<Float>, to target: UnsafeMutablePointer<Float>, count: Int) {
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
@inline(__always) func rectified(_ x: SIMD8<Float>) -> SIMD8<Float> { x.replacing(with: 0, where: x .<= 0) }
@inline(__always) func rectified(_ x: Float) -> Float { x <= 0 ? 0 : x }

/// `target[i] = rectified(source[i])` for i < count, 8 at a time (`source` may equal `target`).
@inline(__always) func applyReLU(from source: UnsafePointer<Float>, to target: UnsafeMutablePointer<Float>, count: Int) {
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
@inline(__always) func reluGradient(_ dy: SIMD8<Float>, gate: SIMD8<Float>) -> SIMD8<Float> { dy.replacing(with: 0, where: .!(gate .> 0)) }

/// `target[i] = gate[i] > 0 ? source[i] : 0` for i < count, 8 at a time: a gradient passed back through a
/// ReLU, whose derivative is 1 where its input x > 0 and 0 elsewhere; `gate` may be x or max(x, 0), which
/// are positive at the same places.
@inline(__always) func applyReLUGradient(from source: UnsafePointer<Float>, gate: UnsafePointer<Float>,
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
