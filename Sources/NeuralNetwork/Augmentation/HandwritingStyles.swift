// HandwritingStyles.swift — strokes that people add to digits and MNIST almost never shows: a slash
// through a zero (Ø, φ), the long flag (straight or arched), the foot or the upturn of a one, the bar or the
// curled foot of a seven, a five whose top bar was lifted off the body, the hook at the foot of a nine.
//
// Each style is drawn onto an MNIST image by code, from the image's own ink: the box around the ink places
// the stroke, and the stroke is an anti-aliased line of about MNIST's pen width. Nothing is copied from
// recorded drawings.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The extent of the ink of a `side × side` image: columns `left…right`, rows `top…bottom` holding a value
/// above the threshold.
public struct InkBox: Sendable, Equatable {
    public var left: Int, right: Int, top: Int, bottom: Int
    public var width: Float { Float(right - left + 1) }
    public var height: Float { Float(bottom - top + 1) }

    /// The box of values above `threshold`, or nil when there are none.
    public init?(_ image: UnsafePointer<Float>, side: Int, threshold: Float = 0.3) {
        var left = side, right = -1, top = side, bottom = -1
        for row in 0..<side {
            for column in 0..<side where image[row * side + column] > threshold {
                left = min(left, column)
                right = max(right, column)
                top = min(top, row)
                bottom = max(bottom, row)
            }
        }
        guard right >= 0 else { return nil }
        self.left = left
        self.right = right
        self.top = top
        self.bottom = bottom
    }

    /// The mean column of the ink above `threshold` in `row` (nil when the row has none).
    public static func inkCentre(_ image: UnsafePointer<Float>, side: Int, row: Int, threshold: Float = 0.3) -> Float? {
        var sum: Float = 0, count: Float = 0
        for column in 0..<side where image[row * side + column] > threshold {
            sum += Float(column)
            count += 1
        }
        return count > 0 ? sum / count : nil
    }
}

/// A style stroke added to one digit. Positions are in pixels (x = column, y = row).
public enum HandwritingStyle: Sendable, Equatable {
    /// A line through a zero from below its lower-left to above its upper-right (Ø).
    case slashedZero
    /// A smaller zero crossed by a long, steep line that reaches far above and below it (φ).
    case crossedZero
    /// A one's flag: a line from the top of the stem down to the left; with a foot, also a bar under it.
    case flaggedOne(foot: Bool)
    /// A one whose flag arches: a curve from the top of the stem down to the left, bowing up and out, from a
    /// third of the height to the whole of it (the long European flag that makes a one look like a Λ).
    case archedFlagOne
    /// A one whose stem ends in a short upturn to the right at the bottom (like a small "l").
    case hookedOne
    /// A nine whose stem ends in a hook turning left at the bottom (like a "g").
    case hookedNine
    /// A seven's bar across the middle of its stem.
    case barredSeven
    /// A seven whose stem ends in a short upturn to the right at the bottom.
    case curledSeven
    /// A five's top bar lifted off its body: the rows above the bar's lower edge move up.
    case liftedFiveBar

    /// The styles that apply to `label`.
    public static func styles(for label: Int) -> [HandwritingStyle] {
        switch label {
        case 0: return [.slashedZero, .crossedZero]
        case 1: return [.flaggedOne(foot: false), .flaggedOne(foot: true), .archedFlagOne, .hookedOne]
        case 5: return [.liftedFiveBar]
        case 7: return [.barredSeven, .curledSeven]
        case 9: return [.hookedNine]
        default: return []
        }
    }

