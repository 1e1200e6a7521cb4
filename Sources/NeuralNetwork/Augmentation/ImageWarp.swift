// ImageWarp.swift — resampling of square grayscale images: affine warps, elastic distortion, stroke thickness.
//
// Pure functions over caller-owned Float buffers of side × side pixels (row-major, 0–1, ink = high
// values, background 0). Scratch space is a per-call temporary allocation (on the stack when small), so
// any number of threads may call these at once.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A normalized, truncated 1-D Gaussian: weights w[k] ∝ exp(−(k − r)² / 2σ²) for k = 0…2r, r = ⌈3σ⌉,
/// scaled so that Σ w = 1. Compute it once per σ and reuse it for every image.
public struct GaussianKernel: Sendable, Equatable {
    /// The standard deviation σ in pixels.
    public let sigma: Float
    /// Half-width r = ⌈3σ⌉ (at least 1).
    public let radius: Int
    /// The 2r + 1 weights, summing to 1.
    public let weights: [Float]

    public init(sigma: Float) {
        precondition(sigma > 0 && sigma.isFinite, "Gaussian sigma must be positive, not \(sigma)")
        self.sigma = sigma
        radius = max(1, Int((3 * sigma).rounded(.up)))
        let raw = (-radius...radius).map { k in exp(-Double(k * k) / (2 * Double(sigma) * Double(sigma))) }
        let total = raw.reduce(0, +)
        weights = raw.map { Float($0 / total) }
    }
}

/// Image resampling functions. Every `source` and `output` is `side × side` Floats, row-major, and they
/// must not overlap. Pixel (row r, column c) sits at position (x = c, y = r); positions between pixel
/// centres are read by bilinear interpolation, and everything outside the image reads as 0. `affine` and
/// `elastic` work 8 columns at a time (SIMD8) and need side ≥ 8.
public enum ImageWarp {
    /// Warps `source` by `transform` (see `AffineTransform` for its centred coordinates): each output pixel
    /// p takes the source value at transform⁻¹(p), bilinearly interpolated. The identity transform (and any
    /// map sending pixel centres to pixel centres, e.g. whole-pixel shifts, 90° turns) copies values exactly.
    public static func affine(_ source: UnsafePointer<Float>, side: Int, transform: AffineTransform,
                              into output: UnsafeMutablePointer<Float>) {
        precondition(side >= 8, "image side must be at least 8")
        let inverse = transform.inverse
        let centre = Float(side - 1) / 2
        withPadded(source, side: side) { padded in
            for row in 0..<side {
                let y = Float(row) - centre
                // The parts of the source position that depend only on the row.
                let baseX = inverse.b * y + inverse.tx + centre
                let baseY = inverse.d * y + inverse.ty + centre
                forEachChunk(side) { column in
                    let x = lanes + Float(column) - centre
                    store(sample(padded, side: side, x: inverse.a * x + baseX, y: inverse.c * x + baseY),
                          output + row * side + column)
                }
            }
        }
    }

