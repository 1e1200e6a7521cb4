// Drawing.swift — a digit drawn on a canvas: pen strokes or raw pixels, checked and turned into ink.
//
// The studio's page and any other client send what was drawn; the server draws the strokes again with the
// page's brush, so every client gets the same answer as the page for the same strokes.

/// A point of a pen stroke in canvas pixels: x to the right, y down.
public struct CanvasPoint: Sendable, Equatable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// Why a drawing was refused. The description says what is wrong and what is allowed.
public struct DrawingError: Error, Equatable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// A digit drawn on a `width × height` canvas, as pen strokes or as grayscale pixels (ink bright).
///
/// Checked on creation against `Drawing.Limits`, so a `Drawing` value is always safe to render.
public struct Drawing: Sendable, Equatable {
    /// What was drawn.
    public enum Content: Sendable, Equatable {
        /// Pen strokes, each a polyline of canvas points, drawn with a round brush.
        case strokes([[CanvasPoint]])
        /// `width × height` values 0–255, row-major, 255 = full ink, 0 = empty paper.
        case pixels([UInt8])
    }

    /// Bounds that keep every drawing cheap to render.
    public enum Limits {
        /// Largest canvas side in pixels.
        public static let maximumSide = 4096
        /// Most strokes in one drawing.
        public static let maximumStrokes = 1_000
        /// Most points in all strokes together.
        public static let maximumPoints = 10_000
    }

    /// The brush diameter as a fraction of the canvas's shorter side. A digit drawn across about two thirds
    /// of the canvas then has strokes about 2 pixels wide after it is fitted into MNIST's 20-pixel box,
    /// like MNIST's own pen.
    public static let brushFraction = 0.075

    public let width: Int
    public let height: Int
    public let content: Content

    /// Strokes on a canvas. Throws when a side is outside 1…4096, a coordinate is not finite or lies outside
    /// `0…width` × `0…height`, or there are too many strokes or points.
    public init(width: Int, height: Int, strokes: [[CanvasPoint]]) throws {
        try Drawing.checkSize(width: width, height: height)
        guard strokes.count <= Limits.maximumStrokes else {
            throw DrawingError("too many strokes: \(strokes.count); at most \(Limits.maximumStrokes) are allowed")
        }
        let points = strokes.reduce(0) { $0 + $1.count }
        guard points <= Limits.maximumPoints else {
            throw DrawingError("too many points: \(points) in all strokes; at most \(Limits.maximumPoints) are allowed")
        }
        for (strokeIndex, stroke) in strokes.enumerated() {
            for (pointIndex, point) in stroke.enumerated() {
                guard point.x.isFinite, point.y.isFinite,
                      point.x >= 0, point.x <= Double(width), point.y >= 0, point.y <= Double(height) else {
                    throw DrawingError("strokes[\(strokeIndex)][\(pointIndex)] is (\(point.x), \(point.y)), outside the "
                        + "\(width)×\(height) canvas; coordinates must be finite with 0 ≤ x ≤ \(width) and 0 ≤ y ≤ \(height)")
                }
            }
        }
        self.width = width
        self.height = height
        self.content = .strokes(strokes)
    }

    /// Pixels of a `width × height` image, row-major, ink bright. Throws when a side is outside 1…4096 or the
    /// count is not `width × height`.
    public init(width: Int, height: Int, pixels: [UInt8]) throws {
        try Drawing.checkSize(width: width, height: height)
        guard pixels.count == width * height else {
            throw DrawingError("pixels has \(pixels.count) values; a \(width)×\(height) drawing needs \(width * height) (width × height, row-major)")
        }
        self.width = width
        self.height = height
        self.content = .pixels(pixels)
    }

    private static func checkSize(width: Int, height: Int) throws {
        for (name, side) in [("width", width), ("height", height)] where side < 1 || side > Limits.maximumSide {
            throw DrawingError("\(name) is \(side); it must be between 1 and \(Limits.maximumSide) pixels")
        }
    }

    /// True when nothing was drawn: no stroke points, or no pixel above 0.
    public var isBlank: Bool {
        switch content {
        case .strokes(let strokes): return strokes.allSatisfy(\.isEmpty)
        case .pixels(let pixels): return !pixels.contains { $0 > 0 }
        }
    }

    /// The drawing as ink in [0, 1] (0 paper, 1 full ink), at most `maxSide` pixels on its longest side.
    ///
    /// Strokes are drawn directly at that size (the brush scaled with them), which is what the preprocessor
    /// would shrink a full-size rendering to anyway, so the cost does not grow with the canvas. Pixels are
    /// only converted (`DigitPreprocessor` shrinks large ones).
    public func inkImage(maxSide: Int = GrayImage.defaultWorkingSide) -> GrayImage {
        switch content {
        case .pixels(let pixels):
            return GrayImage(width: width, height: height, pixels: pixels.map { Float($0) / 255 })
        case .strokes(let strokes):
            let scale = min(1, Double(max(maxSide, 1)) / Double(max(width, height)))
            let brushRadius = 0.5 * Drawing.brushFraction * Double(min(width, height)) * scale
            var canvas = GrayImage(width: max(1, Int((Double(width) * scale).rounded(.up))),
                                   height: max(1, Int((Double(height) * scale).rounded(.up))))
            for stroke in strokes where !stroke.isEmpty {
                let scaled = stroke.map { CanvasPoint(x: $0.x * scale, y: $0.y * scale) }
                canvas.drawStroke(scaled, radius: brushRadius)
            }
            return canvas
        }
    }

    /// Runs `preprocessor` on the drawing, with the background fixed to dark (ink is bright). A blank drawing
    /// is `.empty` with a reason that asks for a digit.
    public func preprocessed(with preprocessor: DigitPreprocessor = DigitPreprocessor()) -> PreprocessResult {
        if isBlank { return .empty(reason: "nothing is drawn yet: draw a digit") }
        var options = preprocessor.options
        options.background = .dark
        return DigitPreprocessor(options: options).process(inkImage(maxSide: options.workingSide))
    }
}
