// BarChart.swift — one bar per category (accuracy per digit, accuracy per seed), value printed on each bar.

public struct BarChart: Figure {
    public var name: String
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var categories: [String]
    /// One value per category, in the unit of `yLabel`; NaN for a category with no value (drawn as "–", no bar).
    public var values: [Double]
    /// Decimals of the value printed above each bar.
    public var decimals: Int
    public var yRange: ClosedRange<Double>?
    public var color: Color = .blue
    public var width = 640
    public var height = 400

    public init(name: String, title: String, xLabel: String, yLabel: String, categories: [String], values: [Double],
                decimals: Int = 1, yRange: ClosedRange<Double>? = nil) {
        precondition(categories.count == values.count, "one value per category")
        self.name = name
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.categories = categories
        self.values = values
        self.decimals = decimals
        self.yRange = yRange
    }

    public func draw<C: Canvas>(on canvas: inout C) {
        drawTitle(on: &canvas)
        let (left, right, top, bottom) = (76.0, Double(width) - 24, 56.0, Double(height) - 70)
        let known = values.filter { !$0.isNaN }
        var (low, high) = yRange.map { ($0.lowerBound, $0.upperBound) } ?? (min(0, known.min() ?? 0), known.max() ?? 1)
        if high <= low { (low, high) = (low - 1, high + 1) }
        func py(_ y: Double) -> Double { bottom - (min(max(y, low), high) - low) / (high - low) * (bottom - top) }
        drawValueGrid(on: &canvas, low: low, high: high, left: left, right: right, y: py)
        let slot = (right - left) / Double(max(categories.count, 1))
        for (index, value) in values.enumerated() {
            let x = left + Double(index) * slot
            canvas.text(categories[index], x: x + slot / 2, y: bottom + 10 + FontSize.tick, size: FontSize.tick, anchor: .middle)
            if value.isNaN {
                canvas.text("-", x: x + slot / 2, y: bottom - 6, size: FontSize.tick, color: .axis, anchor: .middle)
                continue
            }
            let barTop = py(value)
            canvas.rectangle(x: x + slot * 0.15, y: barTop, width: slot * 0.7, height: bottom - barTop, fill: color, stroke: nil)
            canvas.text(formatNumber(value, decimals: decimals), x: x + slot / 2, y: barTop - 6, size: FontSize.tick, anchor: .middle)
        }
        canvas.line(from: (left, top), to: (left, bottom), color: .axis, width: 1)
        canvas.line(from: (left, bottom), to: (right, bottom), color: .axis, width: 1)
        canvas.text(xLabel, x: (left + right) / 2, y: Double(height) - 14, size: FontSize.label, anchor: .middle)
        canvas.text(yLabel, x: 20, y: (top + bottom) / 2, size: FontSize.label, color: .text, anchor: .middle, bold: false, vertical: true)
    }
}
