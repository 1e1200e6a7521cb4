// GrayImage+Centering.swift — step 7: place the fitted digit in the 28×28 frame by its center of mass.
//
// MNIST centred each 20×20 digit in a 28×28 field by its center of mass. The shift is a whole number of
// pixels by default (crisp, within 0.5 px of the target) or sub-pixel (bilinear, exact), never off the frame.

extension GrayImage {
    /// The ink-weighted mean position `(Σ v·x / Σ v, Σ v·y / Σ v)` in pixel-index coordinates: pixel
    /// `(x, y)` sits at `(x, y)`, so the middle of a 28-pixel frame is 13.5. Nil when the image holds no ink
    /// (Σ v ≤ 0).
    public func centerOfMass() -> (x: Float, y: Float)? {
        var total: Double = 0, sumX: Double = 0, sumY: Double = 0
        pixels.withUnsafeBufferPointer { source in
            for y in 0..<height {
                var rowTotal: Float = 0, rowX: Float = 0
                for x in 0..<width {
                    let value = source[y * width + x]
                    rowTotal += value
                    rowX += value * Float(x)
                }
                total += Double(rowTotal)
                sumX += Double(rowX)
                sumY += Double(rowTotal) * Double(y)
            }
        }
        guard total > 0, total.isFinite else { return nil }
        return (Float(sumX / total), Float(sumY / total))
    }

    /// Places `self` in a `side × side` frame (MNIST: 28) so that its center of mass lands on
    /// `(target, target)`, `target` defaulting to `side / 2` (14 for 28 — MNIST's convention as reproduced by
    /// `scipy.ndimage.center_of_mass`, in pixel-index coordinates).
    ///
    /// The offset is `d = target − centerOfMass`, clamped per axis to `[0, side − width]` (resp. height) so
    /// that no ink leaves the frame (only then can the center of mass miss the target by more).
    /// - `subpixel == false` (the default): `d` is rounded to whole pixels, as MNIST reproductions do
    ///   (`round(14 − cy)`); strokes stay crisp, an already centred digit is not moved at all, and the
    ///   center of mass lands within 0.5 px of the target.
    /// - `subpixel == true`: input pixel `(x, y)` spreads over the four output pixels around
    ///   `(x + dx, y + dy)` with bilinear weights `(1−fx)(1−fy)`, `fx(1−fy)`, …, `fx`, `fy` the fractional
    ///   parts: the center of mass lands exactly on the target, at the price of a slight blur.
    ///
    /// Total ink is kept. An image without ink is placed at the top-left corner.
    public func placed(inFrame side: Int = 28, centerOfMassAt target: Float? = nil, subpixel: Bool = false) -> GrayImage {
        guard side > 0 else { return GrayImage(width: 0, height: 0) }
        var output = [Float](repeating: 0, count: side * side)
        guard width > 0, height > 0 else { return GrayImage(width: side, height: side, pixels: output) }
        let goal = target ?? Float(side) / 2
        let center = centerOfMass() ?? (x: goal, y: goal)
        func offset(_ wanted: Float, extent: Int) -> Float {
            let low = Float(min(0, side - extent)), high = Float(max(0, side - extent))
            return wanted.isFinite ? min(max(wanted, low), high) : low
        }
        // Clamped first, so |d| ≤ side and the integer conversions below cannot trap; the bounds are whole
        // numbers, so rounding keeps d inside them.
        func round(_ value: Float) -> Float { Float(Int(value + (value < 0 ? -0.5 : 0.5))) }
        var dx = offset(goal - center.x, extent: width), dy = offset(goal - center.y, extent: height)
        if !subpixel { dx = round(dx); dy = round(dy) }
        // ⌊d⌋ by hand (|d| ≤ side): `rounded(.down)` calls libm's floorf, which DigitImage alone does not link.
        func floor(_ value: Float) -> Int { let whole = Int(value); return Float(whole) > value ? whole - 1 : whole }
        let shiftX = floor(dx), shiftY = floor(dy)
        let fractionX = dx - Float(shiftX), fractionY = dy - Float(shiftY)
        let corner: [(Int, Int, Float)] = [
            (0, 0, (1 - fractionX) * (1 - fractionY)), (1, 0, fractionX * (1 - fractionY)),
            (0, 1, (1 - fractionX) * fractionY), (1, 1, fractionX * fractionY),
        ]
        pixels.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                for (cornerX, cornerY, weight) in corner where weight > 0 {
                    for y in 0..<height {
                        let outY = y + shiftY + cornerY
                        if outY < 0 || outY >= side { continue }
                        for x in 0..<width {
                            let outX = x + shiftX + cornerX
                            if outX < 0 || outX >= side { continue }
                            target[outY * side + outX] += weight * source[y * width + x]
                        }
                    }
                }
            }
        }
        return GrayImage(width: side, height: side, pixels: output)
    }

    /// `self` divided by its maximum, so the strongest ink is exactly 1 (MNIST strokes saturate at 255);
    /// values are clamped to [0, 1]. An image without ink is returned unchanged.
    public func scaledToUnitMaximum() -> GrayImage {
        let largest = maximum
        guard largest > 0 else { return self }
        var output = pixels
        output.withUnsafeMutableBufferPointer { values in
            for index in 0..<values.count {
                let value = values[index] / largest  // division, so the maximum becomes exactly 1
                values[index] = value > 0 ? min(value, 1) : 0
            }
        }
        return GrayImage(width: width, height: height, pixels: output)
    }
}
