// RandomGenerator.swift — the engine's only source of randomness: a seeded xoshiro256** generator.
//
// Every random choice (initial weights, shuffling, dropout masks) draws from a generator that is
// created from a seed and passed in explicitly, so the same seed gives the same network bit for bit.

/// xoshiro256** (Blackman & Vigna), seeded through SplitMix64. Fast, 256-bit state, and its state can be
/// saved in a checkpoint and restored exactly.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable {
    /// The four state words; save them to resume the exact sequence.
    public private(set) var state: (UInt64, UInt64, UInt64, UInt64)

    public static func == (a: SeededGenerator, b: SeededGenerator) -> Bool {
        a.state == b.state
    }

    /// A generator for `seed`. Different `stream` values give independent sequences for the same seed,
    /// so that e.g. the shuffling of epoch 7 can be recreated without replaying everything before it.
    public init(seed: UInt64, stream: UInt64 = 0) {
        var mix = seed ^ (stream &* 0x9E37_79B9_7F4A_7C15)
        func splitMix() -> UInt64 {
            mix &+= 0x9E37_79B9_7F4A_7C15
            var z = mix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    /// Restores a generator from saved state words (not all zero).
    public init(state: [UInt64]) {
        precondition(state.count == 4 && state.contains { $0 != 0 }, "generator state must be 4 words, not all zero")
        self.state = (state[0], state[1], state[2], state[3])
    }

    /// The state as an array, for saving.
    public var stateWords: [UInt64] { [state.0, state.1, state.2, state.3] }

    @inlinable static func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    public mutating func next() -> UInt64 {
        let result = Self.rotateLeft(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = Self.rotateLeft(state.3, 45)
        return result
    }

    /// A uniform Float in [0, 1) with 24 random bits.
    @inlinable public mutating func nextUnitFloat() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// A standard normal sample (mean 0, variance 1) by the Box–Muller transform, computed in Double.
    public mutating func nextNormal() -> Double {
        let u1 = (Double(next() >> 11) + 1) * (1.0 / 9_007_199_254_740_993.0)  // (0, 1]
        let u2 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        return (-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2)
    }

    /// A uniformly random permutation of `0..<count` (Fisher–Yates).
    public mutating func permutation(_ count: Int) -> [Int] {
        var order = Array(0..<count)
        if count > 1 {
            for i in stride(from: count - 1, to: 0, by: -1) {
                let j = Int(next().multipliedFullWidth(by: UInt64(i + 1)).high)  // Lemire: no modulo bias worth naming
                order.swapAt(i, j)
            }
        }
        return order
    }
}

// Plain libm functions without importing Foundation.
#if canImport(Glibc)
import Glibc
@inlinable func _log(_ x: Double) -> Double { Glibc.log(x) }
@inlinable func _cos(_ x: Double) -> Double { Glibc.cos(x) }
#elseif canImport(Darwin)
import Darwin
@inlinable func _log(_ x: Double) -> Double { Darwin.log(x) }
@inlinable func _cos(_ x: Double) -> Double { Darwin.cos(x) }
#endif
