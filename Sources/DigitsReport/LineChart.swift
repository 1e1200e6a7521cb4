// LineChart.swift — curves over a shared x axis (loss and accuracy per epoch or per step), with ticks,
// grid lines, axis labels with units, and a legend.

/// One named curve.
public struct Series: Sendable {
    public var name: String
    public var color: Color
    public var points: [(x: Double, y: Double)]

    public init(name: String, color: Color, points: [(x: Double, y: Double)]) {
        self.name = name
        self.color = color
        self.points = points
    }
}

/// Lines through each series' points; single points are drawn as dots.
public struct LineChart: Figure {
    public var name: String
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    /// Fixed y range; nil fits the data (with zero included when the data are all positive and near it).
    public var yRange: ClosedRange<Double>?
    public var width = 640
    public var height = 400

    public init(name: String, title: String, xLabel: String, yLabel: String, series: [Series], yRange: ClosedRange<Double>? = nil) {
        self.name = name
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.yRange = yRange
    }

    // The plot area inside the margins. The left margin makes room for the widest value label ("0.004"),
    // so it never runs into the vertical axis title.
    public var plotLeft: Double {
        let (low, high) = valueRange()
        let ticks = niceTicks(low: low, high: high)
        let step = ticks.count > 1 ? ticks[1] - ticks[0] : 1
        let widest = ticks.map { BitmapFont.width(of: tickLabel($0, step: step)) }.max() ?? 0
        return max(76, 40 + Double(widest * RasterCanvas.fontScale(FontSize.tick)))
    }
    var plotRight: Double { Double(width) - 24 }
    var plotTop: Double { 44 }
    var plotBottom: Double { Double(height) - 92 }

    /// The value axis's range: `yRange`, or the data's with 5% room (from 0 when the data start near it).
    func valueRange() -> (low: Double, high: Double) {
        let ys = series.flatMap(\.points).map(\.y)
        var (yLow, yHigh) = yRange.map { ($0.lowerBound, $0.upperBound) } ?? (ys.min() ?? 0, ys.max() ?? 1)
        if yRange == nil {
            if yLow > 0 && yLow < 0.5 * yHigh { yLow = 0 }
            let pad = (yHigh - yLow) * 0.05
            (yLow, yHigh) = (yLow - pad, yHigh + pad)
        }
        if yHigh <= yLow { (yLow, yHigh) = (yLow - 1, yHigh + 1) }
        return (yLow, yHigh)
    }

    public func draw<C: Canvas>(on canvas: inout C) {
        drawTitle(on: &canvas)
        let xs = series.flatMap(\.points).map(\.x)
        var xLow = xs.min() ?? 0, xHigh = xs.max() ?? 1
        if xHigh <= xLow { (xLow, xHigh) = (xLow - 1, xHigh + 1) }
        let (yLow, yHigh) = valueRange()
        let plotLeft = self.plotLeft
        func px(_ x: Double) -> Double { plotLeft + (x - xLow) / (xHigh - xLow) * (plotRight - plotLeft) }
        func py(_ y: Double) -> Double { plotBottom - (y - yLow) / (yHigh - yLow) * (plotBottom - plotTop) }

        drawValueGrid(on: &canvas, low: yLow, high: yHigh, left: plotLeft, right: plotRight, y: py)
        let xTicks = niceTicks(low: xLow, high: xHigh, count: 6)
        let xStep = xTicks.count > 1 ? xTicks[1] - xTicks[0] : 1
        for tick in xTicks {
            canvas.line(from: (px(tick), plotBottom), to: (px(tick), plotBottom + 5), color: .axis, width: 1)
            canvas.text(tickLabel(tick, step: xStep), x: px(tick), y: plotBottom + 10 + FontSize.tick, size: FontSize.tick, anchor: .middle)
        }
        canvas.line(from: (plotLeft, plotTop), to: (plotLeft, plotBottom), color: .axis, width: 1)
        canvas.line(from: (plotLeft, plotBottom), to: (plotRight, plotBottom), color: .axis, width: 1)
        canvas.text(xLabel, x: (plotLeft + plotRight) / 2, y: plotBottom + 46, size: FontSize.label, anchor: .middle)
        canvas.text(yLabel, x: 20, y: (plotTop + plotBottom) / 2, size: FontSize.label, color: .text, anchor: .middle, bold: false, vertical: true)

        for line in series {
            let mapped = line.points.map { (px($0.x), py($0.y)) }
            if mapped.count == 1 {
                canvas.rectangle(x: mapped[0].0 - 3, y: mapped[0].1 - 3, width: 6, height: 6, fill: line.color, stroke: nil)
            } else {
                canvas.polyline(mapped, color: line.color, width: 2)
            }
        }
        // The legend, in one row under the axis label.
        var x = plotLeft
        let y = Double(height) - 18
        for line in series {
            canvas.rectangle(x: x, y: y - 10, width: 18, height: 4, fill: line.color, stroke: nil)
            canvas.text(line.name, x: x + 24, y: y, size: FontSize.label)
            x += 24 + Double(line.name.count) * 12 + 24
        }
    }
}
