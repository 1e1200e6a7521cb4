// SVGCanvas.swift — a `Canvas` that writes SVG 1.1 elements (no scripts, no external resources).

import DigitsFiles
import Foundation

/// Collects drawing calls as SVG elements; `document` is the finished file.
public struct SVGCanvas: Canvas {
    public let width: Int
    public let height: Int
    private var elements: [String] = []

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// The SVG document. It scales to its container (`viewBox`), so it stays readable at phone width.
    public func document(title: String) -> String {
        var lines = ["<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" role=\"img\" font-family=\"DejaVu Sans Mono, Menlo, Consolas, monospace\">",
                     "<title>\(Self.escape(title))</title>",
                     "<rect width=\"\(width)\" height=\"\(height)\" fill=\"#ffffff\"/>"]
        lines += elements
        lines.append("</svg>")
        return lines.joined(separator: "\n") + "\n"
    }

    public mutating func rectangle(x: Double, y: Double, width: Double, height: Double, fill: Color?, stroke: Color?) {
        elements.append("<rect x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" width=\"\(Self.number(width))\" height=\"\(Self.number(height))\" fill=\"\(fill?.hex ?? "none")\"\(stroke.map { " stroke=\"\($0.hex)\"" } ?? "")/>")
    }

    public mutating func line(from start: (Double, Double), to end: (Double, Double), color: Color, width: Double) {
        elements.append("<line x1=\"\(Self.number(start.0))\" y1=\"\(Self.number(start.1))\" x2=\"\(Self.number(end.0))\" y2=\"\(Self.number(end.1))\" stroke=\"\(color.hex)\" stroke-width=\"\(Self.number(width))\"/>")
    }

    public mutating func polyline(_ points: [(Double, Double)], color: Color, width: Double) {
        let list = points.map { "\(Self.number($0.0)),\(Self.number($0.1))" }.joined(separator: " ")
        elements.append("<polyline points=\"\(list)\" fill=\"none\" stroke=\"\(color.hex)\" stroke-width=\"\(Self.number(width))\" stroke-linejoin=\"round\"/>")
    }

    public mutating func text(_ text: String, x: Double, y: Double, size: Double, color: Color, anchor: TextAnchor, bold: Bool, vertical: Bool) {
        let anchorName = switch anchor { case .start: "start"; case .middle: "middle"; case .end: "end" }
        // A monospace font's cap height is about 0.73 of its font size.
        let fontSize = Self.number(size / 0.73)
        let rotation = vertical ? " transform=\"rotate(-90 \(Self.number(x)) \(Self.number(y)))\"" : ""
        elements.append("<text x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" font-size=\"\(fontSize)\" fill=\"\(color.hex)\" text-anchor=\"\(anchorName)\"\(bold ? " font-weight=\"bold\"" : "")\(rotation)>\(Self.escape(text))</text>")
    }

    public mutating func image(_ image: RGBImage, x: Double, y: Double, width: Double, height: Double) {
        let png = (try? PNGEncoder.encode(image)) ?? []
        elements.append("<image x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" width=\"\(Self.number(width))\" height=\"\(Self.number(height))\" preserveAspectRatio=\"none\" style=\"image-rendering:pixelated\" href=\"data:image/png;base64,\(Data(png).base64EncodedString())\"/>")
    }

    public mutating func beginGroup(_ attributes: [(name: String, value: String)]) {
        elements.append("<g" + attributes.map { " \($0.name)=\"\(Self.escape($0.value))\"" }.joined() + ">")
    }

    public mutating func endGroup() {
        elements.append("</g>")
    }

    /// Coordinates with at most two decimals and no trailing zeros, so golden files stay stable.
    static func number(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        var text = String(format: "%.2f", rounded)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
