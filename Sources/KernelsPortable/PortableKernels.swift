// PortableKernels.swift — the matrix-multiply micro-kernel that runs on any CPU: plain loops, compiled with
// no target flags (see Package.swift). On arm64 the compiler turns them into NEON code; on an x86-64 CPU
// without AVX2 they run slowly, but they run (`KernelFamily.portable`, chosen at run time).
//
// Same contract and same order of operations as the vector kernels: every element of C is
// Σ_p a[p·6 + r]·B[p, j], summed in order of p by fused multiply-adds (`addingProduct`), so all the
// families give the same bits.

/// C[0..<6, 0..<16] (=|+=) Σ_p a[p·6 + r] · b[p·bRowStride + j], one element at a time.
public func portableMicroKernel6x16(depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, bRowStride: Int,
                                    c: UnsafeMutablePointer<Float>, cRowStride: Int, addToC: Bool) {
    withUnsafeTemporaryAllocation(of: Float.self, capacity: 6 * 16) { tile in
        tile.initialize(repeating: 0)
        for p in 0..<depth {
            let bRow = b + p * bRowStride
            let aStep = a + p * 6
            for r in 0..<6 {
                let value = aStep[r]
                for j in 0..<16 { tile[r * 16 + j] = tile[r * 16 + j].addingProduct(value, bRow[j]) }
            }
        }
        for r in 0..<6 {
            for j in 0..<16 {
                let target = c + r * cRowStride + j
                target.pointee = addToC ? target.pointee + tile[r * 16 + j] : tile[r * 16 + j]
            }
        }
    }
}

/// Runs `iterations` steps of 12 independent scalar fused multiply-adds (24 floating-point operations per
/// step): the peak of this family. Returns a value that depends on every step.
public func portablePeakLoop(iterations: Int, seed: Float) -> Float {
    let (x, y): (Float, Float) = (1 + seed, 1e-7)
    var (s0, s1, s2, s3, s4, s5): (Float, Float, Float, Float, Float, Float) = (0, 0, 0, 0, 0, 0)
    var (s6, s7, s8, s9, s10, s11): (Float, Float, Float, Float, Float, Float) = (0, 0, 0, 0, 0, 0)
    for _ in 0..<iterations {
        s0.addProduct(x, y); s1.addProduct(x, y); s2.addProduct(x, y); s3.addProduct(x, y)
        s4.addProduct(x, y); s5.addProduct(x, y); s6.addProduct(x, y); s7.addProduct(x, y)
        s8.addProduct(x, y); s9.addProduct(x, y); s10.addProduct(x, y); s11.addProduct(x, y)
    }
    return s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7 + s8 + s9 + s10 + s11
}
