// Augmentation.swift — seeded random distortions of training digits, and fixed distortions for robustness tests.
//
// `AugmentationSettings` says how strong each distortion may be (parsed from e.g. "rotate=12,shift=2"),
// `Augmenter` draws one random distortion per image from a `SeededGenerator` (same seed, same images),
// and `ImageTransform` applies one fixed distortion to a whole dataset.

/// The strength of each random distortion. Every value is a maximum; zero turns that distortion off.
public struct AugmentationSettings: Sendable, Equatable, Codable {
    /// Rotation angle drawn uniformly from ±rotationDegrees (0…180).
    public var rotationDegrees: Float
    /// Scale factor drawn uniformly from [1 − scale, 1 + scale] (0…0.9).
    public var scale: Float
    /// Horizontal stretch: the width alone is multiplied by a factor drawn uniformly from
    /// [1 − stretch, 1 + stretch] (0…0.5), for digits written narrower or wider than MNIST's.
    public var stretch: Float
    /// Shift drawn uniformly from ±shiftPixels, independently for x and y (0…14).
    public var shiftPixels: Float
    /// Horizontal shear angle drawn uniformly from ±shearDegrees (0…60).
    public var shearDegrees: Float
    /// Elastic distortion strength α in pixels (0…100); 0 turns it off.
    public var elasticAlpha: Float
    /// Elastic smoothing σ in pixels (0.5…10).
    public var elasticSigma: Float
    /// Stroke thickness change t drawn uniformly from ±thickness (0…1).
    public var thickness: Float
    /// Probability (0…1) that a digit with a handwriting style (`HandwritingStyle.styles(for:)`: 0, 1, 5, 7, 9)
    /// gets one of its styles drawn in before the other distortions. Needs the image's label.
    public var styles: Float

    /// σ used when a specification gives `elastic=ALPHA` without `:SIGMA`.
    public static let defaultElasticSigma: Float = 4

    public init(rotationDegrees: Float = 0, scale: Float = 0, stretch: Float = 0, shiftPixels: Float = 0, shearDegrees: Float = 0,
                elasticAlpha: Float = 0, elasticSigma: Float = AugmentationSettings.defaultElasticSigma,
                thickness: Float = 0, styles: Float = 0) {
        self.rotationDegrees = rotationDegrees
        self.scale = scale
        self.stretch = stretch
        self.shiftPixels = shiftPixels
        self.shearDegrees = shearDegrees
        self.elasticAlpha = elasticAlpha
        self.elasticSigma = elasticSigma
        self.thickness = thickness
        self.styles = styles
    }

    /// No distortion at all.
    public static let none = AugmentationSettings()

    /// True when every distortion is off, so augmenting only converts pixels to 0–1.
    public var isIdentity: Bool {
        rotationDegrees == 0 && scale == 0 && stretch == 0 && shiftPixels == 0 && shearDegrees == 0 && elasticAlpha == 0
            && thickness == 0 && styles == 0
    }

    /// The keys of a specification, with their ranges, for help texts and error messages.
    public static let acceptedKeys = "rotate=DEGREES (0…180), scale=FRACTION (0…0.9), stretch=FRACTION (0…0.5), shift=PIXELS (0…14), "
        + "shear=DEGREES (0…60), elastic=ALPHA[:SIGMA] (alpha 0…100, sigma 0.5…10, default 4), "
        + "thickness=AMOUNT (0…1), styles=PROBABILITY (0…1: slashed zeros, flagged ones, barred sevens, lifted five bars); or \"none\""

