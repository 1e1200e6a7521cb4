// GrayImage+Fit.swift — step 6: fit the cropped digit into a 20×20 box, keeping its aspect ratio.
//
// As in MNIST's preparation, the digit's longest side becomes 20 pixels with anti-aliasing: shrinking uses
// exact area coverage weights (each output pixel is the mean of the input area it covers), never nearest
// neighbour.

extension GrayImage {
    /// Resizes to `newWidth × newHeight`, separably (rows, then columns).
    ///
    /// Shrinking an axis from `n` to `m ≤ n` pixels is an exact area average: output pixel `j` covers the
    /// input interval `[j·n/m, (j+1)·n/m)`, and input pixel `i` weighs `|[i, i+1) ∩ that interval| · m/n`
    /// (weights are exact rationals, they sum to 1). Enlarging (`m > n`) interpolates linearly between the
    /// two input pixels nearest to the output pixel's centre `(j + ½)·n/m − ½` (edges clamp), because an
    /// area average would turn into blocky nearest neighbour there.
    public func resized(width newWidth: Int, height newHeight: Int) -> GrayImage {
        guard newWidth > 0, newHeight > 0 else { return GrayImage(width: max(0, newWidth), height: max(0, newHeight)) }
        guard width > 0, height > 0 else { return GrayImage(width: newWidth, height: newHeight) }
        if newWidth == width && newHeight == height { return self }
        let columns = ResampleAxis(from: width, to: newWidth)
        let rows = ResampleAxis(from: height, to: newHeight)
        let width = self.width, height = self.height
        var middle = [Float](repeating: 0, count: height * newWidth)  // height × newWidth
        var output = [Float](repeating: 0, count: newHeight * newWidth)
        pixels.withUnsafeBufferPointer { source in
            middle.withUnsafeMutableBufferPointer { target in
                columns.weights.withUnsafeBufferPointer { weights in
                    for y in 0..<height {
                        let sourceRow = y * width, targetRow = y * newWidth
                        for column in 0..<newWidth {
                            let first = columns.first[column], base = column * columns.taps
                            var sum: Float = 0
                            for tap in 0..<columns.count[column] { sum += weights[base + tap] * source[sourceRow + first + tap] }
                            target[targetRow + column] = sum
                        }
                    }
                }
            }
        }
        middle.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                for row in 0..<newHeight {
                    let targetRow = row * newWidth, base = row * rows.taps
                    for tap in 0..<rows.count[row] {
                        let weight = rows.weights[base + tap]
                        let sourceRow = (rows.first[row] + tap) * newWidth
                        for x in 0..<newWidth { target[targetRow + x] += weight * source[sourceRow + x] }
                    }
                }
            }
        }
        return GrayImage(width: newWidth, height: newHeight, pixels: output)
    }

    /// The size that fits `width × height` into a `side × side` box with the aspect ratio kept: the longest
    /// side becomes `side`, the other `max(1, round(other · side / longest))`. Example: 40×10 → 20×5.
    public static func fittedSize(width: Int, height: Int, side: Int) -> (width: Int, height: Int) {
        guard width > 0, height > 0, side > 0 else { return (0, 0) }
        if width >= height {
            return (side, max(1, (2 * height * side + width) / (2 * width)))
        }
        return (max(1, (2 * width * side + height) / (2 * height)), side)
    }

    /// Aspect-preserving, anti-aliased fit into a `side × side` box (MNIST: 20): the longest side becomes
    /// `side` (see `fittedSize`), resampled by `resized(width:height:)`. Shape: e.g. 40×10 → 20×5.
    public func fitted(longestSide side: Int = 20) -> GrayImage {
        let size = GrayImage.fittedSize(width: width, height: height, side: side)
        return resized(width: size.width, height: size.height)
    }
}

/// Resampling weights along one axis, `n` input pixels to `m` output pixels: output `j` reads inputs
/// `first[j] ..< first[j] + count[j]` with `weights[j·taps ..< j·taps + count[j]]`.
struct ResampleAxis {
    var first: [Int]
    var count: [Int]
    var weights: [Float]
    var taps: Int

    init(from n: Int, to m: Int) {
        first = [Int](repeating: 0, count: m)
        count = [Int](repeating: 0, count: m)
        if m <= n {
            // Output j covers [j·n/m, (j+1)·n/m); in units of 1/m every bound is an integer.
            taps = (n + m - 1) / m + 1
            weights = [Float](repeating: 0, count: m * taps)
            for j in 0..<m {
                let low = j * n, high = (j + 1) * n  // × 1/m
                let firstInput = low / m, lastInput = min(n - 1, (high - 1) / m)
                first[j] = firstInput
                count[j] = lastInput - firstInput + 1
                for i in firstInput...lastInput {
                    let overlap = min(high, (i + 1) * m) - max(low, i * m)  // × 1/m
                    weights[j * taps + i - firstInput] = Float(overlap) / Float(n)
                }
            }
        } else {
            taps = 2
            weights = [Float](repeating: 0, count: m * taps)
            for j in 0..<m {
                if n == 1 {
                    first[j] = 0; count[j] = 1; weights[j * taps] = 1
                    continue
                }
                let centre = min(max((Double(j) + 0.5) * Double(n) / Double(m) - 0.5, 0), Double(n - 1))
                let left = min(Int(centre), n - 2)
                let fraction = Float(centre - Double(left))
                first[j] = left; count[j] = 2
                weights[j * taps] = 1 - fraction
                weights[j * taps + 1] = fraction
            }
        }
    }
}
