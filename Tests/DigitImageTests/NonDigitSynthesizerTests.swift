// Synthetic non-digits: every shape draws ink, the same seed gives the same images, and the images are
// what the studio's preprocessing makes of a canvas drawing (28×28, ink centred by its mass).

import DigitImage
import Testing

/// A small deterministic generator for the tests (SplitMix64).
struct TestGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Synthetic non-digits")
struct NonDigitSynthesizerTests {
    @Test("every shape, placed on the canvas, preprocesses to a 28×28 input with ink")
    func everyShapeHasInk() throws {
        for shape in NonDigitShape.all {
            let pen = shape.strokes.map { stroke in stroke.map { CanvasPoint(x: $0.x * 100, y: -$0.y * 100) } }
            let drawing = try Drawing(replayingPenStrokes: pen)
            let input = try #require(drawing.preprocessed().digit?.input, "\(shape.name) has no ink")
            #expect(input.count == 784)
            #expect(input.filter { $0 > 0.5 }.count > 15, "\(shape.name): \(input.filter { $0 > 0.5 }.count) inked pixels")
        }
    }

    @Test("small letters are drawn about as wide as hands write them, and the widening stretches x alone")
    func smallLetterProportions() throws {
        func box(_ name: String) throws -> (width: Double, height: Double) {
            let shape = try #require(NonDigitShape.all.first { $0.name == name }, "no shape \(name)")
            let points = shape.strokes.joined()
            let xs = points.map(\.x), ys = points.map(\.y)
            return (xs.max()! - xs.min()!, ys.max()! - ys.min()!)
        }
        // Pen-written a, u, w and m are 1.0–1.5 times as wide as tall (the medians in nondigits-dev.json); their
        // strokes are drawn 0.6–1.0 wide in a box one unit tall, then widened.
        for name in ["a", "u", "w", "m"] {
            let (width, height) = try box(name)
            #expect(width / height >= 0.95, "\(name): \(width) × \(height)")
        }
        // The widening multiplies x and leaves y alone: the "a" ring (14 points on a circle of radius 0.3 about
        // x = 0.3, the leftmost at x = 0.007) and its stem at x = 0.62, widened 1.8 times, span 1.104 in x; in y
        // the stem's top (0.1) to the ring's bottom (0.999).
        let (width, height) = try box("a")
        #expect(abs(width - 1.104) < 0.002 && abs(height - 0.899) < 0.002, "\(width) × \(height)")
        // Narrow letters are not widened: an "f" stays narrower than tall.
        let f = try box("f")
        #expect(f.width / f.height < 0.7)
    }

    @Test("the same seed gives the same images; another seed, other images")
    func reproducible() {
        var first = TestGenerator(state: 1), second = TestGenerator(state: 1), third = TestGenerator(state: 2)
        let synthesizer = NonDigitSynthesizer()
        let a = synthesizer.images(count: 20, generator: &first)
        let b = synthesizer.images(count: 20, generator: &second)
        let c = synthesizer.images(count: 20, generator: &third)
        #expect(a.count == 20 * 784 && a == b && a != c)
    }

    @Test("the drawings vary: twenty of them are twenty different images, all on the 280×280 canvas")
    func varied() {
        var generator = TestGenerator(state: 9)
        let synthesizer = NonDigitSynthesizer()
        var seen = Set<[UInt8]>()
        for _ in 0..<20 {
            let (name, strokes) = synthesizer.strokes(generator: &generator)
            #expect(!name.isEmpty)
            #expect(strokes.joined().allSatisfy { (0...280).contains($0.x) && (0...280).contains($0.y) })
            let drawing = try? Drawing(width: 280, height: 280, strokes: strokes)
            if let input = drawing?.preprocessed().digit?.input { seen.insert(input.map { UInt8($0 * 255) }) }
        }
        #expect(seen.count == 20)
    }
}