    /// Draws the style onto `image` (side × side, values 0–1, ink high) in place. `random` gives numbers in
    /// [0, 1) that vary the stroke: always exactly four are used. Nothing happens when the image has no ink.
    public func apply(to image: UnsafeMutablePointer<Float>, side: Int, random: (Float, Float, Float, Float)) {
        guard let box = InkBox(image, side: side) else { return }
        let (r0, r1, r2, r3) = random
        let halfWidth = 0.8 + 0.5 * r3   // MNIST's pen is about 2–3 px wide
        switch self {
        case .slashedZero:
            // Starts below-left of the ring; ends beyond its upper-right or, one time in three, just inside it.
            let overshootX = box.width * (0.05 + 0.2 * r0), overshootY = box.height * (0.05 + 0.15 * r1)
            let endShrink: Float = r2 < 1.0 / 3 ? -0.15 - 0.3 * r2 : 1
            let tilt = box.width * 0.2 * (r2 - 0.5)
            HandwritingStyle.drawLine(image, side: side,
                                      from: (Float(box.left) - overshootX + tilt, Float(box.bottom) + overshootY),
                                      to: (Float(box.right) + overshootX * endShrink + tilt, Float(box.top) - overshootY * endShrink),
                                      halfWidth: halfWidth)
        case .crossedZero:
            // Shrink the zero about the image centre, then cross it with a line as tall as the zero was.
            let factor = 0.5 + 0.25 * r0
            withUnsafeTemporaryAllocation(of: Float.self, capacity: side * side) { copy in
                copy.baseAddress!.update(from: image, count: side * side)
                ImageWarp.affine(copy.baseAddress!, side: side, transform: .scale(factor), into: image)
            }
            let centre = (x: Float(box.left + box.right) / 2, y: Float(box.top + box.bottom) / 2)
            let centreAfter = (x: (centre.x - Float(side - 1) / 2) * factor + Float(side - 1) / 2,
                               y: (centre.y - Float(side - 1) / 2) * factor + Float(side - 1) / 2)
            let half = box.height * (0.45 + 0.1 * r1)
            let angle = (25 + 63 * r2) * Float.pi / 180   // from the horizontal, rising to the right
            HandwritingStyle.drawLine(image, side: side, from: (centreAfter.x - half * cos(angle), centreAfter.y + half * sin(angle)),
                                      to: (centreAfter.x + half * cos(angle), centreAfter.y - half * sin(angle)), halfWidth: halfWidth)
        case .flaggedOne(let foot):
            let topX = InkBox.inkCentre(image, side: side, row: box.top) ?? Float(box.left + box.right) / 2
            let length = box.height * (0.2 + 0.6 * r0 * r0)   // mostly short, sometimes reaching near the bottom
            let angle = (20 + 65 * r1) * Float.pi / 180   // from the vertical
            HandwritingStyle.drawLine(image, side: side, from: (topX, Float(box.top)),
                                      to: (topX - length * sin(angle), Float(box.top) + length * cos(angle)), halfWidth: halfWidth)
            if foot {
                let bottomX = InkBox.inkCentre(image, side: side, row: box.bottom) ?? topX
                let half = box.height * (0.15 + 0.15 * r2)
                HandwritingStyle.drawLine(image, side: side, from: (bottomX - half, Float(box.bottom)),
                                          to: (bottomX + half, Float(box.bottom)), halfWidth: halfWidth)
            }
        case .archedFlagOne:
            // A quadratic Bézier curve from the top of the stem to a point down to the left; its control point
            // lies off the chord's middle, up and to the left, so the curve bows away from the stem.
            let topX = InkBox.inkCentre(image, side: side, row: box.top) ?? Float(box.left + box.right) / 2
            let length = box.height * (0.35 + 0.65 * r0)
            // The chord, from the vertical: at most 60°. Flags up to 80° (nearly a seven's bar) made MNIST sevens
            // turned 15° anticlockwise read as ones (1.07 points lost instead of 0.77, seed 3).
            let angle = (20 + 40 * r1) * Float.pi / 180
            let start = (x: topX, y: Float(box.top))
            let end = (x: topX - length * sin(angle), y: Float(box.top) + length * cos(angle))
            let bow = length * (0.1 + 0.3 * r2)   // the control point's distance from the chord
            let control = (x: (start.x + end.x) / 2 - bow * cos(angle), y: (start.y + end.y) / 2 - bow * sin(angle))
            HandwritingStyle.drawCurve(image, side: side, from: start, control: control, to: end, halfWidth: halfWidth)
        case .curledSeven:
            let bottomX = InkBox.inkCentre(image, side: side, row: box.bottom) ?? Float(box.left + box.right) / 2
            let length = box.height * (0.12 + 0.18 * r0)
            let angle = (15 + 55 * r1) * Float.pi / 180   // above the horizontal, to the right
            HandwritingStyle.drawLine(image, side: side, from: (bottomX, Float(box.bottom)),
                                      to: (bottomX + length * cos(angle), Float(box.bottom) - length * sin(angle)), halfWidth: halfWidth)
        case .hookedOne:
            let bottomX = InkBox.inkCentre(image, side: side, row: box.bottom) ?? Float(box.left + box.right) / 2
            let length = box.height * (0.15 + 0.15 * r0)
            let angle = (25 + 40 * r1) * Float.pi / 180   // above the horizontal
            HandwritingStyle.drawLine(image, side: side, from: (bottomX, Float(box.bottom)),
                                      to: (bottomX + length * cos(angle), Float(box.bottom) - length * sin(angle)), halfWidth: halfWidth)
        case .hookedNine:
            let bottomX = InkBox.inkCentre(image, side: side, row: box.bottom) ?? Float(box.left + box.right) / 2
            let length = box.height * (0.15 + 0.2 * r0)
            let angle = (10 + 45 * r1) * Float.pi / 180   // above the horizontal, to the left
            HandwritingStyle.drawLine(image, side: side, from: (bottomX, Float(box.bottom)),
                                      to: (bottomX - length * cos(angle), Float(box.bottom) - length * sin(angle)), halfWidth: halfWidth)
        case .barredSeven:
            let row = Int((Float(box.top) + box.height * (0.45 + 0.2 * r0)).rounded())
            let centre = InkBox.inkCentre(image, side: side, row: min(max(row, box.top), box.bottom)) ?? Float(box.left + box.right) / 2
            let half = box.height * (0.15 + 0.15 * r1)
            let slope = box.height * 0.1 * (r2 - 0.5)
            HandwritingStyle.drawLine(image, side: side, from: (centre - half, Float(row) + slope),
                                      to: (centre + half, Float(row) - slope), halfWidth: halfWidth)
        case .liftedFiveBar:
            // The bar is the top fifth to third of the digit: the rows above `edge` move up by `lift` pixels,
            // leaving a gap of `lift` empty rows between the bar and the body.
            let edge = box.top + max(1, Int((box.height * (0.2 + 0.1 * r0)).rounded()))
            let lift = min(1 + Int(2 * r1), box.top)
            guard lift > 0 else { return }
            for row in (box.top - lift)..<edge {
                let source = row + lift   // below `row`, not yet overwritten
                for column in 0..<side {
                    image[row * side + column] = source < edge ? image[source * side + column] : 0
                }
            }
        }
    }

