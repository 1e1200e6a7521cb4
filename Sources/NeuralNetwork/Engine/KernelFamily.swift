// KernelFamily.swift — which compute kernels run: one family per vector width, chosen once at start from what
// the CPU can run (or forced with DIGITS_KERNELS=avx512|avx2|portable).
//
// | family     | vector  | where it is compiled                                   | runs on                      |
// |------------|---------|--------------------------------------------------------|------------------------------|
// | `avx512`   | 16 × f32 | KernelsAVX512 (-mavx512f -mavx512vl)                   | x86-64 with AVX-512          |
// | `avx2`     | 8 × f32  | KernelsAVX2 (-mavx2 -mfma)                             | x86-64 with AVX2 + FMA       |
// | `portable` | scalar   | KernelsPortable (no target flags)                      | any CPU (NEON on arm64)      |
//
// Each family has its own matrix-multiply micro-kernels and runs a compiled copy of the loops that are
// written once in KernelLoops (Winograd's tile transforms, dot products of rows, ReLU, the optimizer updates,
// the transposing copies of packing), reached through `loops`: the AVX2 copy for AVX-512 and AVX2, the
// portable copy for portable. NeuralNetwork itself is compiled without target flags, so on a CPU without AVX2
// only portable code runs. All three compute every element of C as the same chain of fused multiply-adds in
// the same order, and the loops perform the same operations lane for lane, so a seed trains the same weights,
// bit for bit, whichever family runs (tests check it).

import CPUFeatures
import KernelLoops
import KernelsAVX2
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

    /// The family's compiled copy of the loops (the AVX-512 family runs the AVX2 copy, see KernelFamilyLoops.swift).
    /// Never inlined: callers must reach the loops through the protocol, so that each runs the copy compiled in
    /// its target with its flags, not one compiled into `NeuralNetwork`.
    @inline(never)
    var loops: any KernelFamilyLoops.Type {
        switch self {
        case .avx512, .avx2: return AVX2Loops.self
        case .portable: return PortableLoops.self
        }
    }

    /// The 4×4 dot-product blocks that `rowDotProducts` uses, for the family that has them.
    var fourRowDots: (any FourRowDots.Type)? { self == .avx512 ? AVX512RowDots.self : nil }

    /// The family's 6×16 micro-kernel (see MatrixMultiplyKernel.swift for the contract).
    @inline(__always)
    func microKernel6x16(depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, bRowStride: Int,
                         c: UnsafeMutablePointer<Float>, cRowStride: Int, addToC: Bool) {
        switch self {
        case .avx512: avx512MicroKernel6x16(depth: depth, a: a, b: b, bRowStride: bRowStride, c: c, cRowStride: cRowStride, addToC: addToC)
        case .avx2: avx2MicroKernel6x16(depth: depth, a: a, b: b, bRowStride: bRowStride, c: c, cRowStride: cRowStride, addToC: addToC)
        case .portable: portableMicroKernel6x16(depth: depth, a: a, b: b, bRowStride: bRowStride, c: c, cRowStride: cRowStride, addToC: addToC)
        }
    }
}

