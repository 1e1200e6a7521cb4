// AVX512Kernels.swift — the matrix-multiply micro-kernels for CPUs with AVX-512 (16 floats per vector),
// compiled with -mavx512f (see Package.swift) and called only when the CPU runs AVX-512
// (`KernelFamily.avx512`, chosen at run time).
//
// Same contract as the AVX2 kernel in NeuralNetwork's MatrixMultiplyKernel.swift: every element of C is
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
