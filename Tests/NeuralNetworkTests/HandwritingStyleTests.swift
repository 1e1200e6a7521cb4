// Handwriting styles drawn onto MNIST digits: zero strength is the identity, known shapes get known strokes,
// and the same seed gives the same images on one and two threads.

import NeuralNetwork
import Testing

@Suite("Handwriting styles")
struct HandwritingStyleTests {
    static let side = 28

    /// A ring of radius 6 around (14, 14), like a crude zero, as bytes.
    static func ringBytes() -> [UInt8] {
        (0..<side * side).map { index in
            let dx = Float(index % side) - 14, dy = Float(index / side) - 14
            return abs((dx * dx + dy * dy).squareRoot() - 6) < 1 ? 255 : 0
        }
    }

    /// A vertical bar in column 14, rows 6…21, like a crude one.
    static func barBytes() -> [UInt8] {
        (0..<side * side).map { index in (6...21).contains(index / side) && index % side == 14 ? 255 : 0 }
    }

    static func floats(_ bytes: [UInt8]) -> [Float] { bytes.map { Float($0) / 255 } }

    static func applied(_ style: HandwritingStyle, to bytes: [UInt8], random: (Float, Float, Float, Float) = (0.5, 0.5, 0.5, 0.5)) -> [Float] {
        var image = floats(bytes)
        image.withUnsafeMutableBufferPointer { style.apply(to: $0.baseAddress!, side: side, random: random) }
        return image
    }

    @Test("styles 0 draws nothing and takes no random numbers, with or without a label")
    func zeroStrengthIsIdentity() {
        let settings = try! AugmentationSettings(specification: "rotate=10,shift=2,styles=0")
        #expect(settings.styles == 0)
        let bytes = Self.ringBytes()
        var plain = [Float](repeating: -1, count: bytes.count), labelled = plain
        var first = SeededGenerator(seed: 4), second = SeededGenerator(seed: 4)
        Augmenter(settings: settings).augment(bytes, side: Self.side, generator: &first, into: &plain)
        Augmenter(settings: settings).augment(bytes, side: Self.side, label: 0, generator: &second, into: &labelled)
        #expect(plain.map(\.bitPattern) == labelled.map(\.bitPattern))
        #expect(first == second)
    }

    @Test("a digit without styles (a 3) is left alone even at styles 1")
    func unstyledDigits() {
        let settings = AugmentationSettings(styles: 1)
        let bytes = Self.ringBytes()
        var output = [Float](repeating: -1, count: bytes.count)
        var generator = SeededGenerator(seed: 5)
        Augmenter(settings: settings).augment(bytes, side: Self.side, label: 3, generator: &generator, into: &output)
        #expect(output == Self.floats(bytes))
    }

    @Test("the specification reads and writes styles")
    func specification() throws {
        let settings = try AugmentationSettings(specification: "rotate=15,styles=0.3")
        #expect(settings.styles == 0.3 && settings.specification == "rotate=15,styles=0.3")
        #expect(throws: AugmentationSpecificationError.self) { try AugmentationSettings(specification: "styles=1.5") }
    }

    @Test("an anti-aliased line covers its pixels fully and nothing beyond its width")
    func lineCoverage() {
        var image = [Float](repeating: 0, count: Self.side * Self.side)
        image.withUnsafeMutableBufferPointer {
            HandwritingStyle.drawLine($0.baseAddress!, side: Self.side, from: (4, 10), to: (20, 10), halfWidth: 1)
        }
        // Coverage is clamp(halfWidth + 0.5 − distance, 0, 1): 1 on the line, 0.5 one pixel off it, 0 at two.
        #expect(image[10 * 28 + 12] == 1 && image[10 * 28 + 4] == 1 && image[10 * 28 + 20] == 1)
        #expect(image[11 * 28 + 12] == 0.5 && image[9 * 28 + 12] == 0.5)
        #expect(image[12 * 28 + 12] == 0 && image[8 * 28 + 12] == 0 && image[10 * 28 + 22] == 0)
    }

