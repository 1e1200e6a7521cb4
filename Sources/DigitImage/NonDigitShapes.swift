// NonDigitShapes.swift — letters, symbols and marks that are not digits, written as pen strokes by code.
//
// They teach a network what "not a digit" looks like (`NonDigitSynthesizer` varies and draws them). Each
// shape is a few polylines in a box about one unit tall, x to the right and y down (like the canvas).
// Characters that people write like digits are left out on purpose — O, o, D, Q (0), I, l, i, |, /, !, T,
// t, Y, J without its bar (1, 7), S, s, Z, z, 2-like ?, B, b, G, g, q, A (8, 6, 9, 4), squares (0) — so
// that the network never learns to reject a real digit because a shape resembles it.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A named shape: its strokes, each a polyline of (x, y) points.
public struct NonDigitShape: Sendable {
    public let name: String
    public let strokes: [[(x: Double, y: Double)]]

    /// A shape from strokes drawn in a box one unit tall; `widening` stretches x, for the small letters that
    /// hands write wider than tall (a u w m: half again to twice their height in pen-written letters,
    /// where the strokes below draw them about two thirds as wide).
    init(_ name: String, _ strokes: [[(x: Double, y: Double)]], widening: Double = 1) {
        self.name = name
        self.strokes = strokes.map { stroke in stroke.map { (x: $0.x * widening, y: $0.y) } }
    }

    /// True for a letter (its name starts with one), which handwriting joins to its neighbours with
    /// lead-in and exit strokes.
    public var isLetter: Bool { name.first.map(\.isLetter) == true && name.count <= 2 }

    /// Points on an ellipse around (cx, cy) with radii (rx, ry), from angle `from` to `to` in degrees
    /// (0° to the right, 90° down, so increasing angles turn clockwise on screen), `count` points.
    static func arc(_ cx: Double, _ cy: Double, _ rx: Double, _ ry: Double, from: Double, to: Double, count: Int = 14) -> [(x: Double, y: Double)] {
        (0..<count).map { index in
            let angle = (from + (to - from) * Double(index) / Double(count - 1)) * .pi / 180
            return (cx + rx * cos(angle), cy + ry * sin(angle))
        }
    }

    /// Every shape, capitals, small letters, symbols and marks.
    public static let all: [NonDigitShape] = capitals + smallLetters + symbols + marks

