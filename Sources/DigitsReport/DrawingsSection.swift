// DrawingsSection.swift — the report's section on recorded pen-written digits (`digits report --drawings`):
// accuracy per digit and per source, and the most confident misreads, each shown as drawn (the pen strokes
// on the canvas) beside what the network saw (the 28×28 input).

import DigitsFiles

/// One misread drawing for the report.
public struct DrawingMisread: Sendable {
    /// The drawing on the canvas, ink 0–1 (any size).
    public var strokes: RGBImage
    /// The 28×28 network input.
    public var input: RGBImage
    public var entry: Int
    public var truth: Int
    public var read: Int
    public var confidence: Float
    public var source: String

    public init(strokes: RGBImage, input: RGBImage, entry: Int, truth: Int, read: Int, confidence: Float, source: String) {
        self.strokes = strokes
        self.input = input
        self.entry = entry
        self.truth = truth
        self.read = read
        self.confidence = confidence
        self.source = source
    }
}

/// The figures of a drawings file measured with the studio's path.
public struct DrawingsSection {
    /// The file's name, for titles.
    public var fileName: String
    public var accuracy: Double
    public var count: Int
    /// Accuracy (a fraction) of each true digit 0–9; nil for a digit with no drawings.
    public var perDigit: [Double?]
    /// (source, accuracy as a fraction, drawings), most drawings first.
    public var perSource: [(name: String, accuracy: Double, count: Int)]
    /// The most confident misreads, most confident first.
    public var misreads: [DrawingMisread]
    public var misreadCount: Int
    /// Drawings the model called "not a digit" (misses in `accuracy`, not among `misreads`).
    public var rejected: Int

    public init(fileName: String, accuracy: Double, count: Int, perDigit: [Double?], perSource: [(name: String, accuracy: Double, count: Int)],
                misreads: [DrawingMisread], misreadCount: Int, rejected: Int = 0) {
        self.fileName = fileName
        self.accuracy = accuracy
        self.count = count
        self.perDigit = perDigit
        self.perSource = perSource
        self.misreads = misreads
        self.misreadCount = misreadCount
        self.rejected = rejected
    }

    /// The section, with a per-digit chart, a per-source chart and the misreads as (strokes, input) pairs.
    public func section() -> ReportSection {
        let digits = perDigit.map { $0.map { 100 * $0 } ?? .nan }
        let sources = perSource.map { 100 * $0.accuracy }
        let low = max(0, ((digits + sources).filter { !$0.isNaN }.min() ?? 0) - 1).rounded(.down)
        var figures: [any Figure] = [
            BarChart(name: "drawings-per-digit", title: "Accuracy per digit (\(fileName))", xLabel: "true digit", yLabel: "accuracy (%)",
                     categories: (0..<digits.count).map(String.init), values: digits, decimals: 1, yRange: low...100),
            BarChart(name: "drawings-per-source", title: "Accuracy per source (\(fileName))", xLabel: "source (drawings)", yLabel: "accuracy (%)",
                     categories: perSource.map { "\($0.name) (\($0.count))" }, values: sources, decimals: 1, yRange: low...100),
        ]
        if !misreads.isEmpty {
            let tiles = misreads.flatMap { misread in
                [GridTile(image: misread.strokes, caption: "#\(misread.entry) \(misread.source)"),
                 GridTile(image: misread.input, caption: "\(misread.truth)→\(misread.read) \(Int((100 * misread.confidence).rounded()))%", frame: .red)]
            }
            figures.append(ImageGrid(name: "drawings-misreads", title: "Most confident misreads (\(fileName))", tiles: tiles, columns: 8,
                                     subtitle: "pairs: the pen strokes as drawn on the canvas, then the 28×28 input the network read (true → read, probability)"))
        }
        let text = "Accuracy \(formatNumber(100 * accuracy, decimals: 2))% on \(count) pen-written drawings of \(fileName), each drawn on the studio's "
            + "280×280 canvas like a person would and read through the studio's own preprocessing and network (`digits evaluate --drawings`). "
            + (rejected > 0 ? "Of them, \(rejected) called \"not a digit\" count as misses and are not among the misreads. " : "")
            + (misreads.isEmpty ? "No misreads." : "Below, the \(misreads.count) misreads the model was surest of (\(misreadCount) in all).")
        return ReportSection(id: "drawings", heading: "Pen-written drawings", text: text, figures: figures)
    }
}
