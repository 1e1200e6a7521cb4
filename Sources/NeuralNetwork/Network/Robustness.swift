// Robustness.swift — how much accuracy a model loses when the test digits are rotated, shifted, scaled,
// or drawn with thicker or thinner strokes: the distortions that make a 98% MNIST model misread the
// digits people draw.

/// Accuracy under one fixed distortion of the whole test set.
public struct RobustnessResult: Sendable, Equatable {
    public var transform: ImageTransform
    /// Accuracy on the distorted images, in [0, 1].
    public var accuracy: Double
    /// Clean accuracy minus distorted accuracy, in [−1, 1] (positive: the distortion costs accuracy).
    public var drop: Double
}

extension ImageTransform {
    /// The fixed strengths `digits evaluate --robustness` reports, one row each: rotation ±15°, shift
    /// ±3 px along each axis, scale 0.8 and 1.2, strokes one pixel thicker (a full dilation) and thinner
    /// (an erosion at half strength: a full one-pixel erosion erases MNIST's two-pixel strokes).
    public static let robustnessSuite: [ImageTransform] = [
        .rotation(degrees: 15), .rotation(degrees: -15),
        .shift(x: 3, y: 0), .shift(x: -3, y: 0), .shift(x: 0, y: 3), .shift(x: 0, y: -3),
        .scale(0.8), .scale(1.2),
        .thickness(1), .thickness(-0.5),
    ]
}

extension Network {
    /// Evaluates the network on `images` distorted by each transform, against its clean accuracy
    /// `cleanAccuracy` (measured on the same images, undistorted).
    public func robustness(_ images: LabeledImages, cleanAccuracy: Double, transforms: [ImageTransform] = ImageTransform.robustnessSuite,
                           workers: WorkerThreads? = nil) -> [RobustnessResult] {
        transforms.map { transform in
            let accuracy = evaluate(transform.apply(to: images), workers: workers).accuracy
            return RobustnessResult(transform: transform, accuracy: accuracy, drop: cleanAccuracy - accuracy)
        }
    }
}
