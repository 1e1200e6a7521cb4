// GrayImage+Blur.swift — step 3: separable Gaussian smoothing.
//
// Smooths paper texture and sensor noise before the threshold, and rounds jagged strokes. Outside the image
// counts as 0 (paper), so ink near an edge loses a little of its mass rather than being mirrored.

extension GrayImage {
    /// The 1-D Gaussian kernel `w[i] = exp(−(i − r)² / (2σ²)) / Σ`, `i` in `0...2r`, radius `r = ⌈3σ⌉`
    /// (capped at `maxRadius`), normalized so the weights sum to 1. `σ ≤ 0` (or NaN) gives `[1]`, the identity.
    /// Example: σ = 1 → 7 taps ≈ [0.004, 0.054, 0.242, 0.399, 0.242, 0.054, 0.004].
    public static func gaussianKernel(sigma: Float, maxRadius: Int = 1 << 12) -> [Float] {
        guard sigma > 0, sigma.isFinite else { return [1] }
        // ⌈3σ⌉ by hand: `rounded(.up)` calls libm's ceilf, which a binary without Foundation may not link.
        let reach = min(3 * sigma, Float(max(maxRadius, 0)))
        let whole = Int(reach)
        let radius = Float(whole) < reach ? whole + 1 : whole
        var weights = [Float](repeating: 0, count: 2 * radius + 1)
        var total: Float = 0
        for index in 0..<weights.count {
            let offset = Float(index - radius)
            let weight = (-(offset * offset) / (2 * sigma * sigma)).exponential
            weights[index] = weight
            total += weight
        }
        for index in 0..<weights.count { weights[index] /= total }
        return weights
    }

    /// Gaussian blur with standard deviation `sigma` pixels: a horizontal then a vertical pass of
    /// `gaussianKernel(sigma:)`, zero padding outside. Same shape as `self`. Away from the edges the total
    /// ink is preserved (the kernel sums to 1) and a single lit pixel becomes a symmetric bell.
    /// Cost: 2 × (2r + 1) multiply-adds per pixel of the ink's box (`inkBoundingBox()`, the pixels above 0;
    /// pixels are never negative, see `GrayImage`) grown by r: outside it every window holds only zeros, so
    /// the output is 0 there without being summed (a canvas drawing fills about half of its canvas). Inside
    /// it, every output is summed tap by tap in the same order as over the whole image, so the result is the
    /// same bit for bit.
    public func gaussianBlurred(sigma: Float) -> GrayImage {
        let kernel = GrayImage.gaussianKernel(sigma: sigma, maxRadius: max(width, height))
        guard kernel.count > 1, width > 0, height > 0 else { return self }
        let radius = kernel.count / 2
        let width = self.width, height = self.height
        guard let ink = inkBoundingBox() else { return GrayImage(width: width, height: height, value: 0) }
        let inkRows = ink.y..<(ink.y + ink.height)
        // Outputs that can be non-zero: rows and columns within `radius` of the box.
        let columns = max(0, ink.x - radius)..<min(width, ink.x + ink.width + radius)
        let rows = max(0, ink.y - radius)..<min(height, ink.y + ink.height + radius)
        var horizontal = [Float](repeating: 0, count: pixels.count)
        var output = [Float](repeating: 0, count: pixels.count)
        kernel.withUnsafeBufferPointer { weights in
            pixels.withUnsafeBufferPointer { source in
                horizontal.withUnsafeMutableBufferPointer { middle in
                    // Horizontal: middle[y][x] = Σ_t w[t] · source[y][x + t − r], for x + t − r inside the row.
                    // Rows without ink stay 0.
                    for y in inkRows {
                        let row = y * width
                        let input = source.baseAddress! + row, output = middle.baseAddress! + row
                        for tap in 0..<weights.count {
                            let offset = tap - radius
                            let weight = weights[tap]
                            let first = max(columns.lowerBound, -offset), end = min(columns.upperBound, width - offset)
                            if first >= end { continue }
                            let shifted = input + offset
                            // Pointer indexing, no checked index arithmetic: this loop vectorizes.
                            for x in first..<end { output[x] += weight * shifted[x] }
                        }
                    }
                }
            }
            horizontal.withUnsafeBufferPointer { middle in
                output.withUnsafeMutableBufferPointer { target in
                    // Vertical: target[y][x] = Σ_t w[t] · middle[y + t − r][x], a row's span at a time.
                    for y in rows {
                        let output = target.baseAddress! + y * width
                        for tap in 0..<weights.count {
                            let sourceY = y + tap - radius
                            if sourceY < 0 || sourceY >= height { continue }
                            let weight = weights[tap]
                            let input = middle.baseAddress! + sourceY * width
                            for x in columns { output[x] += weight * input[x] }
                        }
                    }
                }
            }
        }
        return GrayImage(width: width, height: height, pixels: output)
    }
}

extension Float {
    /// `e^self`, without Foundation.
    var exponential: Float {
        // exp(x) = 2^(x·log2 e); split into an integer power of two and a short polynomial on [−0.5, 0.5].
        if self < -87 { return 0 }
        if self > 88 { return .infinity }
        let scaled = Double(self) * 1.4426950408889634
        let whole = Double(Int(scaled + (scaled < 0 ? -0.5 : 0.5)))  // |scaled| < 130; no libm round()
        let fraction = (scaled - whole) * 0.6931471805599453
        var term = 1.0, sum = 1.0
        for n in 1...12 {
            term *= fraction / Double(n)
            sum += term
        }
        return Float(sum * Double(sign: .plus, exponent: Int(whole), significand: 1))
    }
}
