// ImageShape.swift — how one example's values are laid out as an image (channels, height, width).

/// The shape of one example seen as an image: `channels` planes of `height × width`, stored plane after
/// plane and row after row (PyTorch's NCHW without the N). One batch row of a `Matrix` holds one image.
public struct ImageShape: Sendable, Equatable, CustomStringConvertible {
    public var channels: Int
    public var height: Int
    public var width: Int

    public init(channels: Int, height: Int, width: Int) {
        self.channels = channels
        self.height = height
        self.width = width
    }

    /// An MNIST digit: one 28×28 plane.
    public static let mnist = ImageShape(channels: 1, height: 28, width: 28)

    /// Values per example, channels × height × width.
    public var count: Int { channels * height * width }
    /// Pixels per plane, height × width.
    public var planeSize: Int { height * width }
    public var description: String { "\(channels)×\(height)×\(width)" }
}