    @Test("a slashed zero gets ink outside its ring, below-left and above-right, and none elsewhere outside")
    func slashedZero() {
        let ring = Self.floats(Self.ringBytes())
        let styled = Self.applied(.slashedZero, to: Self.ringBytes())
        func newInk(_ row: Int, _ column: Int) -> Bool { styled[row * 28 + column] > 0.5 && ring[row * 28 + column] == 0 }
        #expect(newInk(21, 7) || newInk(22, 6), "below-left of the ring")
        #expect(newInk(7, 21) || newInk(6, 22), "above-right of the ring")
        #expect(!newInk(7, 7) && !newInk(21, 21), "the other diagonal stays empty")
        #expect(zip(styled, ring).allSatisfy { $0 >= $1 }, "the zero itself is kept")
    }

    @Test("a crossed zero is smaller, with a line reaching above and below it")
    func crossedZero() {
        let styled = Self.applied(.crossedZero, to: Self.ringBytes(), random: (0, 0.5, 0.5, 0.5))
        let box = styled.withUnsafeBufferPointer { InkBox($0.baseAddress!, side: 28) }!
        #expect(box.height >= 12, "the line is about as tall as the zero was: \(box)")
        // The ring itself shrinks to half: its old left edge (column 8, row 14) is empty.
        #expect(styled[14 * 28 + 8] < 0.3)
    }

    @Test("a one gets a flag down to the left of its top, and with a foot a bar under it")
    func flaggedOne() {
        let flagged = Self.applied(.flaggedOne(foot: false), to: Self.barBytes(), random: (1, 0, 0.5, 0.5))
        let bar = Self.floats(Self.barBytes())
        // r0 = 1: length 0.8 of the height (12.8 px); r1 = 0: 20° from the vertical → from (14, 6) to (9.6, 18.0),
        // passing (11.8, 12).
        #expect(flagged[12 * 28 + 12] > 0.5 && bar[12 * 28 + 12] == 0)
        #expect(flagged[18 * 28 + 10] > 0.5 && bar[18 * 28 + 10] == 0)
        #expect(flagged[12 * 28 + 16] == 0 && flagged[12 * 28 + 9] == 0, "nothing to the right, nothing far left")
        let footed = Self.applied(.flaggedOne(foot: true), to: Self.barBytes(), random: (1, 0, 1, 0.5))
        #expect(footed[21 * 28 + 10] > 0.5 && footed[21 * 28 + 18] > 0.5)
    }

    @Test("an arched flag bows away from the stem, reaching down to the bottom of a one at full length")
    func archedFlagOne() {
        let bar = Self.floats(Self.barBytes())
        // r0 = 1: the chord is the whole height (16 px); r1 = 0: 20° from the vertical, from (14, 6) to (8.5, 21.0);
        // r2 = 1: the control point 6.4 px off the chord's middle, up and left, at (5.3, 11.3): the curve passes
        // (8.3, 12.4) and (8.0, 19.1), left of the chord, whose middle (11.3, 13.5) stays empty.
        let arched = Self.applied(.archedFlagOne, to: Self.barBytes(), random: (1, 0, 1, 0.5))
        #expect(arched[12 * 28 + 8] > 0.5 && bar[12 * 28 + 8] == 0, "the arch")
        #expect(arched[20 * 28 + 8] > 0.5, "the end, near the bottom of the stem")
        #expect(arched[13 * 28 + 11] == 0 && arched[14 * 28 + 11] == 0, "nothing on the chord: it is a curve")
        #expect(zip(arched, bar).allSatisfy { $0 >= $1 }, "the stem is kept")
        // A straight flag along the same chord covers the chord's middle.
        var straight = bar
        straight.withUnsafeMutableBufferPointer {
            HandwritingStyle.drawCurve($0.baseAddress!, side: 28, from: (14, 6), control: (11.26, 13.52), to: (8.53, 21.04), halfWidth: 1.05)
        }
        #expect(straight[13 * 28 + 11] > 0.5 && straight[12 * 28 + 8] == 0)
    }