    /// Elastic distortion (Simard, Steinkraus & Platt 2003). Two displacement fields dx, dy get one uniform
    /// value in [−1, 1) per pixel, are smoothed with the Gaussian `kernel` (separable, zero outside the
    /// image) and multiplied by `alpha` (pixels); then output(x, y) = source(x + dx(x, y), y + dy(x, y)),
    /// bilinearly interpolated.
    ///
    /// Random draws: one `generator.next()` word per pixel, in row-major order; its bits 40–63 and 8–31
    /// are two 24-bit uniforms u, v, and the raw fields are dx = 2u/2²⁴ − 1, dy = 2v/2²⁴ − 1.
    /// With `alpha == 0` nothing is drawn and the source is copied exactly.
    public static func elastic(_ source: UnsafePointer<Float>, side: Int, alpha: Float, kernel: GaussianKernel,
                               generator: inout SeededGenerator, into output: UnsafeMutablePointer<Float>) {
        precondition(side >= 8, "image side must be at least 8")
        let count = side * side
        guard alpha != 0 else {
            output.update(from: source, count: count)
            return
        }
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 4 * count) { scratch in
            let dx = scratch.baseAddress!, dy = dx + count, temporary = dx + 2 * count
            for i in 0..<count {
                let bits = generator.next()
                dx[i] = Float(bits >> 40) * (2.0 / 16_777_216.0) - 1
                dy[i] = Float((bits >> 8) & 0xFF_FFFF) * (2.0 / 16_777_216.0) - 1
            }
            kernel.weights.withUnsafeBufferPointer { weights in
                smooth(dx, dy, side: side, weights: weights.baseAddress!, radius: kernel.radius, temporary: temporary)
            }
            withPadded(source, side: side) { padded in
                for row in 0..<side {
                    forEachChunk(side) { column in
                        let i = row * side + column
                        store(sample(padded, side: side, x: lanes + Float(column) + alpha * load(dx + i),
                                     y: Float(row) + alpha * load(dy + i)), output + i)
                    }
                }
            }
        }
    }

    /// `elastic` with a Gaussian of standard deviation `sigma` built for this call; prefer building a
    /// `GaussianKernel` once when warping many images.
    public static func elastic(_ source: UnsafePointer<Float>, side: Int, alpha: Float, sigma: Float,
                               generator: inout SeededGenerator, into output: UnsafeMutablePointer<Float>) {
        elastic(source, side: side, alpha: alpha, kernel: GaussianKernel(sigma: sigma), generator: &generator,
                into: output)
    }

    /// Makes strokes thicker or thinner by `amount` t in [−1, 1], using the 3 × 3 plus-shaped (cross)
    /// neighbourhood N(p) = {p, up, down, left, right}, with pixels outside the image counting as 0:
    ///
    ///     t > 0:  out = x + t·(max over N(p) − x)      (grayscale dilation, blended)
    ///     t < 0:  out = x + |t|·(min over N(p) − x)    (grayscale erosion, blended)
    ///
    /// t = 0 copies exactly. t = +1 grows a single pixel into a plus; t = −1 removes 1-pixel-wide lines.
    public static func thickness(_ source: UnsafePointer<Float>, side: Int, amount: Float,
                                 into output: UnsafeMutablePointer<Float>) {
        guard amount != 0 else {
            output.update(from: source, count: side * side)
            return
        }
        let weight = abs(amount)
        withPadded(source, side: side) { padded in
            let stride = side + 3
            for row in 0..<side {
                let centre = padded + (row + 1) * stride + 1, target = output + row * side
                let up = centre - stride, down = centre + stride, left = centre - 1, right = centre + 1
                // Two branch-free loops over the row (they vectorize), rather than a test per pixel.
                if amount > 0 {
                    for c in 0..<side {
                        let x = centre[c], extreme = max(max(x, up[c]), max(down[c], max(left[c], right[c])))
                        target[c] = x + weight * (extreme - x)
                    }
                } else {
                    for c in 0..<side {
                        let x = centre[c], extreme = min(min(x, up[c]), min(down[c], min(left[c], right[c])))
                        target[c] = x + weight * (extreme - x)
                    }
                }
            }
        }
    }

    /// Runs `body` with a copy of the image inside a zero border, 1 pixel wide at the top and left and
    /// 2 at the bottom and right: (side + 3)² values, pixel (r, c) at (r + 1)·(side + 3) + c + 1.
    /// The border lets `sample` read any position in [−1, side], and `thickness` every pixel's four
    /// neighbours, without bounds checks.
    @inline(__always)
    static func withPadded(_ image: UnsafePointer<Float>, side: Int, _ body: (UnsafePointer<Float>) -> Void) {
        let stride = side + 3
        withUnsafeTemporaryAllocation(of: Float.self, capacity: stride * stride) { buffer in
            let padded = buffer.baseAddress!
            padded.initialize(repeating: 0, count: stride * stride)
            for row in 0..<side {
                (padded + (row + 1) * stride + 1).update(from: image + row * side, count: side)
            }
            body(padded)
        }
    }

    /// The bilinear interpolation at 8 positions (x = column, y = row) of an image padded by `withPadded`;
    /// 0 outside the image. Positions are clamped to [−1, side], where only border zeros are read.
    /// Written as nested lerps v₀ + f·(v₁ − v₀), so integer positions return the pixel exactly and values
    /// in [0, 1] stay in [0, 1].
    @inline(__always)
    static func sample(_ padded: UnsafePointer<Float>, side: Int, x: SIMD8<Float>, y: SIMD8<Float>) -> SIMD8<Float> {
        let low = SIMD8<Float>(repeating: -1), high = SIMD8<Float>(repeating: Float(side))
        // NaN fails `> −1` too, so it reads 0.
        var cx = x.replacing(with: low, where: .!(x .> low)), cy = y.replacing(with: low, where: .!(y .> low))
        cx.replace(with: high, where: cx .> high)
        cy.replace(with: high, where: cy .> high)
        let x0 = cx.rounded(.down), y0 = cy.rounded(.down)
        let fx = cx - x0, fy = cy - y0
        let stride = side + 3
        let offsets = (y0 + 1) * Float(stride) + (x0 + 1)   // exact: far below 2²⁴
        var v00 = SIMD8<Float>(), v01 = SIMD8<Float>(), v10 = SIMD8<Float>(), v11 = SIMD8<Float>()
        for lane in 0..<8 {
            let p = padded + Int(offsets[lane])
            (v00[lane], v01[lane], v10[lane], v11[lane]) = (p[0], p[1], p[stride], p[stride + 1])
        }
        let top = v00 + fx * (v01 - v00)
        let bottom = v10 + fx * (v11 - v10)
        return top + fy * (bottom - top)
    }

    /// 0, 1, …, 7: the column offsets of the lanes.
    static let lanes = SIMD8<Float>(0, 1, 2, 3, 4, 5, 6, 7)

    /// Calls `body` with the first columns of 8-wide chunks covering 0..<side (side ≥ 8): 0, 8, 16, …,
    /// and side − 8 last when side is not a multiple of 8 (that chunk recomputes a few columns, identically).
    @inline(__always)
    static func forEachChunk(_ side: Int, _ body: (Int) -> Void) {
        var column = 0
        while column < side {
            body(min(column, side - 8))
            column += 8
        }
    }

    @inline(__always) static func load(_ pointer: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always) static func store(_ values: SIMD8<Float>, _ pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: values, as: SIMD8<Float>.self)
    }

    /// Separable Gaussian smoothing of the side × side fields `a` and `b` in place, zero outside the image.
    /// Both passes combine whole rows (F ← G·F, which vectorizes), with a transpose after each:
    /// (G·(G·F)ᵀ)ᵀ = G·F·Gᵀ. `temporary` holds 2·side² values.
    static func smooth(_ a: UnsafeMutablePointer<Float>, _ b: UnsafeMutablePointer<Float>, side: Int,
                       weights: UnsafePointer<Float>, radius: Int, temporary: UnsafeMutablePointer<Float>) {
        let count = side * side
        for _ in 0..<2 {
            combineRows(a, b, side: side, weights: weights, radius: radius, into: temporary, temporary + count)
            for row in 0..<side {
                for column in 0..<side {
                    a[column * side + row] = temporary[row * side + column]
                    b[column * side + row] = temporary[count + row * side + column]
                }
            }
        }
    }

    /// output row r = Σₖ w[k] · input row (r + k − radius), over the rows inside the image, for two fields
    /// at once; 8 columns at a time, even and odd taps in separate registers (four independent sums).
    static func combineRows(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, side: Int,
                            weights: UnsafePointer<Float>, radius: Int,
                            into outputA: UnsafeMutablePointer<Float>, _ outputB: UnsafeMutablePointer<Float>) {
        for row in 0..<side {
            let first = max(0, radius - row), last = min(2 * radius, radius + side - 1 - row)
            forEachChunk(side) { column in
                var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), b0 = SIMD8<Float>(), b1 = SIMD8<Float>()
                var k = first, offset = (row + first - radius) * side + column
                while k < last {
                    let w0 = weights[k], w1 = weights[k + 1]
                    a0 += w0 * load(a + offset)
                    b0 += w0 * load(b + offset)
                    a1 += w1 * load(a + offset + side)
                    b1 += w1 * load(b + offset + side)
                    k += 2
                    offset += 2 * side
                }
                if k == last {
                    a0 += weights[k] * load(a + offset)
                    b0 += weights[k] * load(b + offset)
                }
                store(a0 + a1, outputA + row * side + column)
                store(b0 + b1, outputB + row * side + column)
            }
        }
    }
}
