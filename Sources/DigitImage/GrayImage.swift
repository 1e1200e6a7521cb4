// GrayImage.swift — the one image type of the preprocessing pipeline.

/// A single-channel image with Float pixels, row-major (`pixels[y * width + x]`).
///
/// Decoders produce luminance in [0, 1] (0 black, 1 white). Inside the pipeline, after the background has
/// been detected, pixels hold *ink* in [0, 1] (0 paper, 1 full ink), the convention of MNIST.
public struct GrayImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public var pixels: [Float]

    /// Creates an image; `pixels.count` must be `width × height`.
    public init(width: Int, height: Int, pixels: [Float]) {
        precondition(width >= 0 && height >= 0 && pixels.count == width * height,
                     "pixels (\(pixels.count)) must be width (\(width)) × height (\(height))")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// A `width × height` image filled with `value`.
    public init(width: Int, height: Int, value: Float = 0) {
        self.init(width: width, height: height, pixels: [Float](repeating: value, count: width * height))
    }

    /// The pixels as bytes, `round(255 × clamp(value, 0, 1))`: for display, export and storage.
    public var bytes: [UInt8] {
        pixels.map { UInt8((min(1, max(0, $0)) * 255).rounded()) }
    }

    /// The pixel at column `x`, row `y`.
    @inlinable public subscript(x: Int, y: Int) -> Float {
        get { pixels[y * width + x] }
        set { pixels[y * width + x] = newValue }
    }
}
