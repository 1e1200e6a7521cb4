// NumberReader.swift — reading a whole number: the drawing cut into digits (`NumberSegmentation`), each
// read like a single digit (`DrawingReader`), and groups that may hold two touching digits cut where the
// network reads two digits far better than one. Used by `POST /api/read`, `digits read` and Number mode.

import DigitImage
import NeuralNetwork

/// One element of a number as read.
public struct NumberElement: Sendable {
    /// The digit, or nil when it is not a digit.
    public var digit: Int?
    public var probabilities: [Float]
    /// x0, y0, x1, y1 in the drawing's coordinates.
    public var box: [Double]
    /// The strokes of the drawing it holds, by index (empty for an image; a stroke cut between two digits
    /// is listed for both).
    public var strokes: [Int]
    /// The 28×28 input the network read (784 values in 0–1).
    public var input: [Float]
    /// The segment's own drawing, e.g. to save it as a sample.
    public var drawing: Drawing
}

/// What a number drawing was read as.
public struct NumberReading: Sendable {
    public var elements: [NumberElement]
    /// Why nothing was read ("nothing is drawn yet"), or nil.
    public var reason: String?
    public init(elements: [NumberElement], reason: String?) {
        self.elements = elements
        self.reason = reason
    }

    /// The number as text: the digits left to right, "?" for an element that is not a digit.
    public var text: String { elements.map { $0.digit.map(String.init) ?? "?" }.joined() }
}

public enum NumberReader {
    /// The most elements a number may have.
    public static let maximumElements = 20
    /// A group of one stroke (or blob) is tried as two touching digits when it is at least this wide for its
    /// height, and cut only when two digits are more likely than one by `cutMargin` (in log-probability):
    /// cutting a digit in two often still gives two plausible readings, so the bar is high.
    static let cutAspect = 1.0
    static let cutMargin: Float = 2.0
    /// A group of several strokes is tried as two digits split between its strokes (a natural boundary), and
    /// split when that is more likely by `partitionMargin`.
    static let partitionMargin: Float = 0.8

    /// Reads `drawing` as a number with `network` (one call at a time per network).
    public static func read(_ drawing: Drawing, with network: Network, rule: NotADigitRule = .never) -> NumberReading {
        if drawing.isBlank { return NumberReading(elements: [], reason: "nothing is drawn yet: write a number") }
        return read(NumberSegmentation.segments(of: drawing), with: network, rule: rule)
    }

    /// Reads the number in an ink image (0 paper … 1 ink: a photo or scan after `GrayImage.inkImage(_:)`).
    public static func read(ink: GrayImage, with network: Network, rule: NotADigitRule = .never) -> NumberReading {
        read(NumberSegmentation.inkSegments(ink), with: network, rule: rule)
    }

    static func read(_ segments: [NumberSegment], with network: Network, rule: NotADigitRule) -> NumberReading {
        guard !segments.isEmpty else { return NumberReading(elements: [], reason: "no ink found: write a number") }
        let tallest = segments.map(\.height).max() ?? 1
        let joined = joinPieces(segments, tallest: tallest, network: network, rule: rule)
        var elements: [NumberElement] = []
        for (segment, reading) in joined {
            elements += readSegment(segment, reading: reading, tallest: tallest, network: network, rule: rule, depth: 0)
            if elements.count > maximumElements { break }
        }
        return NumberReading(elements: elements, reason: nil)
    }

    /// Neighbours closer than `joinGap` of the tallest element are read together too, and joined when one
    /// digit is more likely than two by `joinMargin`: a four whose upright stands apart from its bar, a five
    /// whose bar ends short of its body.
    static let joinGap = 0.35
    static let joinMargin: Float = 1.0

    /// How a piece of a number is read: the drawing alone, as an element of a number.
    static func readPiece(_ drawing: Drawing, with network: Network, rule: NotADigitRule) -> DrawingReading {
        DrawingReader.read(drawing, with: network, rule: rule, inNumber: true)
    }