    @Test("a curled seven gets a short upturn to the right at the foot of its stem")
    func curledSeven() {
        let styled = Self.applied(.curledSeven, to: Self.barBytes(), random: (1, 0, 0.5, 0.5))
        // r0 = 1: 0.3 of the height (4.8 px); r1 = 0: 15° above the horizontal, from (14, 21) to (18.6, 19.8).
        #expect(styled[21 * 28 + 16] > 0.5 && styled[20 * 28 + 18] > 0.5)
        #expect(styled[21 * 28 + 11] == 0 && styled[15 * 28 + 17] == 0, "nothing to the left, nothing higher up")
    }

    @Test("a barred seven gets a horizontal bar across its stem")
    func barredSeven() {
        let styled = Self.applied(.barredSeven, to: Self.barBytes(), random: (0.5, 1, 0.5, 0.5))
        // The bar sits at 55 % of the height: row 6 + 16 · 0.55 ≈ 15, ±4.8 px around column 14.
        #expect(styled[15 * 28 + 10] > 0.5 && styled[15 * 28 + 18] > 0.5)
        #expect(styled[8 * 28 + 10] == 0 && styled[20 * 28 + 18] == 0)
    }

    @Test("a lifted five bar leaves empty rows between the bar and the body")
    func liftedFiveBar() {
        // A bar (row 6, columns 9…19) joined to a stem (column 9, rows 6…21).
        let five: [UInt8] = (0..<784).map { index in
            let (row, column) = (index / 28, index % 28)
            return (row == 6 && (9...19).contains(column)) || (column == 9 && (6...21).contains(row)) ? 255 : 0
        }
        let styled = Self.applied(.liftedFiveBar, to: five, random: (0, 1, 0, 0))
        // r0 = 0: the top fifth (rows 6…8) moves; r1 = 1: up by 2 (lift = 1 + Int(2 · 1) = 3, capped at the top row 6).
        #expect(styled[3 * 28 + 15] == 1, "the bar moved up to row 3")
        #expect(styled[6 * 28 + 15] == 0 && styled[7 * 28 + 9] == 0 && styled[8 * 28 + 9] == 0, "a gap under it")
        #expect(styled[9 * 28 + 9] == 1 && styled[21 * 28 + 9] == 1, "the body stays")
    }

    @Test("the same seed gives the same styled batch on one and two threads")
    func threads() {
        var images: [UInt8] = []
        var labels: [UInt8] = []
        for index in 0..<40 {
            images += index % 2 == 0 ? Self.ringBytes() : Self.barBytes()
            labels.append(index % 2 == 0 ? 0 : [1, 5, 7][index % 3])
        }
        let set = LabeledImages(pixels: images, labels: labels)
        var generator = SeededGenerator(seed: 1)
        let network = Network.multilayerPerceptron(sizes: [784, 10], generator: &generator)
        let augmenter = Augmenter(settings: AugmentationSettings(rotationDegrees: 5, styles: 0.8))
        func batch(_ workers: WorkerThreads?) -> [Float] {
            var matrix = Matrix(rows: 1, columns: 784)
            BatchLoader(for: network).loadAugmented(set, indices: Array(0..<40)[...], augmenter: augmenter, into: &matrix, workers: workers) {
                SeededGenerator(seed: 9, stream: UInt64($0))
            }
            return matrix.values
        }
        let two = WorkerThreads(threadCount: 2)
        defer { two.stop() }
        let single = batch(nil)
        #expect(single.map(\.bitPattern) == batch(two).map(\.bitPattern))
        let plain = Augmenter(settings: AugmentationSettings(rotationDegrees: 5))
        var unstyled = Matrix(rows: 1, columns: 784)
        BatchLoader(for: network).loadAugmented(set, indices: Array(0..<40)[...], augmenter: plain, into: &unstyled, workers: nil) { SeededGenerator(seed: 9, stream: UInt64($0)) }
        #expect(single != unstyled.values, "styles at 0.8 changed some images")
    }
}
