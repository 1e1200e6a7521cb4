// RasterCanvas.swift — a `Canvas` that paints into an RGB pixel buffer, for PNG figures.
//
// Rectangles are filled pixel by pixel, lines are stepped along their longer axis with a square pen,
// and text is drawn with our 5×7 bitmap font (BitmapFont.swift) scaled by a whole number, so it stays
// crisp: a size-14 label is the font at scale 2.

import DigitsFiles

public struct RasterCanvas: Canvas {
    public private(set) var image: RGBImage
    public var width: Int { image.width }
    public var height: Int { image.height }

    public init(width: Int, height: Int) {
        image = RGBImage(width: width, height: height)
    }

    mutating func setPixel(_ x: Int, _ y: Int, _ color: Color) {
        guard x >= 0, y >= 0, x < image.width, y < image.height else { return }
        let i = 3 * (y * image.width + x)
        image.bytes[i] = color.red
        image.bytes[i + 1] = color.green
        image.bytes[i + 2] = color.blue
    }

    mutating func fill(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, _ color: Color) {   // [x0, x1) × [y0, y1)
        for y in max(y0, 0)..<min(max(y1, 0), image.height) {
            for x in max(x0, 0)..<min(max(x1, 0), image.width) { setPixel(x, y, color) }
        }
    }

    public mutating func rectangle(x: Double, y: Double, width: Double, height: Double, fill color: Color?, stroke: Color?) {
        let (x0, y0) = (Int(x.rounded()), Int(y.rounded()))
        let (x1, y1) = (Int((x + width).rounded()), Int((y + height).rounded()))
        if let color { fill(x0, y0, x1, y1, color) }
        if let stroke {
            fill(x0, y0, x1, y0 + 1, stroke); fill(x0, y1 - 1, x1, y1, stroke)
            fill(x0, y0, x0 + 1, y1, stroke); fill(x1 - 1, y0, x1, y1, stroke)
        }
    }

    public mutating func line(from start: (Double, Double), to end: (Double, Double), color: Color, width: Double) {
        let pen = max(1, Int(width.rounded()))
        let steps = max(Int(max(abs(end.0 - start.0), abs(end.1 - start.1)).rounded(.up)), 1)
        for step in 0...steps {
            let t = Double(step) / Double(steps)
            let x = Int((start.0 + (end.0 - start.0) * t).rounded()) - pen / 2
            let y = Int((start.1 + (end.1 - start.1) * t).rounded()) - pen / 2
            fill(x, y, x + pen, y + pen, color)
        }
    }

    public mutating func polyline(_ points: [(Double, Double)], color: Color, width: Double) {
        if points.count == 1 { line(from: points[0], to: points[0], color: color, width: width) }
        for (a, b) in zip(points, points.dropFirst()) { line(from: a, to: b, color: color, width: width) }
    }

    /// The whole-number scale at which the 7-row font has cap height close to `size`.
    static func fontScale(_ size: Double) -> Int { max(1, Int((size / Double(BitmapFont.glyphHeight)).rounded())) }

    public mutating func text(_ text: String, x: Double, y: Double, size: Double, color: Color, anchor: TextAnchor, bold: Bool, vertical: Bool) {
        let scale = Self.fontScale(size)
        let length = BitmapFont.width(of: text) * scale + (bold ? 1 : 0)
        let shift = switch anchor { case .start: 0; case .middle: length / 2; case .end: length }
        let (originX, originY) = (Int(x.rounded()), Int(y.rounded()))
        var advance = -shift
        for character in text {
            let rows = BitmapFont.rows(for: character)
            for (row, mask) in rows.enumerated() {
                for column in 0..<BitmapFont.glyphWidth where mask & (1 << (BitmapFont.glyphWidth - 1 - column)) != 0 {
                    // Glyph pixel (u, v), v = 0 on the top row, the baseline under the last row.
                    let u = advance + column * scale
                    let v = (row - BitmapFont.glyphHeight) * scale
                    for thicken in 0...(bold ? 1 : 0) {
                        if vertical {
                            fill(originX + v, originY - u - scale - thicken, originX + v + scale, originY - u - thicken, color)
                        } else {
                            fill(originX + u + thicken, originY + v, originX + u + scale + thicken, originY + v + scale, color)
                        }
                    }
                }
            }
            advance += (BitmapFont.glyphWidth + BitmapFont.spacing) * scale
        }
    }

    public mutating func image(_ source: RGBImage, x: Double, y: Double, width: Double, height: Double) {
        let (x0, y0) = (Int(x.rounded()), Int(y.rounded()))
        let (w, h) = (Int(width.rounded()), Int(height.rounded()))
        guard w > 0, h > 0, source.width > 0, source.height > 0 else { return }
        for row in 0..<h {
            for column in 0..<w {
                let (r, g, b) = source.pixel(x: column * source.width / w, y: row * source.height / h)
                setPixel(x0 + column, y0 + row, Color(r, g, b))
            }
        }
    }
}
