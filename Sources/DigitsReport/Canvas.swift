// Canvas.swift — the drawing surface every figure is drawn on, once, for both SVG and PNG output.
//
// A figure calls rectangle/line/polyline/text/image on a `Canvas`. `SVGCanvas` turns the calls into SVG
// elements; `RasterCanvas` paints them into an RGB pixel buffer with our bitmap font. The same drawing
// code therefore gives an SVG and a PNG with the same layout. Coordinates are in pixels, y pointing down.

import DigitsFiles

/// An opaque sRGB colour.
public struct Color: Sendable, Equatable {
    public var red: UInt8, green: UInt8, blue: UInt8

    public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) {
        (self.red, self.green, self.blue) = (red, green, blue)
    }

    /// `#rrggbb`.
    public var hex: String {
        let digits = Array("0123456789abcdef")
        return "#" + [red, green, blue].map { "\(digits[Int($0 >> 4)])\(digits[Int($0 & 15)])" }.joined()
    }

    /// The colour `t` (0…1) of the way from `self` to `other`.
    public func mixed(with other: Color, _ t: Double) -> Color {
        let t = min(max(t, 0), 1)
        func channel(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8((Double(a) + (Double(b) - Double(a)) * t).rounded()) }
        return Color(channel(red, other.red), channel(green, other.green), channel(blue, other.blue))
    }

    public static let white = Color(255, 255, 255)
    public static let black = Color(0, 0, 0)
    public static let text = Color(34, 34, 34)
    public static let grid = Color(226, 226, 226)
    public static let axis = Color(110, 110, 110)
    /// Series colours, distinguishable for the common forms of colour blindness (Okabe–Ito).
    public static let blue = Color(0, 114, 178)
    public static let orange = Color(230, 159, 0)
    public static let green = Color(0, 140, 90)
    public static let red = Color(213, 94, 0)
    public static let purple = Color(204, 121, 167)
}

/// Where a text's x coordinate sits: at its start, middle or end.
public enum TextAnchor: Sendable {
    case start, middle, end
}

/// A surface figures draw on. Sizes are in pixels; `text` takes the height of a capital letter as `size`.
public protocol Canvas {
    var width: Int { get }
    var height: Int { get }
    mutating func rectangle(x: Double, y: Double, width: Double, height: Double, fill: Color?, stroke: Color?)
    mutating func line(from start: (Double, Double), to end: (Double, Double), color: Color, width: Double)
    mutating func polyline(_ points: [(Double, Double)], color: Color, width: Double)
    /// Text with its baseline at y; `vertical` turns it 90° counter-clockwise (reading upwards) about (x, y).
    mutating func text(_ text: String, x: Double, y: Double, size: Double, color: Color, anchor: TextAnchor, bold: Bool, vertical: Bool)
    /// An image scaled (nearest neighbour) into the rectangle.
    mutating func image(_ image: RGBImage, x: Double, y: Double, width: Double, height: Double)
    /// Starts a group of elements that carries `attributes` (for example `data-truth` on a heatmap cell, so
    /// a page can make it clickable); pixels ignore it. Every `beginGroup` is closed by one `endGroup`.
    mutating func beginGroup(_ attributes: [(name: String, value: String)])
    mutating func endGroup()
}

extension Canvas {
    public mutating func beginGroup(_ attributes: [(name: String, value: String)]) {}
    public mutating func endGroup() {}

    mutating func text(_ text: String, x: Double, y: Double, size: Double, color: Color = .text, anchor: TextAnchor = .start,
                       bold: Bool = false) {
        self.text(text, x: x, y: y, size: size, color: color, anchor: anchor, bold: bold, vertical: false)
    }
}

/// Text sizes used by every figure (cap height in pixels; the bitmap font draws 7 rows per scale step).
enum FontSize {
    static let title = 14.0
    static let label = 14.0
    static let tick = 14.0
    static let small = 7.0
}
