// AVX512Kernels.swift — the matrix-multiply micro-kernels for CPUs with AVX-512 (16 floats per vector),
// compiled with -mavx512f (see Package.swift) and called only when the CPU runs AVX-512
// (`KernelFamily.avx512`, chosen at run time).
//
// Same contract as the AVX2 kernel in KernelsAVX2: every element of C is
// Σ_p a[p·6 + r]·B[p, j], summed in order of p by fused multiply-adds. Lane for lane they perform the same
// operations in the same order, so they give the same bits; they only do twice as many at once.

/// C[0..<6, 0..<32] (=|+=) Σ_p a[p·6 + r] · B[p, j]: twelve 16-float accumulators, 192 fused multiply-adds
/// per step of p. Columns 0..<16 of B are read at `b0` (`b0RowStride` floats from one p to the next), columns
/// 16..<32 at `b1`: two adjacent packed panels, or 32 columns of a row-major B read where they are stored.
public func avx512MicroKernel6x32(depth: Int, a: UnsafePointer<Float>, b0: UnsafePointer<Float>, b0RowStride: Int,
                                  b1: UnsafePointer<Float>, b1RowStride: Int,
                                  c: UnsafeMutablePointer<Float>, cRowStride: Int, addToC: Bool) {
    typealias Vector = SIMD16<Float>
    var c00 = Vector(), c01 = Vector(), c10 = Vector(), c11 = Vector(), c20 = Vector(), c21 = Vector()
    var c30 = Vector(), c31 = Vector(), c40 = Vector(), c41 = Vector(), c50 = Vector(), c51 = Vector()
    var row0 = UnsafeRawPointer(b0), row1 = UnsafeRawPointer(b1)
    let (step0, step1) = (b0RowStride * MemoryLayout<Float>.stride, b1RowStride * MemoryLayout<Float>.stride)
    var aPointer = a
    for _ in 0..<depth {
        let low = row0.loadUnaligned(as: Vector.self)
        let high = row1.loadUnaligned(as: Vector.self)
        row0 += step0
        row1 += step1
        var broadcast = Vector(repeating: aPointer[0])
        c00.addProduct(broadcast, low); c01.addProduct(broadcast, high)
        broadcast = Vector(repeating: aPointer[1])
        c10.addProduct(broadcast, low); c11.addProduct(broadcast, high)
        broadcast = Vector(repeating: aPointer[2])
        c20.addProduct(broadcast, low); c21.addProduct(broadcast, high)
        broadcast = Vector(repeating: aPointer[3])
        c30.addProduct(broadcast, low); c31.addProduct(broadcast, high)
        broadcast = Vector(repeating: aPointer[4])
        c40.addProduct(broadcast, low); c41.addProduct(broadcast, high)
        broadcast = Vector(repeating: aPointer[5])
        c50.addProduct(broadcast, low); c51.addProduct(broadcast, high)
        aPointer += 6
    }
    let cRaw = UnsafeMutableRawPointer(c)
    @inline(__always) func store(_ row: Int, _ low: Vector, _ high: Vector) {
        let offset = row * cRowStride * 4
        if addToC {
            cRaw.storeBytes(of: cRaw.loadUnaligned(fromByteOffset: offset, as: Vector.self) + low, toByteOffset: offset, as: Vector.self)
            cRaw.storeBytes(of: cRaw.loadUnaligned(fromByteOffset: offset + 64, as: Vector.self) + high, toByteOffset: offset + 64, as: Vector.self)
        } else {
            cRaw.storeBytes(of: low, toByteOffset: offset, as: Vector.self)
            cRaw.storeBytes(of: high, toByteOffset: offset + 64, as: Vector.self)
        }
    }
    store(0, c00, c01); store(1, c10, c11); store(2, c20, c21)
    store(3, c30, c31); store(4, c40, c41); store(5, c50, c51)
}

