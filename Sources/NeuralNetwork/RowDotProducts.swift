// RowDotProducts.swift — C = A·Bᵀ when both A and B are stored row by row with the summed index
// contiguous, computed as dot products of rows without packing either operand.
//
// The packed GEMM (MatrixMultiplyKernel.swift) wants op(B) laid out along C's columns; for A·Bᵀ it must
// transpose both operands element by element while packing. That costs as much as the multiply when
// C is small and the shared dimension is long — the weight gradient of a Winograd convolution
// (C [O, C_in], summed over thousands of tiles), or one drawing at inference. Here each output is a dot
// product, accumulated in 8 lanes; rows are taken 4 of A × 2 of B at a time, so each loaded vector
// feeds 2 or 4 multiply-adds.

/// `c[i·cRowStride + j] (+)= Σₚ a[i·aRowStride + p] · b[j·bRowStride + p]` for i < m, j < n, p < k.
///
/// Every element is summed in the same order (8 lanes over p in steps of 8, the lanes added up, then
/// the last k mod 8 terms), whatever m and n, so results do not depend on how a caller splits C.
func rowDotProducts(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, aRowStride: Int, b: UnsafePointer<Float>, bRowStride: Int,
                    c: UnsafeMutablePointer<Float>, cRowStride: Int, accumulate: Bool) {
    typealias Vector = SIMD8<Float>
    let vectorEnd = k - k % 8
    @inline(__always) func load(_ row: UnsafePointer<Float>, _ p: Int) -> Vector {
        UnsafeRawPointer(row + p).loadUnaligned(as: Vector.self)
    }
    @inline(__always) func finish(_ lanes: Vector, _ aRow: UnsafePointer<Float>, _ bRow: UnsafePointer<Float>, _ target: UnsafeMutablePointer<Float>) {
        var sum = lanes.sum()
        for p in vectorEnd..<k { sum += aRow[p] * bRow[p] }
        target.pointee = accumulate ? target.pointee + sum : sum
    }
    let blockedRows = m - m % 4, blockedColumns = n - n % 2
    for i in stride(from: 0, to: blockedRows, by: 4) {
        let (a0, a1, a2, a3) = (a + i * aRowStride, a + (i + 1) * aRowStride, a + (i + 2) * aRowStride, a + (i + 3) * aRowStride)
        for j in stride(from: 0, to: blockedColumns, by: 2) {
            let (b0, b1) = (b + j * bRowStride, b + (j + 1) * bRowStride)
            var (s00, s01, s10, s11) = (Vector(), Vector(), Vector(), Vector())
            var (s20, s21, s30, s31) = (Vector(), Vector(), Vector(), Vector())
            var p = 0
            while p < vectorEnd {
                let (y0, y1) = (load(b0, p), load(b1, p))
                var x = load(a0, p)
                s00.addProduct(x, y0); s01.addProduct(x, y1)
                x = load(a1, p)
                s10.addProduct(x, y0); s11.addProduct(x, y1)
                x = load(a2, p)
                s20.addProduct(x, y0); s21.addProduct(x, y1)
                x = load(a3, p)
                s30.addProduct(x, y0); s31.addProduct(x, y1)
                p += 8
            }
            let target = c + i * cRowStride + j
            finish(s00, a0, b0, target); finish(s01, a0, b1, target + 1)
            finish(s10, a1, b0, target + cRowStride); finish(s11, a1, b1, target + cRowStride + 1)
            finish(s20, a2, b0, target + 2 * cRowStride); finish(s21, a2, b1, target + 2 * cRowStride + 1)
            finish(s30, a3, b0, target + 3 * cRowStride); finish(s31, a3, b1, target + 3 * cRowStride + 1)
        }
    }
    // The edges: rows past the last block of 4, and columns past the last pair, one dot product at a time.
    for i in 0..<m {
        for j in (i < blockedRows ? blockedColumns : 0)..<n {
            let (aRow, bRow) = (a + i * aRowStride, b + j * bRowStride)
            var lanes = Vector()
            var p = 0
            while p < vectorEnd {
                lanes.addProduct(load(aRow, p), load(bRow, p))
                p += 8
            }
            finish(lanes, aRow, bRow, c + i * cRowStride + j)
        }
    }
}
