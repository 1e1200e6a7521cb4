// KernelFamily.swift — which compute kernels run: one family per vector width, chosen once at start from what
// the CPU can run (or forced with DIGITS_KERNELS=avx512|avx2|portable).
//
// | family     | vector  | where it is compiled                                   | runs on                      |
// |------------|---------|--------------------------------------------------------|------------------------------|
// | `avx512`   | 16 × f32 | KernelsAVX512 (-mavx512f -mavx512vl)                   | x86-64 with AVX-512          |
// | `avx2`     | 8 × f32  | NeuralNetwork itself (-mavx2 -mfma)                    | x86-64 with AVX2 + FMA       |
// | `portable` | scalar   | KernelsPortable (no target flags)                      | any CPU (NEON on arm64)      |
//
// Today the families differ in the matrix-multiply micro-kernel, the operation that dominates training. All
// three compute every element of C as the same chain of fused multiply-adds in the same order, so a seed
// trains the same weights, bit for bit, whichever family runs (tests check it).

import CPUFeatures
import KernelsAVX512
import KernelsPortable

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A family of compute kernels for one vector width.
public enum KernelFamily: String, Sendable, CaseIterable, CustomStringConvertible {
    case avx512, avx2, portable

    public var description: String { rawValue }

    /// Floats per vector instruction.
    public var vectorWidth: Int {
        switch self {
        case .avx512: return 16
        case .avx2: return 8
        case .portable: return 1
        }
    }

    /// Whether this CPU can run the family's instructions.
    public var isSupported: Bool {
        switch self {
        case .avx512: return digits_cpu_has_avx512() != 0
        case .avx2: return digits_cpu_has_avx2_fma() != 0
        case .portable: return true
        }
    }

    /// The widest family this CPU runs.
    public static var widestSupported: KernelFamily { allCases.first { $0.isSupported } ?? .portable }

    /// The family the kernels use, chosen once: `DIGITS_KERNELS` when set to a family this CPU runs, else the
    /// widest it runs.
    public static var selected: KernelFamily { selection.family }

    /// The choice and, when `DIGITS_KERNELS` asked for something else, why it was not followed (commands print it).
    public static let selection: (family: KernelFamily, note: String?) = choose(requested: getenv("DIGITS_KERNELS").map { String(cString: $0) })

    /// The family for a `DIGITS_KERNELS` value (nil or empty: the widest supported), and a note when the value
    /// names no family or one this CPU cannot run.
    public static func choose(requested: String?) -> (family: KernelFamily, note: String?) {
        let widest = widestSupported
        guard let requested, !requested.isEmpty else { return (widest, nil) }
        guard let family = KernelFamily(rawValue: requested.lowercased()) else {
            return (widest, "DIGITS_KERNELS=\(requested) names no kernel family (avx512, avx2 or portable); using \(widest)")
        }
        guard family.isSupported else {
            return (widest, "DIGITS_KERNELS=\(requested): this CPU cannot run \(family) instructions; using \(widest)")
        }
        return (family, nil)
    }

    /// The CPU's name from CPUID ("AMD EPYC …"), or "" when it has none.
    public static var cpuBrand: String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer in
            digits_cpu_brand(buffer.baseAddress!, 64)
            return String(cString: buffer.baseAddress!)
        }
    }

    /// Floating-point operations per step of `peakLoop` (12 independent fused multiply-adds of one vector).
    public var peakLoopOperations: Int { 12 * 2 * vectorWidth }

    /// Runs the family's register-only loop of fused multiply-adds for `iterations` steps: its peak, measured.
    /// Only for a family this CPU runs.
    public func peakLoop(iterations: Int, seed: Float) -> Float {
        precondition(isSupported, "the CPU cannot run \(self) instructions")
        switch self {
        case .avx512: return avx512PeakLoop(iterations: iterations, seed: seed)
        case .avx2: return avx2PeakLoop(iterations: iterations, seed: seed)
        case .portable: return portablePeakLoop(iterations: iterations, seed: seed)
        }
    }
}

/// The AVX2 family's peak loop: 12 independent 8-float fused multiply-adds per step (192 operations).
func avx2PeakLoop(iterations: Int, seed: Float) -> Float {
    typealias Vector = SIMD8<Float>
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

/// The 6×16 micro-kernel of `family` (see MatrixMultiplyKernel.swift for the contract).
@inline(__always)
func microKernel6x16(_ family: KernelFamily, depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, bRowStride: Int,
                     c: UnsafeMutablePointer<Float>, cRowStride: Int, addToC: Bool) {
    switch family {
    case .avx512: avx512MicroKernel6x16(depth: depth, a: a, b: b, bRowStride: bRowStride, c: c, cRowStride: cRowStride, addToC: addToC)
    case .avx2: microKernel6x16(depth: depth, a: a, b: b, bRowStride: bRowStride, c: c, cRowStride: cRowStride, addToC: addToC)
    case .portable: portableMicroKernel6x16(depth: depth, a: a, b: b, bRowStride: bRowStride, c: c, cRowStride: cRowStride, addToC: addToC)
    }
}
