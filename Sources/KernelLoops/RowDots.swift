// RowDots.swift — C = A·Bᵀ when both A and B are stored row by row with the summed index contiguous,
// computed as dot products of rows without packing either operand.
//
// The packed multiply wants op(B) laid out along C's columns; for A·Bᵀ it must transpose both operands
// element by element while packing. That costs as much as the multiply when C is small and the shared
// dimension is long — the weight gradient of a Winograd convolution (C [O, C_in], summed over thousands of
// tiles), or one drawing at inference. Here each output is a dot product, accumulated in 8 lanes; rows are
// taken 2 of A × 4 of B at a time, so each loaded vector feeds 2 or 4 multiply-adds, and the 8 lane sums of
// a block are formed together (`laneSums`).

/// Blocks of 4 rows of A × 4 rows of B, for a family whose registers hold them (AVX-512: two 8-lane
/// accumulators to a 16-float register). Both give exactly the bits of the 2×4 blocks.
public protocol FourRowDots {
    /// The 16 lane vectors, 8 floats each, of rows a0…a3 · rows b0…b3 over `count` (a multiple of 8) values,
    /// in the order (a0·b0, a0·b1, …, a3·b3), into `lanes` [16 × 8].
    static func rowDotLanes4x4(a0: UnsafePointer<Float>, a1: UnsafePointer<Float>, a2: UnsafePointer<Float>, a3: UnsafePointer<Float>,
                               b0: UnsafePointer<Float>, b1: UnsafePointer<Float>, b2: UnsafePointer<Float>, b3: UnsafePointer<Float>,
                               count: Int, lanes: UnsafeMutablePointer<Float>)
    /// C[0..<4, 0..<4] (=|+=) the 16 dot products over `count` (a multiple of 8) values, lanes added as `laneSums` does.
    static func rowDots4x4(a0: UnsafePointer<Float>, a1: UnsafePointer<Float>, a2: UnsafePointer<Float>, a3: UnsafePointer<Float>,
                           b0: UnsafePointer<Float>, b1: UnsafePointer<Float>, b2: UnsafePointer<Float>, b3: UnsafePointer<Float>,
                           count: Int, c: UnsafeMutablePointer<Float>, cRowStride: Int, accumulate: Bool)
}

