// VectorMath.swift — element-wise functions on 8-float vectors that the compiler does not vectorize by itself.
//
// `SIMD8<Float>.squareRoot()` is lowered lane by lane (scalar sqrt plus a libm fallback). The AVX
// instruction `vsqrtps` computes the same correctly rounded results eight at a time.

#if arch(x86_64) && canImport(_Builtin_intrinsics.intel)
import _Builtin_intrinsics.intel

/// √x for each lane, IEEE correctly rounded (bit-identical to `Float.squareRoot()`).
@inline(__always) func laneSquareRoot(_ x: SIMD8<Float>) -> SIMD8<Float> { _mm256_sqrt_ps(x) }
#else
/// √x for each lane, IEEE correctly rounded (bit-identical to `Float.squareRoot()`).
@inline(__always) func laneSquareRoot(_ x: SIMD8<Float>) -> SIMD8<Float> { x.squareRoot() }
#endif

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