    /// Parses a comma-separated list of `key=value` items, e.g.
    /// `"rotate=12,scale=0.12,shift=2.5,shear=10,elastic=34:4,thickness=0.5"`. Keys may come in any order,
    /// each at most once; missing keys are 0 (σ is `defaultElasticSigma`). `"none"` or `""` means no
    /// distortion. Throws `AugmentationSpecificationError` naming the bad key or value.
    public init(specification: String) throws {
        self.init()
        let text = trimmed(Substring(specification))
        if text.isEmpty || text == "none" { return }
        var seen: [String] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(trimmed(parts[0]))
            guard parts.count == 2 else { throw Self.error("'\(trimmed(item))' is not key=value") }
            guard !seen.contains(key) else { throw Self.error("key '\(key)' appears twice") }
            seen.append(key)
            let value = trimmed(parts[1])
            switch key {
            case "rotate": rotationDegrees = try Self.number(value, key: key, range: 0...180)
            case "scale": scale = try Self.number(value, key: key, range: 0...0.9)
            case "stretch": stretch = try Self.number(value, key: key, range: 0...0.5)
            case "shift": shiftPixels = try Self.number(value, key: key, range: 0...14)
            case "shear": shearDegrees = try Self.number(value, key: key, range: 0...60)
            case "thickness": thickness = try Self.number(value, key: key, range: 0...1)
            case "styles": styles = try Self.number(value, key: key, range: 0...1)
            case "elastic":
                let numbers = value.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
                elasticAlpha = try Self.number(trimmed(numbers[0]), key: "elastic alpha", range: 0...100)
                if numbers.count == 2 {
                    elasticSigma = try Self.number(trimmed(numbers[1]), key: "elastic sigma", range: 0.5...10)
                }
            default: throw Self.error("unknown key '\(key)'")
            }
        }
    }

    /// The specification that parses back to these settings: non-zero items in the order rotate, scale,
    /// stretch, shift, shear, elastic (always as ALPHA:SIGMA), thickness, styles; "none" when nothing is on.
    public var specification: String {
        var items: [String] = []
        if rotationDegrees != 0 { items.append("rotate=\(plainNumber(rotationDegrees))") }
        if scale != 0 { items.append("scale=\(plainNumber(scale))") }
        if stretch != 0 { items.append("stretch=\(plainNumber(stretch))") }
        if shiftPixels != 0 { items.append("shift=\(plainNumber(shiftPixels))") }
        if shearDegrees != 0 { items.append("shear=\(plainNumber(shearDegrees))") }
        if elasticAlpha != 0 || elasticSigma != Self.defaultElasticSigma {
            items.append("elastic=\(plainNumber(elasticAlpha)):\(plainNumber(elasticSigma))")
        }
        if thickness != 0 { items.append("thickness=\(plainNumber(thickness))") }
        if styles != 0 { items.append("styles=\(plainNumber(styles))") }
        return items.isEmpty ? "none" : items.joined(separator: ",")
    }

    /// Throws `AugmentationSpecificationError` when a value is outside its range (e.g. settings decoded
    /// from JSON rather than parsed); the check is parsing `specification` back.
    public func validate() throws {
        _ = try AugmentationSettings(specification: specification)
    }

    private static func number(_ text: Substring, key: String, range: ClosedRange<Float>) throws -> Float {
        guard let value = Float(text), value.isFinite else { throw error("\(key) value '\(text)' is not a number") }
        guard range.contains(value) else {
            throw error("\(key) value \(text) is outside \(plainNumber(range.lowerBound))…\(plainNumber(range.upperBound))")
        }
        return value
    }

    private static func error(_ problem: String) -> AugmentationSpecificationError {
        AugmentationSpecificationError(description: "bad augmentation: \(problem); accepted keys: \(acceptedKeys)")
    }
}

/// An augmentation specification that does not parse; `description` names the key or value at fault and
/// lists the accepted keys.
public struct AugmentationSpecificationError: Error, CustomStringConvertible, Equatable {
    public let description: String
}

/// Draws one random distortion per image. A value type without mutable state: several threads may call
/// `augment` at once, each with its own generator (scratch memory is temporary per call). The settings
/// should be valid (`validate()`); e.g. scale 1 could draw a factor of 0, which cannot be inverted.
public struct Augmenter: Sendable {
    public let settings: AugmentationSettings
    /// The elastic smoothing kernel, computed once (nil when elastic distortion is off).
    private let kernel: GaussianKernel?

