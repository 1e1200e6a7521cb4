// ImagePreprocessorTests.swift — the whole pipeline: MNIST-like inputs come back as themselves, drawings
// and photos of either polarity give the same digit, and blank pictures are refused with a reason.

import DigitImage
import Testing

/// An MNIST-like "0": an anti-aliased ring (4×4 supersampling), white on black, 28×28, box 15×20 (rows 4–23),
/// center of mass ≈ (14, 13.8), so it rounds to (14, 14) as MNIST's own digits do.
func mnistLikeZero() -> GrayImage {
    var image = GrayImage(width: 28, height: 28)
    for y in 0..<28 {
        for x in 0..<28 {
            var covered = 0
            for sy in 0..<4 {
                for sx in 0..<4 {
                    let px = (Float(x) + (Float(sx) + 0.5) / 4 - 0.5 - 14) / 7.5
                    let py = (Float(y) + (Float(sy) + 0.5) / 4 - 0.5 - 13.75) / 9.75
                    let radius = (px * px + py * py).squareRoot()
                    if radius > 0.7 && radius < 1 { covered += 1 }
                }
            }
            image[x, y] = Float(covered) / 16
        }
    }
    return image
}

/// A "7" drawn on a `side × side` canvas: black strokes `stroke` canvas pixels wide on white (or inverted).
func canvasSeven(side: Int, strokeFraction: Float = 0.07, inverted: Bool = false, noise: Bool = false) -> GrayImage {
    var image = GrayImage(width: side, height: side, value: inverted ? 0 : 1)
    let s = Float(side), stroke = strokeFraction * s
    var state: UInt32 = 12345
    for y in 0..<side {
        for x in 0..<side {
            let fx = Float(x), fy = Float(y)
            let bar = fy > 0.2 * s && fy < 0.2 * s + stroke && fx > 0.3 * s && fx < 0.72 * s
            let t = (fy - 0.2 * s) / (0.62 * s)
            let diagonal = t >= 0 && t <= 1 && abs(fx - (0.72 * s - 0.28 * s * t)) < stroke / 2
            var value: Float = bar || diagonal ? (inverted ? 1 : 0) : (inverted ? 0 : 1)
            if noise {
                state = state &* 1_664_525 &+ 1_013_904_223
                value = 0.15 + 0.6 * value + Float(state >> 24) / 255 * 0.08  // grey photo with grain
            }
            image[x, y] = value
        }
    }
    return image
}

private func meanAbsoluteDifference(_ a: [Float], _ b: [Float]) -> Float {
    zip(a, b).map { abs($0 - $1) }.reduce(0, +) / Float(a.count)
}

@Suite struct ImagePreprocessorTests {
    let preprocessor = DigitPreprocessor()

    @Test func mnistLikeImageComesBackAsItself() throws {
        let zero = mnistLikeZero()
        #expect(zero.inkBoundingBox() == PixelRect(x: 7, y: 4, width: 15, height: 20))
        let digit = try #require(preprocessor.process(zero).digit)
        #expect(digit.background == .dark)
        #expect(digit.input.count == 784)
        #expect(digit.stages.downscaleFactor == 1)
        #expect(meanAbsoluteDifference(digit.input, zero.pixels) < 0.02)
        #expect(zip(digit.input, zero.pixels).allSatisfy { abs($0 - $1) < 0.2 })
    }

    @Test func outputIsCenteredAndInRange() throws {
        for image in [canvasSeven(side: 280), canvasSeven(side: 97), canvasSeven(side: 600, strokeFraction: 0.03)] {
            let digit = try #require(preprocessor.process(image).digit)
            #expect(digit.input.count == 784 && digit.input.allSatisfy { $0 >= 0 && $0 <= 1 })
            #expect(digit.input.max() == 1)
            let center = try #require(digit.image.centerOfMass())
            #expect(abs(center.x - 14) <= 0.5 && abs(center.y - 14) <= 0.5)
            // The digit fills 20 pixels along its longest side, and nothing was clipped off the frame.
            let box = try #require(digit.image.inkBoundingBox())
            #expect(box.height == 20 && box.width <= 20)
            #expect(digit.stages.fitted.width <= 20 && digit.stages.fitted.height == 20)
            #expect(abs(totalInk(digit.stages.fitted.placed()) - totalInk(digit.stages.fitted)) < 1e-3)
        }
    }

