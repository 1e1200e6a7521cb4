// IntelVectorOps.swift — the vector operations of KernelLoops' `VectorOps` as AVX instructions, for the AVX2 and
// AVX-512 families (compiled into their targets, which have the flags; see Package.swift).
//
// `SIMD8<Float>.squareRoot()` is lowered lane by lane (scalar sqrt plus a libm fallback). The AVX
// instruction `vsqrtps` computes the same correctly rounded results eight at a time. Interleaving two
// vectors lane by lane, or moving lanes up by one (for the overlapping tiles of Winograd's algorithm),
// takes a few AVX shuffles, and masking lanes one AND, where generic SIMD code goes lane by lane.

import KernelLoops

#if arch(x86_64) && canImport(_Builtin_intrinsics.intel)
import _Builtin_intrinsics.intel

/// `VectorOps` with AVX instructions; only for CPUs that run AVX2.
public enum IntelVectorOps: VectorOps {
    @inlinable @inline(__always)
    public static func squareRoot(_ x: SIMD8<Float>) -> SIMD8<Float> { _mm256_sqrt_ps(x) }

    /// Unpack within each 128-bit half, then regroup the halves.
    @inlinable @inline(__always)
    public static func interleaved(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD16<Float> {
        let (low, high) = (_mm256_unpacklo_ps(a, b), _mm256_unpackhi_ps(a, b))   // (a₀ b₀ a₁ b₁ | a₄ b₄ a₅ b₅), (a₂ b₂ a₃ b₃ | a₆ …)
        return SIMD16(lowHalf: SIMD8(lowHalf: low.lowHalf, highHalf: high.lowHalf), highHalf: SIMD8(lowHalf: low.highHalf, highHalf: high.highHalf))
    }

    @inlinable @inline(__always)
    public static func lanesShiftedUp(_ v: SIMD8<Float>, after previous: SIMD8<Float>) -> SIMD8<Float> {
        let up = unsafeBitCast(SIMD8<Int32>(7, 0, 1, 2, 3, 4, 5, 6), to: SIMD4<Int64>.self)
        let firstLane = unsafeBitCast(SIMD8<Int32>(-1, 0, 0, 0, 0, 0, 0, 0), to: SIMD8<Float>.self)
        return _mm256_blendv_ps(_mm256_permutevar8x32_ps(v, up), _mm256_permutevar8x32_ps(previous, up), firstLane)
    }

    @inlinable @inline(__always)
    public static func firstLanesMask(_ count: Int) -> SIMD8<Float> {
        let lanes = unsafeBitCast(SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7), to: SIMD4<Int64>.self)
        return _mm256_castsi256_ps(_mm256_cmpgt_epi32(_mm256_set1_epi32(Int32(clamping: count)), lanes))
    }

    @inlinable @inline(__always)
    public static func lanesKept(_ v: SIMD8<Float>, _ mask: SIMD8<Float>) -> SIMD8<Float> { _mm256_and_ps(v, mask) }

    @inlinable @inline(__always)
    public static func transposed8x8(_ v0: SIMD8<Float>, _ v1: SIMD8<Float>, _ v2: SIMD8<Float>, _ v3: SIMD8<Float>,
                                     _ v4: SIMD8<Float>, _ v5: SIMD8<Float>, _ v6: SIMD8<Float>, _ v7: SIMD8<Float>) -> Block8x8 {
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
}
#else
/// Not an x86 CPU: the AVX families never run here, and their loops use the plain operations.
public typealias IntelVectorOps = PlainVectorOps
#endif
