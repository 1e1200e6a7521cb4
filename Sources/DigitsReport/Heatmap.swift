// Heatmap.swift — the confusion matrix: rows are the true digit, columns the prediction, each cell
// shaded by its share of the row and labelled with its count.

public struct ConfusionHeatmap: Figure {
    public var name: String
    public var title: String
    /// `counts[truth][prediction]`.
    public var counts: [[Int]]
    public var width = 560
    public var height = 560
    /// When true, each cell is an SVG group `<g class="cell" data-truth data-predicted data-count>` that a
    /// page can make clickable (the studio's Model page does); the drawing itself is unchanged.
    public var interactive = false

    public init(name: String, title: String, counts: [[Int]]) {
        self.name = name
        self.title = title
        self.counts = counts
    }

    /// The shade of a cell: the diagonal in blue, mistakes in orange-red, darker for a larger share of the row.
    /// Mistakes are rare, so their shade follows the square root of the share to stay visible.
    public static func shade(count: Int, rowTotal: Int, diagonal: Bool) -> Color {
        guard count > 0, rowTotal > 0 else { return .white }
        let share = Double(count) / Double(rowTotal)
        return diagonal ? Color.white.mixed(with: .blue, 0.15 + 0.85 * share)
                        : Color.white.mixed(with: .red, 0.15 + 0.85 * min(1, (share * 4).squareRoot()))
    }

    public func draw<C: Canvas>(on canvas: inout C) {
        drawTitle(on: &canvas)
        let classes = counts.count
        let (left, top) = (76.0, 64.0)
        let size = (Double(min(width, height)) - left - 24) / Double(max(classes, 1))
        for truth in 0..<classes {
            let rowTotal = counts[truth].reduce(0, +)
            for predicted in 0..<classes {
                let count = counts[truth][predicted]
                let fill = Self.shade(count: count, rowTotal: rowTotal, diagonal: truth == predicted)
                let (x, y) = (left + Double(predicted) * size, top + Double(truth) * size)
                if interactive {
                    canvas.beginGroup([("class", "cell"), ("data-truth", String(truth)), ("data-predicted", String(predicted)),
                                       ("data-count", String(count)), ("tabindex", "0"), ("role", "button"),
                                       ("aria-label", "true \(truth), predicted \(predicted): \(count) image\(count == 1 ? "" : "s")")])
                }
                canvas.rectangle(x: x, y: y, width: size, height: size, fill: fill, stroke: .grid)
                if count > 0 {
                    let dark = fill.red < 140 || fill.green < 110
                    let label = String(count)
                    let textSize = label.count > 3 ? 10 : FontSize.tick
                    canvas.text(label, x: x + size / 2, y: y + size / 2 + textSize / 2, size: textSize, color: dark ? .white : .text, anchor: .middle)
                }
                if interactive { canvas.endGroup() }
            }
            canvas.text(String(truth), x: left - 10, y: top + (Double(truth) + 0.5) * size + FontSize.tick / 2, size: FontSize.tick, anchor: .end)
        }
        for predicted in 0..<classes {
            canvas.text(String(predicted), x: left + (Double(predicted) + 0.5) * size, y: top - 8, size: FontSize.tick, anchor: .middle)
        }
        canvas.text("predicted digit", x: left + size * Double(classes) / 2, y: Double(height) - 6, size: FontSize.label, anchor: .middle)
        canvas.text("true digit", x: 22, y: top + size * Double(classes) / 2, size: FontSize.label, color: .text, anchor: .middle, bold: false, vertical: true)
    }
}