    static let capitals: [NonDigitShape] = [
        NonDigitShape("C", [arc(0.45, 0.5, 0.45, 0.5, from: -40, to: -320)]),
        NonDigitShape("E", [[(0.75, 0), (0, 0), (0, 1), (0.75, 1)], [(0, 0.5), (0.55, 0.5)]]),
        NonDigitShape("F", [[(0.75, 0), (0, 0), (0, 1)], [(0, 0.5), (0.55, 0.5)]]),
        NonDigitShape("H", [[(0, 0), (0, 1)], [(0.75, 0), (0.75, 1)], [(0, 0.5), (0.75, 0.5)]]),
        NonDigitShape("J", [[(0.15, 0), (0.85, 0)], [(0.55, 0), (0.55, 0.72)] + arc(0.3, 0.72, 0.25, 0.28, from: 0, to: 170, count: 8)]),
        NonDigitShape("K", [[(0, 0), (0, 1)], [(0.7, 0), (0, 0.55)], [(0.2, 0.42), (0.75, 1)]]),
        NonDigitShape("L", [[(0, 0), (0, 1), (0.65, 1)]]),
        NonDigitShape("M", [[(0, 1), (0, 0), (0.45, 0.65), (0.9, 0), (0.9, 1)]]),
        NonDigitShape("N", [[(0, 1), (0, 0), (0.75, 1), (0.75, 0)]]),
        NonDigitShape("P", [[(0, 1), (0, 0), (0.4, 0)] + arc(0.4, 0.25, 0.3, 0.25, from: -90, to: 90, count: 10) + [(0, 0.5)]]),
        NonDigitShape("R", [[(0, 1), (0, 0), (0.4, 0)] + arc(0.4, 0.25, 0.3, 0.25, from: -90, to: 90, count: 10) + [(0, 0.5)],
                            [(0.3, 0.5), (0.75, 1)]]),
        NonDigitShape("U", [[(0, 0), (0, 0.6)] + arc(0.38, 0.6, 0.38, 0.4, from: 180, to: 0) + [(0.76, 0)]]),
        NonDigitShape("V", [[(0, 0), (0.42, 1), (0.84, 0)]]),
        NonDigitShape("W", [[(0, 0), (0.25, 1), (0.5, 0.35), (0.75, 1), (1, 0)]]),
        NonDigitShape("X", [[(0, 0), (0.8, 1)], [(0.8, 0), (0, 1)]]),
        NonDigitShape("K2", [[(0, 0), (0, 1)], [(0.7, 0), (0.05, 0.5), (0.75, 1)]]),
        NonDigitShape("R2", [[(0, 1), (0, 0), (0.4, 0)] + arc(0.4, 0.25, 0.3, 0.25, from: -90, to: 90, count: 10) + [(0.05, 0.5), (0.75, 1)]]),
        NonDigitShape("N2", [[(0, 1), (0, 0)], [(0, 0), (0.75, 1), (0.75, 0)]]),
        NonDigitShape("M2", [[(0, 1), (0.1, 0), (0.45, 0.9), (0.8, 0), (0.9, 1)]]),
        NonDigitShape("C2", [arc(0.5, 0.5, 0.5, 0.45, from: -60, to: -300, count: 12)]),
        NonDigitShape("H2", [[(0, 0), (0.05, 1)], [(0.7, 0), (0.75, 1)], [(0, 0.45), (0.75, 0.55)]]),
        NonDigitShape("L2", [[(0.05, 0), (0, 1), (0.9, 0.95)]]),
        NonDigitShape("P2", [[(0, 1), (0, 0)], [(0, 0)] + arc(0.3, 0.25, 0.4, 0.25, from: -90, to: 90, count: 10) + [(0, 0.5)]]),
        NonDigitShape("U2", [[(0, 0), (0.05, 0.8), (0.3, 1), (0.6, 1), (0.8, 0.8), (0.85, 0)]]),
        NonDigitShape("J2", [[(0, 0), (0.8, 0)], [(0.45, 0), (0.45, 0.85), (0.3, 1), (0.05, 0.9)]]),
        NonDigitShape("E2", [arc(0.45, 0.27, 0.4, 0.27, from: -30, to: -270, count: 10) + arc(0.45, 0.73, 0.45, 0.27, from: -90, to: -320, count: 10)]),
    ]