    @Test func subpixelCenteringIsExact() throws {
        var options = DigitPreprocessor.Options()
        options.subpixelCentering = true
        let digit = try #require(DigitPreprocessor(options: options).process(canvasSeven(side: 280)).digit)
        let center = try #require(digit.image.centerOfMass())
        #expect(abs(center.x - 14) < 1e-3 && abs(center.y - 14) < 1e-3)
    }

    @Test func polarityDoesNotMatter() throws {
        let light = try #require(preprocessor.process(canvasSeven(side: 280)).digit)
        let dark = try #require(preprocessor.process(canvasSeven(side: 280, inverted: true)).digit)
        #expect(light.background == .light && dark.background == .dark)
        #expect(meanAbsoluteDifference(light.input, dark.input) < 1e-5)
    }

    @Test func greyNoisyPhotoGivesTheSameDigit() throws {
        let clean = try #require(preprocessor.process(canvasSeven(side: 280)).digit)
        let photo = try #require(preprocessor.process(canvasSeven(side: 280, noise: true)).digit)
        #expect(photo.background == .light)
        #expect(meanAbsoluteDifference(clean.input, photo.input) < 0.03)
        #expect(photo.stages.despeckled.inkBoundingBox() == clean.stages.despeckled.inkBoundingBox())
    }

    @Test func aSpeckInTheCornerIsIgnored() throws {
        var image = canvasSeven(side: 280)
        for y in 264..<276 { for x in 4..<16 { image[x, y] = 0 } }  // 3×3 working pixels: survives the threshold
        let clean = try #require(preprocessor.process(canvasSeven(side: 280)).digit)
        let specked = try #require(preprocessor.process(image).digit)
        #expect(specked.stages.box == clean.stages.box)
        #expect(specked.stages.thresholded != specked.stages.despeckled)
        // The speck (2 % of the ink) lies in the core box's tail, so the blur's σ hardly moves (one working pixel).
        #expect(abs(specked.stages.blurSigma - clean.stages.blurSigma) <= 0.03)
        #expect(meanAbsoluteDifference(specked.input, clean.input) < 0.01)
        var options = DigitPreprocessor.Options()
        options.removeSpecks = false
        let kept = try #require(DigitPreprocessor(options: options).process(image).digit)
        #expect(kept.stages.box != clean.stages.box)
        #expect(meanAbsoluteDifference(kept.input, clean.input) > 0.05)
    }

    @Test func blankImagesAreEmpty() {
        for image in [GrayImage(width: 280, height: 280, value: 1), GrayImage(width: 28, height: 28, value: 0),
                      GrayImage(width: 50, height: 40, value: 0.5)] {
            guard case .empty(let reason) = preprocessor.process(image) else { Issue.record("found a digit in a blank image"); continue }
            #expect(reason.hasPrefix("no digit found"))
        }
        // Faint grain only: no contrast worth a digit.
        var state: UInt32 = 99
        let grain = GrayImage(width: 100, height: 100, pixels: (0..<10_000).map { _ in
            state = state &* 1_664_525 &+ 1_013_904_223
            return 0.8 + Float(state >> 24) / 255 * 0.05
        })
        guard case .empty(let reason) = preprocessor.process(grain) else { Issue.record("found a digit in grain"); return }
        #expect(reason.contains("no ink darker than the light paper"))
        guard case .empty = preprocessor.process(GrayImage(width: 0, height: 0)) else { Issue.record("0×0"); return }
    }

    @Test func largePhotoIsDownscaledFirst() throws {
        let digit = try #require(preprocessor.process(canvasSeven(side: 2000)).digit)
        #expect(digit.stages.downscaleFactor == 25)
        #expect(digit.stages.ink.width == 80)
        let reference = try #require(preprocessor.process(canvasSeven(side: 280)).digit)
        #expect(meanAbsoluteDifference(digit.input, reference.input) < 0.05)
    }

    @Test func stagesHaveTheDocumentedShapes() throws {
        let digit = try #require(preprocessor.process(canvasSeven(side: 280)).digit)
        let stages = digit.stages
        #expect(stages.downscaleFactor == 4 && stages.ink.width == 70 && stages.smoothed.width == 70)
        #expect(stages.cropped.width == stages.box.width && stages.cropped.height == stages.box.height)
        #expect(stages.centered.width == 28 && stages.centered.pixels == digit.input)
        #expect(stages.blurSigma > 0 && stages.thresholdLevel > 0)
        #expect(stages.thresholded.pixels.allSatisfy { $0 == 0 || $0 >= stages.thresholdLevel })
    }
}
