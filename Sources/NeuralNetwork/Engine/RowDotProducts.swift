// RowDotProducts.swift — C = A·Bᵀ when both A and B are stored row by row with the summed index
// contiguous, computed as dot products of rows without packing either operand (KernelLoops' RowDots.swift
// has the loops and why: the weight gradient of a Winograd convolution, one drawing at inference).

/// `c[i·cRowStride + j] (+)= Σₚ a[i·aRowStride + p] · b[j·bRowStride + p]` for i < m, j < n, p < k.
///
/// Every element is summed in the same order (8 lanes over p in steps of 8, the lanes added up, then
/// the last k mod 8 terms), whatever m and n, so results do not depend on how a caller splits C — nor on the
/// kernel family: with AVX-512 the main loop runs 4 rows of A at a time, two accumulators to a register.
func rowDotProducts(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, aRowStride: Int, b: UnsafePointer<Float>, bRowStride: Int,
                    c: UnsafeMutablePointer<Float>, cRowStride: Int, accumulate: Bool, kernels: KernelFamily = .selected) {
    kernels.loops.rowDotProducts(fourRows: kernels.fourRowDots, m: m, n: n, k: k, a: a, aRowStride: aRowStride, b: b, bRowStride: bRowStride,
                                 c: c, cRowStride: cRowStride, accumulate: accumulate)
}
