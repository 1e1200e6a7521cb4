// DrawingTests.swift — strokes drawn with the round brush, and the limits a drawing must respect.

import DigitImage
import Testing

@Suite struct DrawingTests {
    func points(_ pairs: [(Double, Double)]) -> [CanvasPoint] { pairs.map { CanvasPoint(x: $0.0, y: $0.1) } }

    @Test func aDotCoversADiscWithAnAntialiasedEdge() {
        var image = GrayImage(width: 21, height: 21)
        image.drawStroke(points([(10.5, 10.5)]), radius: 4)
        #expect(image[10, 10] == 1)                   // centre
        #expect(image[14, 10] == 0.5)                 // distance 4: half covered
        #expect(image[15, 10] == 0)                   // distance 5: outside
        #expect(image[13, 13] > 0.2 && image[13, 13] < 0.3)   // distance 4.24: a quarter covered
        #expect(image[14, 14] == 0)                   // distance 5.66: outside
        // Symmetric in x and y.
        for y in 0..<21 { for x in 0..<21 { #expect(image[x, y] == image[y, x] && image[x, y] == image[20 - x, y]) } }
    }

    @Test func aSegmentIsACapsule() {
        var image = GrayImage(width: 40, height: 20)
        image.drawStroke(points([(10, 10), (30, 10)]), radius: 3)
        #expect(image[20, 9] == 1 && image[20, 10] == 1)
        #expect(image[20, 13] == 0 && image[20, 6] == 0)   // centres 3.5 from the line: just outside the ramp? 3.5 → 0
        #expect(image[5, 9] == 0 && image[7, 9] > 0)       // the round cap reaches 3 px past the end
    }

    @Test func strokesOutsideTheImageAreClippedNotCrashing() {
        var image = GrayImage(width: 10, height: 10)
        image.drawStroke(points([(-50, -50), (60, 60)]), radius: 2)
        #expect(image[5, 5] == 1)
        image.drawStroke([], radius: 2)
    }

    @Test func inkImageIsDrawnAtTheWorkingSizeWithTheScaledBrush() throws {
        let drawing = try Drawing(width: 400, height: 200, strokes: [points([(200, 100)])])
        let ink = drawing.inkImage(maxSide: 80)
        #expect(ink.width == 80 && ink.height == 40)
        // Brush diameter 0.075 × 200 = 15 canvas px = 3 working px: the dot at (40, 20) covers its centre pixels.
        #expect(ink[39, 19] > 0.9 && ink[45, 20] == 0)
        let small = try Drawing(width: 28, height: 28, strokes: [points([(14, 14)])]).inkImage(maxSide: 80)
        #expect(small.width == 28)
    }

    @Test func pixelsAreInkBright() throws {
        let drawing = try Drawing(width: 2, height: 1, pixels: [0, 255])
        #expect(drawing.inkImage().pixels == [0, 1])
        #expect(!drawing.isBlank)
        #expect(try Drawing(width: 2, height: 1, pixels: [0, 0]).isBlank)
    }

    @Test func blankDrawingsAskForADigit() throws {
        for drawing in [try Drawing(width: 280, height: 280, strokes: []), try Drawing(width: 280, height: 280, strokes: [[], []]),
                        try Drawing(width: 28, height: 28, pixels: [UInt8](repeating: 0, count: 784))] {
            guard case .empty(let reason) = drawing.preprocessed() else { Issue.record("expected empty"); continue }
            #expect(reason.contains("draw a digit"))
        }
    }

    @Test func aDrawnBarBecomesAnMNISTStyleOne() throws {
        let drawing = try Drawing(width: 280, height: 280, strokes: [points([(140, 50), (140, 230)])])
        guard case .digit(let digit) = drawing.preprocessed() else { Issue.record("expected a digit"); return }
        #expect(digit.input.count == 784)
        let row = Array(digit.input[14 * 28..<15 * 28])
        #expect(row.max()! > 0.9)
        #expect(row.indices.filter { row[$0] > 0 }.allSatisfy { (11...17).contains($0) })
        // Fitted to the 20-pixel box: about 20 rows hold ink, centred.
        let inkedRows = (0..<28).filter { row in (0..<28).contains { digit.input[row * 28 + $0] > 0 } }
        #expect((19...21).contains(inkedRows.count), "\(inkedRows)")
        #expect(inkedRows.first! >= 3 && inkedRows.last! <= 24, "\(inkedRows)")
    }

    @Test(arguments: [
        (0, 280, "width is 0"), (4097, 280, "width is 4097"), (280, -1, "height is -1"),
    ]) func sizesOutsideTheLimitsAreRefused(width: Int, height: Int, message: String) {
        #expect { try Drawing(width: width, height: height, strokes: []) } throws: { "\($0)".contains(message) && "\($0)".contains("between 1 and 4096") }
    }

    @Test func coordinatesMustBeFiniteAndOnTheCanvas() {
        for bad in [(Double.nan, 1.0), (1, .infinity), (-0.5, 3), (3, 280.5)] {
            #expect { try Drawing(width: 280, height: 280, strokes: [points([(1, 1), bad])]) } throws: {
                "\($0)".contains("strokes[0][1]") && "\($0)".contains("outside the 280×280 canvas")
            }
        }
        #expect(throws: Never.self) { try Drawing(width: 280, height: 280, strokes: [points([(0, 0), (280, 280)])]) }
    }

    @Test func tooManyStrokesOrPointsAreRefused() {
        let manyStrokes = [[CanvasPoint]](repeating: points([(1, 1)]), count: 1001)
        #expect { try Drawing(width: 10, height: 10, strokes: manyStrokes) } throws: { "\($0)".contains("too many strokes: 1001") }
        let longStroke = [CanvasPoint](repeating: CanvasPoint(x: 1, y: 1), count: 10_001)
        #expect { try Drawing(width: 10, height: 10, strokes: [longStroke]) } throws: { "\($0)".contains("too many points: 10001") }
        #expect { try Drawing(width: 3, height: 3, pixels: [1, 2]) } throws: { "\($0)".contains("needs 9") }
    }
}