/// C[0..<6, 0..<16] (=|+=) Σ_p a[p·6 + r] · b[p·bRowStride + j]: one 16-float accumulator per row, for a
/// single 16-column panel (the last one of an odd count, and the edges of C).
public func avx512MicroKernel6x16(depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, bRowStride: Int,
                                  c: UnsafeMutablePointer<Float>, cRowStride: Int, addToC: Bool) {
    typealias Vector = SIMD16<Float>
    var c0 = Vector(), c1 = Vector(), c2 = Vector(), c3 = Vector(), c4 = Vector(), c5 = Vector()
    var row = UnsafeRawPointer(b)
    let step = bRowStride * MemoryLayout<Float>.stride
    var aPointer = a
    for _ in 0..<depth {
        let values = row.loadUnaligned(as: Vector.self)
        row += step
        c0.addProduct(Vector(repeating: aPointer[0]), values)
        c1.addProduct(Vector(repeating: aPointer[1]), values)
        c2.addProduct(Vector(repeating: aPointer[2]), values)
        c3.addProduct(Vector(repeating: aPointer[3]), values)
        c4.addProduct(Vector(repeating: aPointer[4]), values)
        c5.addProduct(Vector(repeating: aPointer[5]), values)
        aPointer += 6
    }
    let cRaw = UnsafeMutableRawPointer(c)
    @inline(__always) func store(_ row: Int, _ values: Vector) {
        let offset = row * cRowStride * 4
        cRaw.storeBytes(of: addToC ? cRaw.loadUnaligned(fromByteOffset: offset, as: Vector.self) + values : values,
                        toByteOffset: offset, as: Vector.self)
    }
    store(0, c0); store(1, c1); store(2, c2); store(3, c3); store(4, c4); store(5, c5)
}

/// C[0..<12, 0..<16] (=|+=) Σ_p A[r, p] · b[p·bRowStride + j] for a single 16-column panel and two 6-row A
/// panels (`a0` for rows 0..<6, `a1` for rows 6..<12): twelve accumulators, as many as the 6×32 tile, for a
/// last panel of an odd count (the Winograd multiplies have 9 panels of tiles).
public func avx512MicroKernel12x16(depth: Int, a0: UnsafePointer<Float>, a1: UnsafePointer<Float>, b: UnsafePointer<Float>, bRowStride: Int,
                                   c: UnsafeMutablePointer<Float>, cRowStride: Int, addToC: Bool) {
    typealias Vector = SIMD16<Float>
    var c0 = Vector(), c1 = Vector(), c2 = Vector(), c3 = Vector(), c4 = Vector(), c5 = Vector()
    var c6 = Vector(), c7 = Vector(), c8 = Vector(), c9 = Vector(), c10 = Vector(), c11 = Vector()
    var row = UnsafeRawPointer(b)
    let step = bRowStride * MemoryLayout<Float>.stride
    var (top, bottom) = (a0, a1)
    for _ in 0..<depth {
        let values = row.loadUnaligned(as: Vector.self)
        row += step
        c0.addProduct(Vector(repeating: top[0]), values); c6.addProduct(Vector(repeating: bottom[0]), values)
        c1.addProduct(Vector(repeating: top[1]), values); c7.addProduct(Vector(repeating: bottom[1]), values)
        c2.addProduct(Vector(repeating: top[2]), values); c8.addProduct(Vector(repeating: bottom[2]), values)
        c3.addProduct(Vector(repeating: top[3]), values); c9.addProduct(Vector(repeating: bottom[3]), values)
        c4.addProduct(Vector(repeating: top[4]), values); c10.addProduct(Vector(repeating: bottom[4]), values)
        c5.addProduct(Vector(repeating: top[5]), values); c11.addProduct(Vector(repeating: bottom[5]), values)
        top += 6
        bottom += 6
    }
    let cRaw = UnsafeMutableRawPointer(c)
    @inline(__always) func store(_ row: Int, _ values: Vector) {
        let offset = row * cRowStride * 4
        cRaw.storeBytes(of: addToC ? cRaw.loadUnaligned(fromByteOffset: offset, as: Vector.self) + values : values,
                        toByteOffset: offset, as: Vector.self)
    }
    store(0, c0); store(1, c1); store(2, c2); store(3, c3); store(4, c4); store(5, c5)
    store(6, c6); store(7, c7); store(8, c8); store(9, c9); store(10, c10); store(11, c11)
}

