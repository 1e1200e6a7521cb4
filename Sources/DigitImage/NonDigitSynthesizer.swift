// NonDigitSynthesizer.swift — made-up drawings that are not digits: the shapes of `NonDigitShape` (letters,
// symbols, marks) and random scribbles, each varied like handwriting and drawn on the studio's canvas, then
// preprocessed exactly as a drawing is, so a network learns "not a digit" from what the canvas produces.
// Everything comes from code and a seeded generator; nothing is copied from recorded drawings.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Makes non-digit drawings and their 28×28 network inputs.
public struct NonDigitSynthesizer: Sendable {
    /// Share of drawings that are random scribbles rather than shapes.
    public var scribbleShare = 0.12

    public init() {}

    /// A uniform number in [0, 1) from 53 bits of the generator (the same on every platform).
    static func unit<G: RandomNumberGenerator>(_ generator: inout G) -> Double {
        Double(generator.next() >> 11) * 0x1p-53
    }

    static func uniform<G: RandomNumberGenerator>(_ range: Double, _ generator: inout G) -> Double {
        range * (2 * unit(&generator) - 1)
    }

    /// One drawing's strokes in canvas coordinates (280 × 280, y down), and the shape's name.
    ///
    /// Random draws, in order: the kind (scribble or shape), the shape (for a letter, then: whether it gets
    /// an exit stroke, whether a lead-in, and the exit's two offsets), rotation ±12°, slant ±15°, width ×
    /// 0.6–1.35, the pen's size on the canvas (150–200 px), a bend (two amplitudes up to 0.08 and two phases),
    /// then per stroke an offset of ±0.04 and per point a wobble of ±0.025 (units of the shape's height).
    public func strokes<G: RandomNumberGenerator>(generator: inout G) -> (name: String, strokes: [[CanvasPoint]]) {
        let name: String
        var shape: [[(x: Double, y: Double)]]
        if Self.unit(&generator) < scribbleShare {
            name = "scribble"
            shape = [Self.scribble(&generator)]
        } else {
            let all = NonDigitShape.all
            let chosen = all[min(all.count - 1, Int(Self.unit(&generator) * Double(all.count)))]
            name = chosen.name
            shape = chosen.strokes
            if chosen.isLetter {
                // Joined-up handwriting: an exit stroke up to the right (40 %), a lead-in from below left (25 %).
                let exit = Self.unit(&generator), lead = Self.unit(&generator)
                let (exitX, exitY) = (0.15 + 0.25 * Self.unit(&generator), -0.3 * Self.unit(&generator))
                if exit < 0.4, let last = shape[shape.count - 1].last {
                    shape[shape.count - 1].append((last.x + exitX, last.y + exitY))
                }
                if lead < 0.25, let first = shape[0].first {
                    shape[0].insert((first.x - 0.15, first.y + 0.2), at: 0)
                }
            }
        }
        let angle = Self.uniform(12, &generator) * .pi / 180
        let slant = tan(Self.uniform(15, &generator) * .pi / 180)
        let widthFactor = 0.6 + 0.75 * Self.unit(&generator)
        let side = 150 + 50 * Self.unit(&generator)
        let (c, s) = (cos(angle), sin(angle))
        // A slow bend of the whole shape, like a hand's: x and y displaced by up to 8 % of the height along
        // one sine wave each.
        let bend = (0.08 * Self.unit(&generator), 0.08 * Self.unit(&generator), 2 * .pi * Self.unit(&generator), 2 * .pi * Self.unit(&generator))
        shape = shape.map { stroke in stroke.map { point in
            (point.x + bend.0 * sin(2 * .pi * point.y + bend.2), point.y + bend.1 * sin(2 * .pi * point.x + bend.3))
        } }
        shape = shape.map { stroke in
            let offset = (Self.uniform(0.04, &generator), Self.uniform(0.04, &generator))
            return stroke.map { point in
                let x = (point.x + slant * (0.5 - point.y)) * widthFactor + offset.0 + Self.uniform(0.025, &generator)
                let y = point.y + offset.1 + Self.uniform(0.025, &generator)
                return (c * x - s * y, s * x + c * y)
            }
        }
        // To the canvas with the pen-replay placement (it expects y up, so flip), shapes scaled ×100 so that
        // none is smaller than its one-unit floor.
        let pen = shape.map { stroke in stroke.map { CanvasPoint(x: $0.x * 100, y: -$0.y * 100) } }
        let placed = (try? Drawing.canvasStrokes(replaying: pen, digitSide: side)) ?? []
        return (name, placed)
    }

    /// A random scribble: a wandering line of 6–14 points with sharp turns.
    static func scribble<G: RandomNumberGenerator>(_ generator: inout G) -> [(x: Double, y: Double)] {
        let count = 6 + Int(unit(&generator) * 9)
        return (0..<count).map { _ in (unit(&generator), unit(&generator)) }
    }

    /// `count` non-digit network inputs, 784 bytes each (0 paper, 255 ink), drawn and preprocessed like the
    /// studio's drawings. A drawing whose preprocessing finds no ink (it cannot happen with these shapes) is
    /// drawn again.
    public func images<G: RandomNumberGenerator>(count: Int, generator: inout G) -> [UInt8] {
        var pixels: [UInt8] = []
        pixels.reserveCapacity(count * 784)
        var made = 0
        while made < count {
            let (_, strokes) = self.strokes(generator: &generator)
            guard let drawing = try? Drawing(width: Drawing.replayCanvasSide, height: Drawing.replayCanvasSide, strokes: strokes),
                  let digit = drawing.preprocessed().digit else { continue }
            pixels += digit.input.map { UInt8(max(0, min(255, ($0 * 255).rounded()))) }
            made += 1
        }
        return pixels
    }
}
