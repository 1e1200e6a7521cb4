// AVX512RowDots.swift — the AVX-512 family's 4 × 4 blocks of dot products of rows (AVX512Kernels.swift), as the
// `FourRowDots` that KernelLoops' `rowDotProducts` takes. The family's other loops are `AVX2Loops`' (see
// KernelFamilyLoops.swift for why).

import KernelLoops

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