/// Runs `iterations` steps of 12 independent 16-float fused multiply-adds that never leave the registers,
/// the fastest arithmetic this family can do: 384 floating-point operations per step. Returns a value
/// that depends on every step (so the loop cannot be dropped).
public func avx512PeakLoop(iterations: Int, seed: Float) -> Float {
    typealias Vector = SIMD16<Float>
    let (x, y) = (Vector(repeating: 1 + seed), Vector(repeating: 1e-7))
    var (s0, s1, s2, s3, s4, s5) = (Vector(), Vector(), Vector(), Vector(), Vector(), Vector())
    var (s6, s7, s8, s9, s10, s11) = (Vector(), Vector(), Vector(), Vector(), Vector(), Vector())
    for _ in 0..<iterations {
        s0.addProduct(x, y); s1.addProduct(x, y); s2.addProduct(x, y); s3.addProduct(x, y)
        s4.addProduct(x, y); s5.addProduct(x, y); s6.addProduct(x, y); s7.addProduct(x, y)
        s8.addProduct(x, y); s9.addProduct(x, y); s10.addProduct(x, y); s11.addProduct(x, y)
    }
    return (s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7 + s8 + s9 + s10 + s11).sum()
}

/// The 8-lane accumulators of the 16 dot products of rows a0…a3 of A with rows b0…b3 of B over their first
/// `count` floats (a multiple of 8): lane l of product (i, j) is Σ over p ≡ l (mod 8), by fused multiply-adds
/// in order of p — the very accumulators of the 2×4 loop in KernelLoops' RowDots.swift, two to a
/// 16-float register: (aᵢ·b0 | aᵢ·b1) and (aᵢ·b2 | aᵢ·b3) for i = 0…3, in that order.
@inline(__always)
func rowDotAccumulators4x4(_ a0: UnsafePointer<Float>, _ a1: UnsafePointer<Float>, _ a2: UnsafePointer<Float>, _ a3: UnsafePointer<Float>,
                           _ b0: UnsafePointer<Float>, _ b1: UnsafePointer<Float>, _ b2: UnsafePointer<Float>, _ b3: UnsafePointer<Float>,
                           count: Int) -> Accumulators {
    typealias Vector = SIMD16<Float>
    typealias Half = SIMD8<Float>
    @inline(__always) func half(_ row: UnsafePointer<Float>, _ p: Int) -> Half { UnsafeRawPointer(row + p).loadUnaligned(as: Half.self) }
    var (s001, s023, s101, s123) = (Vector(), Vector(), Vector(), Vector())
    var (s201, s223, s301, s323) = (Vector(), Vector(), Vector(), Vector())
    var p = 0
    while p < count {
        let y01 = Vector(lowHalf: half(b0, p), highHalf: half(b1, p))
        let y23 = Vector(lowHalf: half(b2, p), highHalf: half(b3, p))
        var x = half(a0, p)
        var both = Vector(lowHalf: x, highHalf: x)
        s001.addProduct(both, y01); s023.addProduct(both, y23)
        x = half(a1, p)
        both = Vector(lowHalf: x, highHalf: x)
        s101.addProduct(both, y01); s123.addProduct(both, y23)
        x = half(a2, p)
        both = Vector(lowHalf: x, highHalf: x)
        s201.addProduct(both, y01); s223.addProduct(both, y23)
        x = half(a3, p)
        both = Vector(lowHalf: x, highHalf: x)
        s301.addProduct(both, y01); s323.addProduct(both, y23)
        p += 8
    }
    return (s001, s023, s101, s123, s201, s223, s301, s323)
}

/// Eight 16-float registers.
typealias Accumulators = (SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>)