    public init(settings: AugmentationSettings) {
        self.settings = settings
        kernel = settings.elasticAlpha != 0 ? GaussianKernel(sigma: settings.elasticSigma) : nil
    }

    /// Writes a distorted copy of the `side × side` byte image into `output` as Floats in 0–1:
    /// x = pixel/255, then one affine warp (a single bilinear resampling), then elastic distortion (if
    /// α > 0), then the thickness change (if t ≠ 0).
    ///
    /// The affine map is shear, then scale, then the horizontal stretch, then rotation (all about the centre),
    /// then shift: `shear(φ).then(scale(s)).then(scale(x: w, y: 1)).then(rotation(θ)).then(shift(x: u, y: v))`.
    ///
    /// Random draws, always in this order and always all six (each `nextUnitFloat` u ↦ r·(2u − 1)):
    /// θ ∈ ±rotationDegrees, s − 1 ∈ ±scale, φ ∈ ±shearDegrees, u ∈ ±shiftPixels, v ∈ ±shiftPixels,
    /// t ∈ ±thickness; then, only when stretch > 0, w − 1 ∈ ±stretch (so settings without a stretch draw
    /// exactly what they drew before it existed); then, only when styles > 0 and a label is given, one draw
    /// that decides whether a handwriting style is drawn in (before every other distortion) and, when it is,
    /// one that picks the style and four that vary it; then, only when α > 0, the side² words of the elastic
    /// fields (see `ImageWarp.elastic`).
    public func augment(_ image: UnsafePointer<UInt8>, side: Int, label: Int? = nil, generator: inout SeededGenerator,
                        into output: UnsafeMutablePointer<Float>) {
        func uniform(_ range: Float) -> Float { range * (2 * generator.nextUnitFloat() - 1) }
        let angle = uniform(settings.rotationDegrees)
        let factor = 1 + uniform(settings.scale)
        let shear = uniform(settings.shearDegrees)
        let shiftX = uniform(settings.shiftPixels), shiftY = uniform(settings.shiftPixels)
        let amount = uniform(settings.thickness)
        let widthFactor = settings.stretch != 0 ? 1 + uniform(settings.stretch) : 1
        let transform = AffineTransform.shear(degrees: shear).then(.scale(factor)).then(.scale(x: widthFactor, y: 1))
            .then(.rotation(degrees: angle))
            .then(.shift(x: shiftX, y: shiftY))

        let count = side * side
        let doAffine = transform != .identity, doElastic = kernel != nil, doThickness = amount != 0
        var stagesLeft = (doAffine ? 1 : 0) + (doElastic ? 1 : 0) + (doThickness ? 1 : 0)
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * count) { buffer in
            let first = buffer.baseAddress!, second = first + count
            // Each stage reads `current` and writes the other scratch buffer, or `output` when it is the last.
            var current = stagesLeft == 0 ? output : first
            for i in 0..<count { current[i] = Float(image[i]) / 255 }
            if settings.styles > 0, let label, generator.nextUnitFloat() < settings.styles {
                let choices = HandwritingStyle.styles(for: label)
                if !choices.isEmpty {
                    let style = choices[min(choices.count - 1, Int(generator.nextUnitFloat() * Float(choices.count)))]
                    let random = (generator.nextUnitFloat(), generator.nextUnitFloat(), generator.nextUnitFloat(), generator.nextUnitFloat())
                    style.apply(to: current, side: side, random: random)
                }
            }
            func nextTarget() -> UnsafeMutablePointer<Float> {
                stagesLeft -= 1
                return stagesLeft == 0 ? output : (current == first ? second : first)
            }
            if doAffine {
                let target = nextTarget()
                ImageWarp.affine(current, side: side, transform: transform, into: target)
                current = target
            }
            if let kernel {
                let target = nextTarget()
                ImageWarp.elastic(current, side: side, alpha: settings.elasticAlpha, kernel: kernel,
                                  generator: &generator, into: target)
                current = target
            }
            if doThickness {
                ImageWarp.thickness(current, side: side, amount: amount, into: nextTarget())
            }
        }
    }
}

