// LabeledImages.swift — a set of 8-bit images with their class labels, kept compact in memory.
//
// MNIST's 60,000 training images take 47 MB as bytes but 188 MB as Float32, so the dataset stays in
// bytes and each mini-batch is converted to floats (pixel / 255) only when it is used.

/// Images of `featureCount` pixels each (0–255) with a label (0..<classCount) per image.
public struct LabeledImages: Sendable, Equatable {
    /// Row-major pixels, `count × featureCount` bytes.
    public private(set) var pixels: [UInt8]
    /// One label per image.
    public private(set) var labels: [UInt8]
    /// Pixels per image (784 for MNIST).
    public let featureCount: Int
    /// Image height and width when the images are 2-D (28 × 28 for MNIST).
    public let imageShape: (height: Int, width: Int)

    /// Number of images.
    public var count: Int { labels.count }

    /// The label of an image that is not a digit (one past 9): trained towards "unsure of every digit"
    /// (`SoftmaxCrossEntropy`), never counted in a confusion matrix.
    public static let notADigit: UInt8 = 10

    public static func == (a: LabeledImages, b: LabeledImages) -> Bool {
        a.pixels == b.pixels && a.labels == b.labels && a.featureCount == b.featureCount
            && a.imageShape == b.imageShape
    }

    /// Creates a dataset; `pixels.count` must equal `labels.count × height × width`.
    public init(pixels: [UInt8], labels: [UInt8], height: Int = 28, width: Int = 28) {
        precondition(height > 0 && width > 0 && pixels.count == labels.count * height * width,
                     "pixels (\(pixels.count)) must be labels (\(labels.count)) × \(height) × \(width)")
        self.pixels = pixels
        self.labels = labels
        self.featureCount = height * width
        self.imageShape = (height, width)
    }

    /// The images at `range`, as a new dataset.
    public func slice(_ range: Range<Int>) -> LabeledImages {
        LabeledImages(pixels: Array(pixels[range.lowerBound * featureCount..<range.upperBound * featureCount]),
                      labels: Array(labels[range]), height: imageShape.height, width: imageShape.width)
    }

    /// The images at `indices`, in that order, as a new dataset.
    public func gathering(_ indices: [Int]) -> LabeledImages {
        var pixels: [UInt8] = []
        pixels.reserveCapacity(indices.count * featureCount)
        for index in indices { pixels += image(index) }
        return LabeledImages(pixels: pixels, labels: indices.map { labels[$0] }, height: imageShape.height, width: imageShape.width)
    }

    /// The pixels of image `index`.
    public func image(_ index: Int) -> ArraySlice<UInt8> {
        pixels[index * featureCount..<(index + 1) * featureCount]
    }

    /// These images followed by `extra` repeated in order (cycling) until the extras make up `share` of the
    /// result: round(share / (1 − share) · count) extra images, at least one of each when that number allows.
    /// Used to mix a person's saved drawings into MNIST (`digits train --samples`, the studio's Train page);
    /// the trainer shuffles the result, so the order here does not matter. `share` must be in (0, 1).
    public func appendingRepeated(_ extra: LabeledImages, share: Double) -> LabeledImages {
        precondition(share > 0 && share < 1, "share must be in (0, 1)")
        precondition(extra.featureCount == featureCount, "images of different sizes cannot be mixed")
        guard extra.count > 0 else { return self }
        let extraCount = max(1, Int((share / (1 - share) * Double(count)).rounded()))
        var pixels = self.pixels, labels = self.labels
        pixels.reserveCapacity((count + extraCount) * featureCount)
        labels.reserveCapacity(count + extraCount)
        for index in 0..<extraCount {
            pixels += extra.image(index % extra.count)
            labels.append(extra.labels[index % extra.count])
        }
        return LabeledImages(pixels: pixels, labels: labels, height: imageShape.height, width: imageShape.width)
    }
}
