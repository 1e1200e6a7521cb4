// Figure.swift — what every chart has in common: a name (its file name), a title, a size, and drawing
// code that works on any `Canvas`; plus the tick arithmetic shared by the axes.

import DigitsFiles
import Foundation

/// A chart or picture that can be written as SVG and as PNG.
public protocol Figure {
    /// File name without extension, e.g. `loss`.
    var name: String { get }
    /// The title drawn at the top and used as the SVG `<title>`.
    var title: String { get }
    var width: Int { get }
    var height: Int { get }
    func draw<C: Canvas>(on canvas: inout C)
}

extension Figure {
    /// The figure as an SVG document.
    public func svg() -> String {
        var canvas = SVGCanvas(width: width, height: height)
        draw(on: &canvas)
        return canvas.document(title: title)
    }

    /// The figure as pixels.
    public func raster() -> RGBImage {
        var canvas = RasterCanvas(width: width, height: height)
        draw(on: &canvas)
        return canvas.image
    }

    /// The figure as a PNG file.
    public func png() throws -> [UInt8] { try PNGEncoder.encode(raster()) }

    /// The title, centred at the top.
    func drawTitle<C: Canvas>(on canvas: inout C) {
        canvas.text(title, x: Double(width) / 2, y: 24, size: FontSize.title, anchor: .middle, bold: true)
    }
}

/// The value axis's grid: a light horizontal line and a label at each round value between `low` and `high`;
/// `y` maps a value to its pixel row.
func drawValueGrid<C: Canvas>(on canvas: inout C, low: Double, high: Double, left: Double, right: Double, y: (Double) -> Double) {
    let ticks = niceTicks(low: low, high: high)
    let step = ticks.count > 1 ? ticks[1] - ticks[0] : 1
    for tick in ticks {
        canvas.line(from: (left, y(tick)), to: (right, y(tick)), color: .grid, width: 1)
        canvas.text(tickLabel(tick, step: step), x: left - 8, y: y(tick) + FontSize.tick / 2, size: FontSize.tick, anchor: .end)
    }
}

/// Evenly spaced round tick values (steps of 1, 2 or 5 × 10ⁿ) covering `low…high`, about `count` of them.
public func niceTicks(low: Double, high: Double, count: Int = 5) -> [Double] {
    guard high > low, low.isFinite, high.isFinite else { return [low] }
    let rough = (high - low) / Double(max(count, 1))
    let magnitude = pow10(floor(log10(rough)))
    let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= rough } ?? 10 * magnitude
    var ticks: [Double] = []
    var value = (low / step).rounded(.up) * step
    while value <= high + step * 1e-9 {
        ticks.append(abs(value) < step * 1e-9 ? 0 : value)
        value += step
    }
    return ticks
}

/// A tick label with as few decimals as the tick step needs.
public func tickLabel(_ value: Double, step: Double) -> String {
    let decimals = step >= 1 ? 0 : min(6, Int((-log10(step)).rounded(.up)))
    return formatNumber(value, decimals: decimals)
}

/// `value` with `decimals` digits after the point.
func formatNumber(_ value: Double, decimals: Int) -> String {
    let text = String(format: "%.\(decimals)f", value)
    return text.hasPrefix("-") && Double(text) == 0 ? String(text.dropFirst()) : text
}

func pow10(_ exponent: Double) -> Double { pow(10, exponent) }
