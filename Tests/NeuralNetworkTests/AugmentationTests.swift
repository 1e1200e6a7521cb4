// Data augmentation: exact identities, known pixel moves, reproducibility, and the settings parser.

import NeuralNetwork
import Testing

@Suite("Augmentation")
struct AugmentationTests {
    static let side = 28

    /// A side × side image of uniform random values in [0, 1).
    static func randomImage(seed: UInt64, side: Int = side) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        return (0..<side * side).map { _ in generator.nextUnitFloat() }
    }

    /// A black image with the listed (row, column) pixels set to 1.
    static func pixels(_ points: [(row: Int, column: Int)], side: Int = side) -> [Float] {
        var image = [Float](repeating: 0, count: side * side)
        for point in points { image[point.row * side + point.column] = 1 }
        return image
    }

    /// The non-zero pixels as "row,column" → value (short failure messages).
    static func ink(_ image: [Float], side: Int = side) -> [String: Float] {
        var result: [String: Float] = [:]
        for (index, value) in image.enumerated() where value != 0 { result["\(index / side),\(index % side)"] = value }
        return result
    }

    /// A byte image of a vertical bar with a slanted top, like a crude "1".
    static func digitBytes() -> [UInt8] {
        (0..<side * side).map { i in
            let (row, column) = (i / side, i % side)
            return (6...21).contains(row) && abs(column - 14 - (row < 9 ? row - 9 : 0)) <= 1 ? 255 : 0
        }
    }

    @Test("zero-strength warps copy the image bit for bit")
    func identities() {
        let image = Self.randomImage(seed: 1)
        let bits = image.map(\.bitPattern)
        var output = [Float](repeating: -1, count: image.count)
        ImageWarp.affine(image, side: Self.side, transform: .identity, into: &output)
        #expect(output.map(\.bitPattern) == bits)
        output = [Float](repeating: -1, count: image.count)
        var generator = SeededGenerator(seed: 2)
        ImageWarp.elastic(image, side: Self.side, alpha: 0, sigma: 4, generator: &generator, into: &output)
        #expect(output.map(\.bitPattern) == bits)
        #expect(generator == SeededGenerator(seed: 2), "alpha 0 draws nothing")
        output = [Float](repeating: -1, count: image.count)
        ImageWarp.thickness(image, side: Self.side, amount: 0, into: &output)
        #expect(output.map(\.bitPattern) == bits)
        output = [Float](repeating: -1, count: image.count)
        ImageWarp.affine(image, side: Self.side, transform: .rotation(degrees: 90).then(.rotation(degrees: -90)),
                         into: &output)
        #expect(output.map(\.bitPattern) == bits)
    }

    @Test("Augmenter with .none only converts bytes to pixel/255")
    func augmenterNone() {
        var generator = SeededGenerator(seed: 3)
        let bytes = (0..<Self.side * Self.side).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        var output = [Float](repeating: -1, count: bytes.count)
        #expect(AugmentationSettings.none.isIdentity)
        Augmenter(settings: .none).augment(bytes, side: Self.side, generator: &generator, into: &output)
        #expect(output.map(\.bitPattern) == bytes.map { (Float($0) / 255).bitPattern })
    }

    @Test("rotating by +90° turns counterclockwise on screen and lands on the exact pixel")
    func rotation90() {
        // Centre 13.5: (row 3, column 20) is (x 6.5, y −10.5); +90° gives (x −10.5, y −6.5) = (row 7, column 3).
        let image = Self.pixels([(3, 20)])
        var output = [Float](repeating: 0, count: image.count)
        ImageWarp.affine(image, side: Self.side, transform: .rotation(degrees: 90), into: &output)
        #expect(Self.ink(output) == ["7,3": 1])
        // −90° (clockwise) gives (x 10.5, y 6.5) = (row 20, column 24).
        ImageWarp.affine(image, side: Self.side, transform: .rotation(degrees: -90), into: &output)
        #expect(Self.ink(output) == ["20,24": 1])
    }

    @Test("a shift of (+2, +1) moves two columns right and one row down")
    func shift() {
        var output = [Float](repeating: 0, count: Self.side * Self.side)
        ImageWarp.affine(Self.pixels([(5, 9)]), side: Self.side, transform: .shift(x: 2, y: 1), into: &output)
        #expect(Self.ink(output) == ["6,11": 1])
        let point = AffineTransform.shift(x: 2, y: 1).apply(x: 0, y: 0)
        #expect(point.x == 2 && point.y == 1)
    }

    @Test("scale 2 doubles distances from the centre and quadruples the ink")
    func scale2() {
        // Odd side 29: centre 14, so (row 15, column 16) = (x 2, y 1) goes exactly to (x 4, y 2) = (16, 18).
        var output = [Float](repeating: 0, count: 29 * 29)
        ImageWarp.affine(Self.pixels([(15, 16)], side: 29), side: 29, transform: .scale(2), into: &output)
        #expect(output[16 * 29 + 18] == 1)
        #expect(output[16 * 29 + 17] == 0.5)          // halfway back towards the centre
        #expect(output[15 * 29 + 16] == 0)
        // Side 28: the central 2 × 2 block becomes a 6 × 6 bilinear blob of total ink 4 · 4 = 16.
        let block = Self.pixels([(13, 13), (13, 14), (14, 13), (14, 14)])
        output = [Float](repeating: 0, count: block.count)
        ImageWarp.affine(block, side: Self.side, transform: .scale(2), into: &output)
        #expect(output.reduce(0, +) == 16)
        #expect(output[13 * 28 + 13] == 1 && output[12 * 28 + 13] == 0.75 && output[11 * 28 + 13] == 0.25)
    }

    @Test("transforms compose and invert")
    func composeAndInvert() {
        let t = AffineTransform.shear(degrees: 10).then(.scale(1.2)).then(.rotation(degrees: 17))
            .then(.shift(x: 2, y: -1))
        let round = t.then(t.inverse)
        for (value, expected) in [(round.a, 1), (round.b, 0), (round.c, 0), (round.d, 1), (round.tx, 0), (round.ty, 0)] {
            #expect(abs(value - Float(expected)) < 1e-5)
        }
        // Positive shear slants like italics: the point above the centre moves right.
        #expect(AffineTransform.shear(degrees: 45).apply(x: 0, y: -1).x > 0.999)
    }

    @Test("thickness +1 grows a pixel into a plus; −1 deletes a 1-pixel line")
    func thickness() {
        var output = [Float](repeating: 0, count: Self.side * Self.side)
        ImageWarp.thickness(Self.pixels([(10, 10)]), side: Self.side, amount: 1, into: &output)
        #expect(Self.ink(output) == ["10,10": 1, "9,10": 1, "11,10": 1, "10,9": 1, "10,11": 1])
        let line = Self.pixels((4..<24).map { (12, $0) })
        ImageWarp.thickness(line, side: Self.side, amount: -1, into: &output)
        #expect(Self.ink(output).isEmpty)
        ImageWarp.thickness(line, side: Self.side, amount: 0.5, into: &output)
        #expect(output.reduce(0, +) == 20 + 0.5 * 42)   // the line plus half of its 42 neighbours
    }

    @Test("same seed gives the same images, another seed other images")
    func reproducible() throws {
        let settings = try AugmentationSettings(specification: "rotate=12,scale=0.12,shift=2.5,shear=10,elastic=34:4,thickness=0.5")
        let augmenter = Augmenter(settings: settings)
        let bytes = Self.digitBytes()
        func augmented(seed: UInt64) -> ([Float], SeededGenerator) {
            var generator = SeededGenerator(seed: seed)
            var output = [Float](repeating: 0, count: bytes.count)
            for _ in 0..<3 { augmenter.augment(bytes, side: Self.side, generator: &generator, into: &output) }
            return (output, generator)
        }
        let (first, firstGenerator) = augmented(seed: 7)
        let (again, againGenerator) = augmented(seed: 7)
        let (other, _) = augmented(seed: 8)
        #expect(first == again && firstGenerator == againGenerator)
        #expect(first != other)
        #expect(first.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(first != bytes.map { Float($0) / 255 })
    }

    @Test("a stretch changes a digit's width alone, and takes a random draw only when it is on")
    func stretch() throws {
        let settings = try AugmentationSettings(specification: "stretch=0.5")
        #expect(settings == AugmentationSettings(stretch: 0.5) && settings.specification == "stretch=0.5" && !settings.isIdentity)
        let augmenter = Augmenter(settings: settings)
        // A horizontal bar (row 14, columns 6…21) and a vertical one (column 14, rows 6…21).
        let horizontal = Self.pixels((6...21).map { (14, $0) }).map { UInt8($0 * 255) }
        let vertical = Self.pixels((6...21).map { ($0, 14) }).map { UInt8($0 * 255) }
        func extent(_ image: [Float]) -> (rows: ClosedRange<Int>, columns: ClosedRange<Int>) {
            let inked = image.indices.filter { image[$0] >= 0.5 }
            let rows = inked.map { $0 / Self.side }, columns = inked.map { $0 % Self.side }
            return (rows.min()!...rows.max()!, columns.min()!...columns.max()!)
        }
        var generator = SeededGenerator(seed: 3)
        var widths = Set<Int>()
        for _ in 0..<12 {
            var output = [Float](repeating: 0, count: Self.side * Self.side)
            var copy = generator
            augmenter.augment(horizontal, side: Self.side, generator: &generator, into: &output)
            // The factor is the seventh draw: 1 + 0.5 · (2u − 1). The bar's 16 pixels cover x = −8…8 about the
            // centre (column 13.5), at least half-inked; stretched, −8f…8f: the 16f ± 1 columns whose centres lie
            // inside, as many on each side.
            for _ in 0..<6 { _ = copy.nextUnitFloat() }
            let factor = 1 + 0.5 * (2 * copy.nextUnitFloat() - 1)
            #expect(copy == generator, "seven draws")
            let bar = extent(output)
            #expect(bar.rows == 14...14, "the row stays")
            #expect(abs(Float(bar.columns.count) - 16 * factor) <= 1.001, "\(bar.columns) for a factor \(factor)")
            #expect(bar.columns.lowerBound + bar.columns.upperBound == 27, "about the centre: \(bar.columns)")
            widths.insert(bar.columns.count)
            augmenter.augment(vertical, side: Self.side, generator: &generator, into: &output)
            #expect(extent(output).rows == 6...21, "the height stays")
        }
        #expect(widths.count >= 4, "the widths vary: \(widths)")
        // Without a stretch, the six draws of before.
        var plain = SeededGenerator(seed: 3), counted = SeededGenerator(seed: 3)
        var output = [Float](repeating: 0, count: Self.side * Self.side)
        Augmenter(settings: try AugmentationSettings(specification: "rotate=5")).augment(horizontal, side: Self.side, generator: &plain, into: &output)
        for _ in 0..<6 { _ = counted.nextUnitFloat() }
        #expect(plain == counted)
    }

    @Test("elastic distortion changes the image and keeps values in [0, 1]")
    func elastic() {
        let image = Self.randomImage(seed: 4)
        var output = [Float](repeating: 0, count: image.count)
        var generator = SeededGenerator(seed: 5)
        let kernel = GaussianKernel(sigma: 4)
        #expect(abs(kernel.weights.reduce(0, +) - 1) < 1e-6 && kernel.weights.count == 2 * 12 + 1)
        for _ in 0..<20 {
            ImageWarp.elastic(image, side: Self.side, alpha: 34, kernel: kernel, generator: &generator, into: &output)
            #expect(output.allSatisfy { $0 >= 0 && $0 <= 1 })
            #expect(output != image)
        }
    }

    @Test("specifications round-trip")
    func specificationRoundTrip() throws {
        let full = "rotate=12,scale=0.12,shift=2.5,shear=10,elastic=34:4,thickness=0.5"
        let settings = try AugmentationSettings(specification: full)
        #expect(settings == AugmentationSettings(rotationDegrees: 12, scale: 0.12, shiftPixels: 2.5, shearDegrees: 10,
                                                 elasticAlpha: 34, elasticSigma: 4, thickness: 0.5))
        #expect(settings.specification == full)
        #expect(try AugmentationSettings(specification: "none") == AugmentationSettings.none)
        #expect(AugmentationSettings.none.specification == "none")
        #expect(try AugmentationSettings(specification: " elastic = 20 , rotate=5").specification == "rotate=5,elastic=20:4")
        for text in ["shift=1.25", "elastic=0:3", "thickness=1,shear=60", "scale=0.9,rotate=180", "stretch=0.2,scale=0.1"] {
            let parsed = try AugmentationSettings(specification: text)
            #expect(try AugmentationSettings(specification: parsed.specification) == parsed, "\(text)")
        }
    }

    @Test("bad specifications are rejected with a message naming the key")
    func specificationErrors() {
        let cases = [("rotate=200", "rotate"), ("scale=1", "scale"), ("shift=-1", "shift"), ("shear=x", "shear"),
                     ("elastic=34:0.1", "elastic sigma"), ("elastic=500", "elastic alpha"), ("thickness=2", "thickness"), ("stretch=0.6", "stretch"),
                     ("wobble=3", "wobble"), ("rotate=1,rotate=2", "rotate"), ("shift", "shift")]
        for (text, key) in cases {
            #expect(throws: AugmentationSpecificationError.self) { try AugmentationSettings(specification: text) }
            do {
                _ = try AugmentationSettings(specification: text)
            } catch let error as AugmentationSpecificationError {
                #expect(error.description.contains(key), "\(error)")
                #expect(error.description.contains("thickness=AMOUNT"), "lists the accepted keys")
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
        #expect(throws: AugmentationSpecificationError.self) { try AugmentationSettings(scale: 1).validate() }
        #expect(throws: Never.self) { try AugmentationSettings(rotationDegrees: 10, elasticAlpha: 30).validate() }
    }

    @Test("fixed image transforms keep labels and count, and have readable names")
    func imageTransforms() {
        let bytes = Self.digitBytes()
        let images = LabeledImages(pixels: bytes + bytes.reversed() + bytes, labels: [1, 7, 1])
        let transforms: [ImageTransform] = [.rotation(degrees: 15), .shift(x: 3, y: 0), .scale(0.8), .thickness(1)]
        #expect(transforms.map(\.name) == ["rotate +15°", "shift (+3, 0) px", "scale 0.8", "thicker (+1)"])
        #expect(ImageTransform.thickness(-0.5).name == "thinner (-0.5)")
        for transform in transforms {
            let moved = transform.apply(to: images)
            #expect(moved.labels == images.labels && moved.count == images.count)
            #expect(moved.pixels != images.pixels, "\(transform.name)")
        }
        #expect(ImageTransform.rotation(degrees: 0).apply(to: images) == images)
        let shifted = ImageTransform.shift(x: 3, y: 0).apply(to: images)
        #expect(shifted.pixels[10 * 28 + 17] == 255 && shifted.pixels[10 * 28 + 14] == 0)
    }
}
