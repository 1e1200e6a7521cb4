// Drawing+PenReplay.swift — a digit recorded on a pen tablet, drawn on the studio's canvas the way a
// person would draw it.
//
// The protocol of ../shared/data/pen-digits (its README and replay_http.py): flip y (tablets count y
// upward), scale uniformly so that the larger side of the digit's bounding box is 180 px, centre the box on a
// 280 × 280 canvas, round every coordinate to 0.1 px. Every measurement on recorded pen digits, in process or
// over HTTP, goes through this one function, so the two give the same answer drawing for drawing.

extension Drawing {
    /// The canvas side (280) and the side of the digit's bounding box on it (180) of the replay protocol.
    public static let replayCanvasSide = 280
    public static let replayDigitSide = 180.0

    /// Places pen strokes recorded in tablet coordinates (x right, **y up**, any scale and offset) on a
    /// `canvasSide × canvasSide` canvas, like a person drawing the digit in the studio.
    ///
    /// With the bounding box `[left, right] × [top, bottom]` of the flipped points (`y' = −y`),
    /// `s = digitSide / max(right − left, bottom − top, 1)` and every point maps to
    /// `x_c = round₀.₁(x·s + dx)`, `y_c = round₀.₁(y'·s + dy)`, where `dx, dy` centre the box on the canvas.
    /// Throws `DrawingError` when there is no point at all or a coordinate is not finite.
    public init(replayingPenStrokes strokes: [[CanvasPoint]], canvasSide: Int = Drawing.replayCanvasSide,
                digitSide: Double = Drawing.replayDigitSide) throws {
        try self.init(width: canvasSide, height: canvasSide,
                      strokes: Drawing.canvasStrokes(replaying: strokes, canvasSide: canvasSide, digitSide: digitSide))
    }

    /// The canvas coordinates of `init(replayingPenStrokes:)`, for clients that send them over HTTP.
    public static func canvasStrokes(replaying strokes: [[CanvasPoint]], canvasSide: Int = Drawing.replayCanvasSide,
                                     digitSide: Double = Drawing.replayDigitSide) throws -> [[CanvasPoint]] {
        let points = strokes.joined()
        guard let first = points.first else { throw DrawingError("the recording has no pen points; a digit needs at least one") }
        if let bad = points.first(where: { !$0.x.isFinite || !$0.y.isFinite }) {
            throw DrawingError("a pen point is (\(bad.x), \(bad.y)); coordinates must be finite numbers")
        }
        var left = first.x, right = first.x, top = -first.y, bottom = -first.y
        for point in points {
            left = min(left, point.x)
            right = max(right, point.x)
            top = min(top, -point.y)
            bottom = max(bottom, -point.y)
        }
        let side = Double(canvasSide)
        let scale = digitSide / max(right - left, bottom - top, 1)
        let dx = (side - (right - left) * scale) / 2 - left * scale
        let dy = (side - (bottom - top) * scale) / 2 - top * scale
        return strokes.map { stroke in
            stroke.map { CanvasPoint(x: roundedToTenth($0.x * scale + dx), y: roundedToTenth(-$0.y * scale + dy)) }
        }
    }

    /// Rounds to one decimal like Python's `round(value, 1)`: to the nearest tenth, ties to even.
    public static func roundedToTenth(_ value: Double) -> Double {
        (value * 10).rounded(.toNearestOrEven) / 10
    }
}