/// `rowDotAccumulators4x4`, written out: 16 groups of 8 floats to `lanes`, product (i, j) at (4·i + j)·8, for
/// the caller to finish (used when the rows have a tail of count mod 8 values).
public func avx512RowDotLanes4x4(a0: UnsafePointer<Float>, a1: UnsafePointer<Float>, a2: UnsafePointer<Float>, a3: UnsafePointer<Float>,
                                 b0: UnsafePointer<Float>, b1: UnsafePointer<Float>, b2: UnsafePointer<Float>, b3: UnsafePointer<Float>,
                                 count: Int, lanes: UnsafeMutablePointer<Float>) {
    let z = rowDotAccumulators4x4(a0, a1, a2, a3, b0, b1, b2, b3, count: count)
    let raw = UnsafeMutableRawPointer(lanes)
    raw.storeBytes(of: z.0, toByteOffset: 0, as: SIMD16<Float>.self); raw.storeBytes(of: z.1, toByteOffset: 64, as: SIMD16<Float>.self)
    raw.storeBytes(of: z.2, toByteOffset: 128, as: SIMD16<Float>.self); raw.storeBytes(of: z.3, toByteOffset: 192, as: SIMD16<Float>.self)
    raw.storeBytes(of: z.4, toByteOffset: 256, as: SIMD16<Float>.self); raw.storeBytes(of: z.5, toByteOffset: 320, as: SIMD16<Float>.self)
    raw.storeBytes(of: z.6, toByteOffset: 384, as: SIMD16<Float>.self); raw.storeBytes(of: z.7, toByteOffset: 448, as: SIMD16<Float>.self)
}

/// The 4×4 block C[i, j] (=|+=) aᵢ·bⱼ for rows of exactly `count` floats (a multiple of 8): the accumulators of
/// `rowDotAccumulators4x4`, each one's 8 lanes added in order, (((−0 + l₀) + l₁) + …) + l₇ — the same
/// additions as KernelLoops' `laneSums`, so the same bits. The 16 × 8 lanes are turned lane-major by three
/// rounds of even/odd deinterleaving (round r sorts by bit r of the lane), then added as 16-float vectors.
public func avx512RowDots4x4(a0: UnsafePointer<Float>, a1: UnsafePointer<Float>, a2: UnsafePointer<Float>, a3: UnsafePointer<Float>,
                             b0: UnsafePointer<Float>, b1: UnsafePointer<Float>, b2: UnsafePointer<Float>, b3: UnsafePointer<Float>,
                             count: Int, c: UnsafeMutablePointer<Float>, cRowStride: Int, accumulate: Bool) {
    typealias Vector = SIMD16<Float>
    var z = rowDotAccumulators4x4(a0, a1, a2, a3, b0, b1, b2, b3, count: count)
    @inline(__always) func deinterleaved(_ z: Accumulators) -> Accumulators {
        let (p0, p1) = (SIMD32(lowHalf: z.0, highHalf: z.1), SIMD32(lowHalf: z.2, highHalf: z.3))
        let (p2, p3) = (SIMD32(lowHalf: z.4, highHalf: z.5), SIMD32(lowHalf: z.6, highHalf: z.7))
        return (p0.evenHalf, p1.evenHalf, p2.evenHalf, p3.evenHalf, p0.oddHalf, p1.oddHalf, p2.oddHalf, p3.oddHalf)
    }
    z = deinterleaved(deinterleaved(deinterleaved(z)))
    // z.l now holds lane l of the 16 products, product (i, j) in lane 4·i + j.
    var sums = Vector(repeating: -0.0) + z.0
    sums += z.1; sums += z.2; sums += z.3; sums += z.4; sums += z.5; sums += z.6; sums += z.7
    @inline(__always) func store(_ i: Int, _ values: SIMD4<Float>) {
        let row = UnsafeMutableRawPointer(c + i * cRowStride)
        row.storeBytes(of: accumulate ? row.loadUnaligned(as: SIMD4<Float>.self) + values : values, as: SIMD4<Float>.self)
    }
    store(0, sums.lowHalf.lowHalf); store(1, sums.lowHalf.highHalf); store(2, sums.highHalf.lowHalf); store(3, sums.highHalf.highHalf)
}
