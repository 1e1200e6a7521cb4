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