    /// The segments after joining neighbours that read better as one digit, each with its reading when one was
    /// made (every drawing is read at most once; `readSegment` reuses it).
    static func joinPieces(_ segments: [NumberSegment], tallest: Double, network: Network, rule: NotADigitRule)
        -> [(segment: NumberSegment, reading: DrawingReading?)] {
        var result: [(segment: NumberSegment, reading: DrawingReading?)] = []
        for segment in segments {
            if let last = result.last, segment.box.x0 - last.segment.box.x1 < joinGap * tallest, let both = last.segment.merged(with: segment) {
                let lastReading = last.reading ?? readPiece(last.segment.drawing, with: network, rule: rule)
                let (bothReading, segmentReading) = (readPiece(both.drawing, with: network, rule: rule), readPiece(segment.drawing, with: network, rule: rule))
                if score(bothReading) > score(lastReading) + score(segmentReading) + joinMargin {
                    result[result.count - 1] = (both, bothReading)
                    continue
                }
                result[result.count - 1].reading = lastReading
                result.append((segment, segmentReading))
                continue
            }
            result.append((segment, nil))
        }
        return result
    }

    /// The score of a reading: the log of its largest probability, with a "not a digit" counted as very
    /// unlikely (a cut that leaves a non-digit piece is almost always wrong).
    static func score(_ reading: DrawingReading) -> Float {
        guard let confidence = reading.confidence else { return -20 }
        return logf(max(confidence, 1e-6)) + (reading.isNotADigit ? -3 : 0)
    }

    /// The elements of `segment`, read whole (`reading`, when already made) or cut in two where the two pieces
    /// read better, recursively.
    static func readSegment(_ segment: NumberSegment, reading: DrawingReading?, tallest: Double, network: Network, rule: NotADigitRule,
                            depth: Int) -> [NumberElement] {
        let whole = reading ?? readPiece(segment.drawing, with: network, rule: rule)
        let wholeScore = score(whole)
        guard depth < 3 else { return element(segment, whole).map { [$0] } ?? [] }
        var best: (score: Float, left: NumberSegment, leftReading: DrawingReading, right: NumberSegment, rightReading: DrawingReading)?
        func consider(_ left: NumberSegment, _ right: NumberSegment, margin: Float) {
            guard left.width >= 0.08 * tallest || left.height >= 0.5 * tallest,
                  right.width >= 0.08 * tallest || right.height >= 0.5 * tallest else { return }
            let (leftReading, rightReading) = (readPiece(left.drawing, with: network, rule: rule), readPiece(right.drawing, with: network, rule: rule))
            let total = score(leftReading) + score(rightReading) - margin
            if best == nil || total > best!.score { best = (total, left, leftReading, right, rightReading) }
        }
        // Between strokes, for a group of several that is wide enough to hold two digits.
        if segment.strokeIndices.count >= 2 && segment.width >= 0.5 * max(segment.height, 0.5 * tallest) {
            for (left, right) in segment.strokePartitions() { consider(left, right, margin: partitionMargin) }
        }
        // Through the ink, for a wide group (two digits written without lifting the pen, or touching).
        if segment.width >= cutAspect * max(segment.height, 0.5 * tallest) {
            for step in 0...8 {
                let x = segment.box.x0 + segment.width * (0.3 + 0.05 * Double(step))
                if let (left, right) = segment.split(at: x) { consider(left, right, margin: cutMargin) }
            }
        }
        if let best, best.score > wholeScore {
            return readSegment(best.left, reading: best.leftReading, tallest: tallest, network: network, rule: rule, depth: depth + 1)
                + readSegment(best.right, reading: best.rightReading, tallest: tallest, network: network, rule: rule, depth: depth + 1)
        }
        return element(segment, whole).map { [$0] } ?? []
    }

    static func element(_ segment: NumberSegment, _ reading: DrawingReading) -> NumberElement? {
        guard let probabilities = reading.probabilities, let input = reading.result.digit?.input else { return nil }
        let box = segment.box
        return NumberElement(digit: reading.digit, probabilities: probabilities, box: [box.x0, box.y0, box.x1, box.y1],
                             strokes: segment.strokeIndices, input: input, drawing: segment.drawing)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