    static let smallLetters: [NonDigitShape] = [
        NonDigitShape("a", [arc(0.3, 0.55, 0.3, 0.45, from: -20, to: -340), [(0.62, 0.1), (0.62, 1)]], widening: 1.8),
        NonDigitShape("a2", [arc(0.3, 0.6, 0.3, 0.4, from: -10, to: -350) + [(0.62, 0.15), (0.62, 0.9), (0.72, 1)]], widening: 1.8),
        NonDigitShape("a3", [arc(0.35, 0.2, 0.3, 0.2, from: 200, to: 360, count: 8) + [(0.65, 1)],
                             arc(0.35, 0.68, 0.3, 0.3, from: -20, to: -340, count: 12)], widening: 1.6),
        NonDigitShape("a4", [[(0.65, 0.2)] + arc(0.35, 0.6, 0.32, 0.42, from: -60, to: -330, count: 14) + [(0.62, 0.15), (0.62, 0.95), (0.8, 1)]], widening: 1.8),
        NonDigitShape("c", [arc(0.35, 0.5, 0.35, 0.5, from: -45, to: -315)], widening: 1.3),
        NonDigitShape("d", [arc(0.3, 0.7, 0.3, 0.3, from: -20, to: -340), [(0.62, 0), (0.62, 1)]]),
        NonDigitShape("d2", [arc(0.3, 0.7, 0.3, 0.3, from: -10, to: -350, count: 12) + [(0.6, 0), (0.6, 1), (0.75, 1.05)]]),
        NonDigitShape("d3", [[(0.6, 0.55)] + arc(0.3, 0.72, 0.3, 0.28, from: -30, to: -330, count: 12) + [(0.6, 0.5), (0.65, 0), (0.6, 1)]]),
        NonDigitShape("e2", [[(0, 0.7), (0.5, 0.45)] + arc(0.3, 0.35, 0.25, 0.3, from: 30, to: -230, count: 10) + [(0.1, 0.8), (0.4, 1), (0.75, 0.85)]], widening: 1.2),
        NonDigitShape("e", [[(0.05, 0.55), (0.68, 0.55)] + arc(0.37, 0.55, 0.33, 0.45, from: 0, to: -300)], widening: 1.3),
        NonDigitShape("f", [arc(0.5, 0.15, 0.2, 0.15, from: -20, to: -180, count: 8) + [(0.3, 1.1)], [(0.05, 0.45), (0.6, 0.45)]]),
        NonDigitShape("f2", [[(0.7, 0.05), (0.45, 0), (0.3, 0.2), (0.3, 1.1)], [(0.05, 0.5), (0.6, 0.45)]]),
        NonDigitShape("h2", [[(0, 0), (0, 1)] + [(0, 0.6), (0.3, 0.45), (0.55, 0.55), (0.6, 1)]]),
        NonDigitShape("h", [[(0, 0), (0, 1)], [(0, 0.7)] + arc(0.3, 0.65, 0.3, 0.25, from: 180, to: 360, count: 10) + [(0.6, 1)]]),
        NonDigitShape("k", [[(0, 0), (0, 1)], [(0.5, 0.4), (0.02, 0.72), (0.55, 1)]]),
        NonDigitShape("m", [[(0, 0.3), (0, 1)], [(0, 0.55)] + arc(0.25, 0.55, 0.25, 0.25, from: 180, to: 360, count: 8) + [(0.5, 1)],
                            [(0.5, 0.55)] + arc(0.75, 0.55, 0.25, 0.25, from: 180, to: 360, count: 8) + [(1, 1)]], widening: 1.4),
        NonDigitShape("n", [[(0, 0.2), (0, 1)], [(0, 0.5)] + arc(0.3, 0.5, 0.3, 0.3, from: 180, to: 360, count: 10) + [(0.6, 1)]], widening: 1.6),
        NonDigitShape("n2", [[(0, 0.2), (0, 1)] + [(0, 0.5)] + arc(0.3, 0.5, 0.3, 0.3, from: 180, to: 360, count: 10) + [(0.6, 1)]], widening: 1.6),
        NonDigitShape("p", [[(0, 0), (0, 1.3)], arc(0.3, 0.3, 0.3, 0.3, from: 190, to: 530, count: 16)]),
        NonDigitShape("p2", [[(0, 0), (0, 1.3), (0, 0.1)] + arc(0.3, 0.3, 0.3, 0.3, from: 200, to: 500, count: 14)]),
        NonDigitShape("r", [[(0, 0), (0, 1)], [(0, 0.45)] + arc(0.35, 0.4, 0.35, 0.3, from: 180, to: 300, count: 8)], widening: 1.6),
        NonDigitShape("u", [[(0, 0), (0, 0.6)] + arc(0.3, 0.6, 0.3, 0.4, from: 180, to: 0, count: 10), [(0.6, 0), (0.6, 1), (0.7, 1.05)]], widening: 1.6),
        NonDigitShape("u2", [[(0, 0), (0, 0.6)] + arc(0.3, 0.6, 0.3, 0.4, from: 180, to: 0, count: 10) + [(0.6, 0), (0.6, 1)]], widening: 1.6),
        NonDigitShape("u3", [[(0, 0), (0.05, 0.8), (0.3, 1), (0.55, 0.8), (0.6, 0), (0.62, 1)]], widening: 1.6),
        NonDigitShape("v", [[(0, 0), (0.35, 1), (0.7, 0)]], widening: 1.2),
        NonDigitShape("w", [[(0, 0), (0.18, 1), (0.38, 0.25), (0.58, 1), (0.76, 0)]], widening: 1.7),
        NonDigitShape("x", [[(0, 0), (0.7, 1)], [(0.7, 0), (0, 1)]], widening: 1.2),
        NonDigitShape("y", [[(0, 0), (0.35, 0.65)], [(0.7, 0), (0.15, 1.4)]]),
        NonDigitShape("y2", [[(0, 0), (0, 0.45)] + arc(0.3, 0.45, 0.3, 0.3, from: 180, to: 0, count: 8) + [(0.6, 0), (0.6, 1.1)]
                             + arc(0.35, 1.1, 0.25, 0.25, from: 0, to: 160, count: 8)]),
        NonDigitShape("y3", [[(0, 0), (0.3, 0.7), (0.6, 0)], [(0.3, 0.7), (0.25, 1.4)]]),
        NonDigitShape("y4", [[(0, 0), (0.32, 0.65)], [(0.65, 0), (0.35, 1.1)] + arc(0.2, 1.1, 0.15, 0.25, from: 0, to: 200, count: 8)]),
    ]