/// `c[i·cRowStride + j] (+)= Σₚ a[i·aRowStride + p] · b[j·bRowStride + p]` for i < m, j < n, p < k.
///
/// Every element is summed in the same order (8 lanes over p in steps of 8, the lanes added up, then
/// the last k mod 8 terms), whatever m and n, so results do not depend on how a caller splits C — nor on the
/// kernel family: with `fourRows` the main loop runs 4 rows of A at a time.
@inlinable @inline(__always)
public func rowDotProducts<Ops: VectorOps>(_ ops: Ops.Type, fourRows: (any FourRowDots.Type)?,
                                           m: Int, n: Int, k: Int, a: UnsafePointer<Float>, aRowStride: Int,
                                           b: UnsafePointer<Float>, bRowStride: Int,
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
    let blockedRows = m - m % 2, blockedColumns = n - n % 4
    /// Stores (or adds) the 2×4 block at (i, j) from its eight 8-lane accumulators.
    @inline(__always) func finishBlock(_ i: Int, _ j: Int, _ s00: Vector, _ s01: Vector, _ s02: Vector, _ s03: Vector,
                                       _ s10: Vector, _ s11: Vector, _ s12: Vector, _ s13: Vector) {
        let (a0, a1) = (a + i * aRowStride, a + (i + 1) * aRowStride)
        let (b0, b1, b2, b3) = (b + j * bRowStride, b + (j + 1) * bRowStride, b + (j + 2) * bRowStride, b + (j + 3) * bRowStride)
        let target = c + i * cRowStride + j
        if vectorEnd == k {
            // No tail: the 8 sums at once, stored as two rows of 4.
            let sums = laneSums(Ops.self, s00, s01, s02, s03, s10, s11, s12, s13)
            @inline(__always) func store(_ values: SIMD4<Float>, _ row: UnsafeMutablePointer<Float>) {
                let raw = UnsafeMutableRawPointer(row)
                raw.storeBytes(of: accumulate ? raw.loadUnaligned(as: SIMD4<Float>.self) + values : values, as: SIMD4<Float>.self)
            }
            store(sums.lowHalf, target)
            store(sums.highHalf, target + cRowStride)
            return
        }
        finish(s00, a0, b0, target); finish(s01, a0, b1, target + 1); finish(s02, a0, b2, target + 2); finish(s03, a0, b3, target + 3)
        let below = target + cRowStride
        finish(s10, a1, b0, below); finish(s11, a1, b1, below + 1); finish(s12, a1, b2, below + 2); finish(s13, a1, b3, below + 3)
    }
    var i = 0
    while i < blockedRows {
        if let fourRows, i + 4 <= blockedRows {
            let rows = (a + i * aRowStride, a + (i + 1) * aRowStride, a + (i + 2) * aRowStride, a + (i + 3) * aRowStride)
            for j in stride(from: 0, to: blockedColumns, by: 4) {
                let (b0, b1, b2, b3) = (b + j * bRowStride, b + (j + 1) * bRowStride, b + (j + 2) * bRowStride, b + (j + 3) * bRowStride)
                if vectorEnd == k {
                    // No tail: the lanes are added up in the kernel itself, in laneSums' order.
                    fourRows.rowDots4x4(a0: rows.0, a1: rows.1, a2: rows.2, a3: rows.3, b0: b0, b1: b1, b2: b2, b3: b3,
                                        count: k, c: c + i * cRowStride + j, cRowStride: cRowStride, accumulate: accumulate)
                    continue
                }
                withUnsafeTemporaryAllocation(of: Vector.self, capacity: 16) { lanes in
                    fourRows.rowDotLanes4x4(a0: rows.0, a1: rows.1, a2: rows.2, a3: rows.3, b0: b0, b1: b1, b2: b2, b3: b3, count: vectorEnd,
                                            lanes: UnsafeMutableRawPointer(lanes.baseAddress!).assumingMemoryBound(to: Float.self))
                    finishBlock(i, j, lanes[0], lanes[1], lanes[2], lanes[3], lanes[4], lanes[5], lanes[6], lanes[7])
                    finishBlock(i + 2, j, lanes[8], lanes[9], lanes[10], lanes[11], lanes[12], lanes[13], lanes[14], lanes[15])
                }
            }
            i += 4
            continue
        }
        let (a0, a1) = (a + i * aRowStride, a + (i + 1) * aRowStride)
        for j in stride(from: 0, to: blockedColumns, by: 4) {
            let (b0, b1, b2, b3) = (b + j * bRowStride, b + (j + 1) * bRowStride, b + (j + 2) * bRowStride, b + (j + 3) * bRowStride)
            var (s00, s01, s02, s03) = (Vector(), Vector(), Vector(), Vector())
            var (s10, s11, s12, s13) = (Vector(), Vector(), Vector(), Vector())
            var p = 0
            while p < vectorEnd {
                let (y0, y1, y2, y3) = (load(b0, p), load(b1, p), load(b2, p), load(b3, p))
                var x = load(a0, p)
                s00.addProduct(x, y0); s01.addProduct(x, y1); s02.addProduct(x, y2); s03.addProduct(x, y3)
                x = load(a1, p)
                s10.addProduct(x, y0); s11.addProduct(x, y1); s12.addProduct(x, y2); s13.addProduct(x, y3)
                p += 8
            }
            finishBlock(i, j, s00, s01, s02, s03, s10, s11, s12, s13)
        }
        i += 2
    }
    // The last row of an odd m, 4 columns at a time: four independent sums in flight instead of one chain of
    // dependent multiply-adds (one drawing at inference is such a row). Each sum runs exactly as below.
    if blockedRows < m {
        let aRow = a + blockedRows * aRowStride
        for j in stride(from: 0, to: blockedColumns, by: 4) {
            let (b0, b1, b2, b3) = (b + j * bRowStride, b + (j + 1) * bRowStride, b + (j + 2) * bRowStride, b + (j + 3) * bRowStride)
            var (s0, s1, s2, s3) = (Vector(), Vector(), Vector(), Vector())
            var p = 0
            while p < vectorEnd {
                let x = load(aRow, p)
                s0.addProduct(x, load(b0, p)); s1.addProduct(x, load(b1, p)); s2.addProduct(x, load(b2, p)); s3.addProduct(x, load(b3, p))
                p += 8
            }
            let target = c + blockedRows * cRowStride + j
            finish(s0, aRow, b0, target); finish(s1, aRow, b1, target + 1); finish(s2, aRow, b2, target + 2); finish(s3, aRow, b3, target + 3)
        }
    }
    // The edges: columns past the last block of 4, one dot product at a time.
    for i in 0..<m {
        for j in blockedColumns..<n {
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
