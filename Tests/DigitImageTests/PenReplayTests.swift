// The replay protocol of recorded pen digits: y flipped, the larger side 180 px, centred on 280 × 280,
// coordinates rounded to 0.1 px like Python's round(v, 1).

import DigitImage
import Testing

@Suite("Pen replay")
struct PenReplayTests {
    @Test("a vertical line, y up on the tablet, becomes a centred 180 px line drawn top to bottom")
    func verticalLine() throws {
        let strokes = try Drawing.canvasStrokes(replaying: [[CanvasPoint(x: 500, y: 900), CanvasPoint(x: 500, y: 800)]])
        // Height 100 → scale 1.8; width 0 → x centred at 140; the higher tablet point (y 900) is at the top.
        #expect(strokes == [[CanvasPoint(x: 140, y: 50), CanvasPoint(x: 140, y: 230)]])
    }

    @Test("the aspect ratio is kept and the box centred")
    func aspect() throws {
        let strokes = try Drawing.canvasStrokes(replaying: [[CanvasPoint(x: 0, y: 0), CanvasPoint(x: 200, y: 100)]])
        // Width 200 → scale 0.9: 180 × 90, left at 50, top at 95; tablet y 100 is the top (95), y 0 the bottom (185).
        #expect(strokes == [[CanvasPoint(x: 50, y: 185), CanvasPoint(x: 230, y: 95)]])
        let drawing = try Drawing(replayingPenStrokes: [[CanvasPoint(x: 0, y: 0), CanvasPoint(x: 200, y: 100)]])
        #expect(drawing.width == 280 && drawing.height == 280)
    }

    @Test("coordinates are rounded to a tenth, ties to even, like Python's round")
    func rounding() {
        #expect(Drawing.roundedToTenth(63.44) == 63.4)
        #expect(Drawing.roundedToTenth(63.46) == 63.5)
        #expect(Drawing.roundedToTenth(0.25) == 0.2)   // 2.5 → 2 (ties to even), as round(0.25, 1) == 0.2
    }

    @Test("a single point sits at the centre; no points and non-finite points are refused")
    func degenerate() throws {
        #expect(try Drawing.canvasStrokes(replaying: [[CanvasPoint(x: 7, y: 7)]]) == [[CanvasPoint(x: 140, y: 140)]])
        #expect(throws: DrawingError.self) { try Drawing.canvasStrokes(replaying: [[], []]) }
        #expect(throws: DrawingError.self) { try Drawing.canvasStrokes(replaying: [[CanvasPoint(x: .nan, y: 1)]]) }
    }
}