    static let symbols: [NonDigitShape] = [
        NonDigitShape("#", [[(0.3, 0), (0.2, 1)], [(0.7, 0), (0.6, 1)], [(0, 0.33), (0.95, 0.33)], [(0, 0.66), (0.9, 0.66)]]),
        NonDigitShape("$", [arc(0.35, 0.3, 0.3, 0.2, from: -20, to: -270, count: 10) + arc(0.35, 0.7, 0.3, 0.2, from: -90, to: 160, count: 10),
                            [(0.35, 0), (0.35, 1)]]),
        NonDigitShape("%", [arc(0.18, 0.18, 0.16, 0.18, from: 0, to: 360, count: 10), [(0.9, 0), (0.1, 1)],
                            arc(0.82, 0.82, 0.16, 0.18, from: 0, to: 360, count: 10)]),
        NonDigitShape("%2", [arc(0.2, 0.2, 0.15, 0.15, from: 0, to: 360, count: 10), [(0.8, 0.05), (0.15, 0.95)],
                             arc(0.8, 0.8, 0.15, 0.15, from: 0, to: 360, count: 10)]),
        NonDigitShape("%3", [arc(0.2, 0.12, 0.07, 0.07, from: 0, to: 360, count: 8), [(0.85, 0), (0.15, 1)],
                             arc(0.8, 0.88, 0.07, 0.07, from: 0, to: 360, count: 8)]),
        NonDigitShape("%4", [arc(0.15, 0.15, 0.035, 0.035, from: 0, to: 360, count: 6), [(0.7, 0), (0.25, 1)],
                             arc(0.8, 0.85, 0.035, 0.035, from: 0, to: 360, count: 6)]),
        NonDigitShape("$2", [arc(0.35, 0.3, 0.3, 0.2, from: -20, to: -270, count: 10) + arc(0.35, 0.7, 0.3, 0.2, from: -90, to: 160, count: 10),
                             [(0.3, -0.1), (0.3, 1.1)], [(0.45, -0.1), (0.45, 1.1)]]),
        NonDigitShape("*", [[(0.5, 0), (0.5, 1)], [(0.07, 0.25), (0.93, 0.75)], [(0.93, 0.25), (0.07, 0.75)]]),
        NonDigitShape("*2", [[(0.5, 0), (0.5, 1)], [(0, 0.5), (1, 0.5)], [(0.15, 0.15), (0.85, 0.85)], [(0.85, 0.15), (0.15, 0.85)]]),
        NonDigitShape("+", [[(0.5, 0), (0.5, 1)], [(0, 0.5), (1, 0.5)]]),
        NonDigitShape("-", [[(0, 0.5), (1, 0.5)]]),
        NonDigitShape("<", [[(0.8, 0), (0, 0.5), (0.8, 1)]]),
        NonDigitShape(">", [[(0, 0), (0.8, 0.5), (0, 1)]]),
        NonDigitShape("=", [[(0, 0.3), (1, 0.3)], [(0, 0.7), (1, 0.7)]]),
        NonDigitShape("@", [arc(0.45, 0.5, 0.17, 0.2, from: -10, to: -350, count: 10) + [(0.62, 0.3), (0.64, 0.68), (0.8, 0.7)]
                            + arc(0.5, 0.5, 0.5, 0.5, from: 10, to: -300, count: 18)]),
        NonDigitShape("[", [[(0.45, 0), (0, 0), (0, 1), (0.45, 1)]]),
        NonDigitShape("^", [[(0, 1), (0.45, 0), (0.9, 1)]], widening: 1.3),
        NonDigitShape("_", [[(0, 1), (1, 1)]]),
        NonDigitShape("{", [[(0.5, 0), (0.3, 0.05), (0.25, 0.4), (0, 0.5), (0.25, 0.6), (0.3, 0.95), (0.5, 1)]]),
        NonDigitShape("{2", [[(0.6, 0)] + arc(0.6, 0.2, 0.3, 0.2, from: 270, to: 180, count: 5) + [(0.3, 0.35), (0, 0.5), (0.3, 0.65)]
                             + arc(0.6, 0.8, 0.3, 0.2, from: 180, to: 90, count: 5)]),
        NonDigitShape(">2", [[(0, 0.1), (0.9, 0.5), (0.05, 0.9)]]),
        NonDigitShape(">3", [[(0, 0), (0.75, 0.35), (0.85, 0.45), (0.1, 1)]]),
        NonDigitShape(">4", [[(0, 0), (0.6, 0.28), (0.8, 0.42), (0.82, 0.55), (0.6, 0.72), (0.02, 1)]]),
        NonDigitShape("<2", [[(0.9, 0.1), (0, 0.5), (0.85, 0.9)]]),
        NonDigitShape("}", [[(0, 0), (0.2, 0.05), (0.25, 0.4), (0.5, 0.5), (0.25, 0.6), (0.2, 0.95), (0, 1)]]),
        NonDigitShape("~", [arc(0.25, 0.5, 0.25, 0.2, from: 180, to: 360, count: 8) + arc(0.75, 0.5, 0.25, 0.2, from: 180, to: 0, count: 8)]),
        NonDigitShape("&", [[(0.9, 1), (0.2, 0.4)] + arc(0.35, 0.2, 0.2, 0.2, from: 135, to: -200, count: 10) + [(0.1, 0.75)]
                            + arc(0.35, 0.75, 0.25, 0.25, from: 180, to: 20, count: 8) + [(0.9, 0.5)]]),
    ]

