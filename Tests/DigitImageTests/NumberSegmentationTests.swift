// Cutting a drawing of a number into digits: made-up stroke sets with known answers (gaps, a five's
// detached bar, a four in two strokes, a one next to a seven, a digit, a letter and a digit), cuts through
// touching strokes, and blobs of an image.

import DigitImage
import Testing

@Suite("Number segmentation")
struct NumberSegmentationTests {
    static func line(_ points: (Double, Double)...) -> [CanvasPoint] {
        // Dense like a pen: 20 points per segment.
        var result: [CanvasPoint] = []
        for (a, b) in zip(points, points.dropFirst()) {
            for step in 0..<20 { let t = Double(step) / 20; result.append(CanvasPoint(x: a.0 + (b.0 - a.0) * t, y: a.1 + (b.1 - a.1) * t)) }
        }
        result.append(CanvasPoint(x: points.last!.0, y: points.last!.1))
        return result
    }

    static func ring(centre: (Double, Double), radii: (Double, Double)) -> [CanvasPoint] {
        (0...40).map { step in
            let angle = Double(step) / 40 * 2 * Double.pi
            return CanvasPoint(x: centre.0 + radii.0 * cos(angle), y: centre.1 + radii.1 * sin(angle))
        }
    }

    static func segments(_ strokes: [[CanvasPoint]], width: Int = 900) throws -> [NumberSegment] {
        NumberSegmentation.segments(of: try Drawing(width: width, height: 280, strokes: strokes))
    }

    @Test("a one and a zero with a gap: two digits, left to right, each with its stroke")
    func twoDigitsWithAGap() throws {
        let found = try Self.segments([Self.ring(centre: (260, 140), radii: (50, 90)), Self.line((100, 50), (100, 230))])
        #expect(found.map(\.strokeIndices) == [[1], [0]])
        #expect(found[0].box.x1 < found[1].box.x0)
    }

    @Test("a five whose top bar is a stroke of its own, lifted above the body, is one digit")
    func fiveWithDetachedBar() throws {
        let body = Self.line((120, 70), (110, 140), (170, 130), (190, 180), (160, 235), (105, 225))
        let bar = Self.line((125, 40), (200, 30))
        #expect(try Self.segments([body, bar]).map(\.strokeIndices) == [[0, 1]])
    }

    @Test("a four in two strokes is one digit, and so is a seven with a cross-bar")
    func multiStrokeDigits() throws {
        let four = [Self.line((120, 40), (70, 170), (190, 170)), Self.line((160, 60), (160, 245))]
        #expect(try Self.segments(four).map(\.strokeIndices) == [[0, 1]])
        let seven = [Self.line((80, 40), (200, 40), (130, 240)), Self.line((110, 140), (190, 140))]
        #expect(try Self.segments(seven).map(\.strokeIndices) == [[0, 1]])
    }

    @Test("a four whose slanted upright reaches just under the end of its bar, without touching it, is one digit")
    func fourWithUprightApart() throws {
        // The bar ends at x = 130; the upright runs from (170, 40) to (125, 200), passing y = 130 at x ≈ 145, about
        // 14 px from the bar's end (more than 5 % of the height). The two boxes overlap by 5 px only, much less
        // than half of either width (40 and 45).
        let four = [Self.line((100, 30), (90, 130), (130, 130)), Self.line((170, 40), (125, 200))]
        #expect(try Self.segments(four).map(\.strokeIndices) == [[0, 1]])
    }

    @Test("a seven whose bar meets its stem is one digit, even when the bar is short")
    func sevenInTwoMeetingStrokes() throws {
        let bar = Self.line((90, 45), (170, 40))
        let stem = Self.line((170, 40), (120, 240))
        #expect(try Self.segments([bar, stem]).map(\.strokeIndices) == [[0, 1]])
    }

    @Test("a one next to a seven whose bar nearly reaches it: two digits")
    func oneNextToSeven() throws {
        let one = Self.line((100, 40), (100, 240))
        let seven = Self.line((118, 45), (230, 45), (150, 240))
        let found = try Self.segments([one, seven])
        #expect(found.map(\.strokeIndices) == [[0], [1]])
    }

    @Test("a digit, a letter and a digit: three elements in order")
    func digitLetterDigit() throws {
        let one = Self.line((80, 40), (80, 240))
        let k = [Self.line((200, 40), (200, 240)), Self.line((280, 50), (205, 150), (285, 240))]
        let zero = Self.ring(centre: (420, 140), radii: (55, 95))
        let found = try Self.segments([zero, one] + k)
        #expect(found.map(\.strokeIndices) == [[1], [2, 3], [0]])
    }

    @Test("a cut through a stroke clips it at the line: both sides keep their ink, nothing crosses")
    func cutClipsStrokes() throws {
        let zigzag = Self.line((60, 60), (200, 220), (340, 60))
        let whole = try #require(try Self.segments([zigzag]).first)
        let (left, right) = try #require(whole.split(at: 200))
        #expect(left.box.x1 <= 200 + 11 && right.box.x0 >= 200 - 11)   // the pen's radius past the line
        #expect(left.drawing.preprocessed().digit != nil && right.drawing.preprocessed().digit != nil)
        #expect(whole.split(at: 20) == nil, "a cut left of all the ink leaves one side empty")
    }

    @Test("each element is drawn alone on a canvas as tall as the number's, with the same brush")
    func segmentCanvas() throws {
        let found = try Self.segments([Self.line((100, 50), (100, 230)), Self.ring(centre: (600, 140), radii: (60, 90))])
        for segment in found {
            #expect(segment.drawing.height == 280 && segment.drawing.width >= 280)
        }
    }

    @Test("an image: blobs of ink are elements, left to right, and a speck is dropped")
    func imageBlobs() {
        var ink = GrayImage(width: 300, height: 100)
        for y in 10..<90 { for x in 40..<48 { ink.pixels[y * 300 + x] = 1 } }           // a "1"
        for y in 10..<90 { for x in 150..<200 where (x - 175) * (x - 175) * 9 / 4 + (y - 50) * (y - 50) > 1200 && (x - 175) * (x - 175) * 9 / 4 + (y - 50) * (y - 50) < 1700 { ink.pixels[y * 300 + x] = 1 } }
        ink.pixels[95 * 300 + 280] = 1                                                    // a speck
        let found = NumberSegmentation.inkSegments(ink)
        #expect(found.count == 2)
        #expect(found.first.map { $0.box.x0 < 50 } == true)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