/// One fixed distortion, for measuring how well a model copes with rotated, shifted, scaled or
/// thicker/thinner digits.
public enum ImageTransform: Sendable, Equatable {
    /// Rotation about the centre; positive is counterclockwise on screen.
    case rotation(degrees: Float)
    /// Shift in pixels; positive x moves right, positive y moves down.
    case shift(x: Float, y: Float)
    /// Scaling about the centre; above 1 enlarges.
    case scale(Float)
    /// Stroke thickness change t in [−1, 1] (see `ImageWarp.thickness`).
    case thickness(Float)

    /// A short label, e.g. "rotate +15°", "shift (+3, 0) px", "scale 0.8", "thicker (+1)", "thinner (-0.5)".
    public var name: String {
        switch self {
        case .rotation(let degrees): return "rotate \(signedNumber(degrees))°"
        case .shift(let x, let y): return "shift (\(signedNumber(x)), \(signedNumber(y))) px"
        case .scale(let factor): return "scale \(plainNumber(factor))"
        case .thickness(let amount):
            if amount == 0 { return "thickness 0" }
            return "\(amount > 0 ? "thicker" : "thinner") (\(signedNumber(amount)))"
        }
    }

    /// Applies the distortion to one `side × side` image of 0–1 Floats.
    public func apply(_ source: UnsafePointer<Float>, side: Int, into output: UnsafeMutablePointer<Float>) {
        switch self {
        case .rotation(let degrees):
            ImageWarp.affine(source, side: side, transform: .rotation(degrees: degrees), into: output)
        case .shift(let x, let y):
            ImageWarp.affine(source, side: side, transform: .shift(x: x, y: y), into: output)
        case .scale(let factor):
            ImageWarp.affine(source, side: side, transform: .scale(factor), into: output)
        case .thickness(let amount):
            ImageWarp.thickness(source, side: side, amount: amount, into: output)
        }
    }

    /// Every image distorted (pixel/255 → transform → ×255, rounded and clamped to 0…255), labels kept.
    /// The images must be square.
    public func apply(to images: LabeledImages) -> LabeledImages {
        let (height, width) = images.imageShape
        precondition(height == width, "image transforms need square images, not \(height) × \(width)")
        let side = width, count = images.featureCount
        let source = UnsafeMutablePointer<Float>.allocate(capacity: 2 * count)
        defer { source.deallocate() }
        let target = source + count
        let pixels = [UInt8](unsafeUninitializedCapacity: images.pixels.count) { result, initialized in
            images.pixels.withUnsafeBufferPointer { input in
                for index in 0..<images.count {
                    let offset = index * count
                    for i in 0..<count { source[i] = Float(input[offset + i]) / 255 }
                    apply(source, side: side, into: target)
                    for i in 0..<count { result[offset + i] = UInt8(min(max((target[i] * 255).rounded(), 0), 255)) }
                }
            }
            initialized = images.pixels.count
        }
        return LabeledImages(pixels: pixels, labels: images.labels, height: height, width: width)
    }
}

/// `text` without leading and trailing spaces, tabs and newlines.
private func trimmed(_ text: Substring) -> Substring {
    let isSpace = { (c: Character) in c == " " || c == "\t" || c == "\n" || c == "\r" }
    guard let start = text.firstIndex(where: { !isSpace($0) }), let end = text.lastIndex(where: { !isSpace($0) })
    else { return text[text.endIndex...] }
    return text[start...end]
}

/// The shortest decimal that reads back as `value`, without a trailing ".0" ("12", "0.12", "2.5").
private func plainNumber(_ value: Float) -> String {
    let text = "\(value)"
    return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
}

/// `plainNumber` with a "+" before positive values ("+15", "-3", "0").
private func signedNumber(_ value: Float) -> String {
    value > 0 ? "+" + plainNumber(value) : plainNumber(value == 0 ? 0 : value)
}