    static let marks: [NonDigitShape] = {
        typealias Point = (x: Double, y: Double)
        let ring: [Point] = arc(0.5, 0.5, 0.5, 0.5, from: 0, to: 360, count: 20)
        let leftLobe: [Point] = arc(0.25, 0.25, 0.25, 0.22, from: 150, to: 340, count: 8)
        let rightLobe: [Point] = arc(0.75, 0.25, 0.25, 0.22, from: 200, to: 390, count: 8)
        let heart: [Point] = [(0.5, 1), (0, 0.35)] + leftLobe + rightLobe + [(0.5, 1)]
        var wave: [Point] = []
        for index in 0..<24 {
            let x = Double(index) / 23
            wave.append((x, 0.5 + 0.4 * sin(x * 4 * .pi)))
        }
        return [
            NonDigitShape("circle with a cross", [ring, [(0.5, 0), (0.5, 1)], [(0, 0.5), (1, 0.5)]]),
            NonDigitShape("circle with an x", [ring, [(0.15, 0.15), (0.85, 0.85)], [(0.85, 0.15), (0.15, 0.85)]]),
            NonDigitShape("triangle", [[(0.5, 0), (1, 1), (0, 1), (0.5, 0)]]),
            NonDigitShape("star", [[(0.5, 0), (0.2, 1), (0.95, 0.35), (0.05, 0.35), (0.8, 1), (0.5, 0)]]),
            NonDigitShape("check mark", [[(0, 0.55), (0.3, 1), (1, 0)]]),
            NonDigitShape("arrow", [[(0, 0.5), (1, 0.5)], [(0.7, 0.2), (1, 0.5), (0.7, 0.8)]]),
            NonDigitShape("heart", [heart]),
            NonDigitShape("grid", [[(0.33, 0), (0.33, 1)], [(0.66, 0), (0.66, 1)], [(0, 0.33), (1, 0.33)], [(0, 0.66), (1, 0.66)]]),
            NonDigitShape("wave", [wave]),
        ]
    }()
}
