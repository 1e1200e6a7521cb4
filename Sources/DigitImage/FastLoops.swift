// FastLoops.swift — the min/max reductions the pipeline runs over every pixel, unrolled by hand.
//
// A Float min/max loop does not vectorize on its own (the compiler must keep NaN order), and one running
// value is a chain of dependent compares; four independent lanes run ~3× faster. Inputs should be finite.

/// The smallest and largest of `count` values at `start`, starting from `initial` (returned for count 0).
@inline(__always)
func fastMinMax(_ start: UnsafePointer<Float>, count: Int, initial: Float) -> (min: Float, max: Float) {
    var low0 = initial, low1 = initial, low2 = initial, low3 = initial
    var high0 = initial, high1 = initial, high2 = initial, high3 = initial
    var index = 0
    while index + 4 <= count {
        let a = start[index], b = start[index + 1], c = start[index + 2], d = start[index + 3]
        low0 = a < low0 ? a : low0; high0 = a > high0 ? a : high0
        low1 = b < low1 ? b : low1; high1 = b > high1 ? b : high1
        low2 = c < low2 ? c : low2; high2 = c > high2 ? c : high2
        low3 = d < low3 ? d : low3; high3 = d > high3 ? d : high3
        index += 4
    }
    while index < count {
        let a = start[index]
        low0 = a < low0 ? a : low0; high0 = a > high0 ? a : high0
        index += 1
    }
    return (min(min(low0, low1), min(low2, low3)), max(max(high0, high1), max(high2, high3)))
}

/// The largest of `count` values at `start`, or `initial` when all are smaller (or count is 0).
@inline(__always)
func fastMaximum(_ start: UnsafePointer<Float>, count: Int, initial: Float) -> Float {
    var high0 = initial, high1 = initial, high2 = initial, high3 = initial
    var index = 0
    while index + 4 <= count {
        let a = start[index], b = start[index + 1], c = start[index + 2], d = start[index + 3]
        high0 = a > high0 ? a : high0
        high1 = b > high1 ? b : high1
        high2 = c > high2 ? c : high2
        high3 = d > high3 ? d : high3
        index += 4
    }
    while index < count {
        high0 = start[index] > high0 ? start[index] : high0
        index += 1
    }
    return max(max(high0, high1), max(high2, high3))
}