    /// Draws a quadratic Bézier curve B(t) = (1−t)²·from + 2t(1−t)·control + t²·to as eight anti-aliased lines.
    public static func drawCurve(_ image: UnsafeMutablePointer<Float>, side: Int, from: (x: Float, y: Float), control: (x: Float, y: Float),
                                 to: (x: Float, y: Float), halfWidth: Float) {
        func point(_ t: Float) -> (x: Float, y: Float) {
            let (a, b, c) = ((1 - t) * (1 - t), 2 * t * (1 - t), t * t)
            return (a * from.x + b * control.x + c * to.x, a * from.y + b * control.y + c * to.y)
        }
        let segments = 8
        for index in 0..<segments {
            drawLine(image, side: side, from: point(Float(index) / Float(segments)), to: point(Float(index + 1) / Float(segments)),
                     halfWidth: halfWidth)
        }
    }

    /// Draws an anti-aliased line of half-width `halfWidth` from `from` to `to` (x = column, y = row), keeping
    /// the brighter of the old value and the line's coverage at every pixel.
    public static func drawLine(_ image: UnsafeMutablePointer<Float>, side: Int, from: (x: Float, y: Float), to: (x: Float, y: Float),
                                halfWidth: Float) {
        let dx = to.x - from.x, dy = to.y - from.y
        let lengthSquared = max(dx * dx + dy * dy, 1e-6)
        for row in 0..<side {
            for column in 0..<side {
                let px = Float(column) - from.x, py = Float(row) - from.y
                let t = min(max((px * dx + py * dy) / lengthSquared, 0), 1)
                let ex = px - t * dx, ey = py - t * dy
                let coverage = min(max(halfWidth + 0.5 - (ex * ex + ey * ey).squareRoot(), 0), 1)
                let index = row * side + column
                image[index] = max(image[index], coverage)
            }
        }
    }
}
