// ImageStepTests.swift — each step of the preprocessing pipeline on its own, on shapes with known answers.

import DigitImage
import Testing

/// A `width × height` image of `background` with `value` painted in the given rectangle.
func rectangleImage(width: Int, height: Int, background: Float = 0, value: Float = 1,
                    x: Int, y: Int, rectWidth: Int, rectHeight: Int) -> GrayImage {
    var image = GrayImage(width: width, height: height, value: background)
    for row in y..<(y + rectHeight) { for column in x..<(x + rectWidth) { image[column, row] = value } }
    return image
}

func totalInk(_ image: GrayImage) -> Float { image.pixels.reduce(0, +) }

@Suite struct ImageInkTests {
    @Test func darkInkOnLightPaperIsInverted() {
        let image = rectangleImage(width: 10, height: 8, background: 1, value: 0, x: 3, y: 2, rectWidth: 4, rectHeight: 3)
        let paper = image.estimatePaper()
        #expect(paper.background == .light)
        #expect(paper.paperLuminance == 1 && paper.inkLuminance == 0 && paper.contrast == 1)
        let ink = image.inkImage(paper)
        #expect(ink == rectangleImage(width: 10, height: 8, x: 3, y: 2, rectWidth: 4, rectHeight: 3))
    }

    @Test func lightInkOnDarkPaperIsKept() {
        let image = rectangleImage(width: 10, height: 8, background: 0, value: 1, x: 3, y: 2, rectWidth: 4, rectHeight: 3)
        let paper = image.estimatePaper()
        #expect(paper.background == .dark)
        #expect(image.inkImage(paper) == image)
    }

    @Test func greyPhotoIsStretched() {
        // Paper 0.6, ink 0.2, a half-tone 0.4 edge: paper → 0, ink → 1, edge → 0.5.
        var image = rectangleImage(width: 9, height: 9, background: 0.6, value: 0.2, x: 3, y: 3, rectWidth: 3, rectHeight: 3)
        image[2, 4] = 0.4
        let paper = image.estimatePaper()
        #expect(paper.background == .light && abs(paper.contrast - 0.4) < 1e-6)
        let ink = image.inkImage(paper)
        #expect(abs(ink[4, 4] - 1) < 1e-6 && ink[0, 0] == 0 && abs(ink[2, 4] - 0.5) < 1e-6)
    }

    @Test func borderMedianIgnoresAStrokeTouchingTheEdge() {
        // A dark stroke runs off the left edge: the median of the border is still the paper.
        let image = rectangleImage(width: 12, height: 12, background: 0.9, value: 0.1, x: 0, y: 3, rectWidth: 8, rectHeight: 2)
        #expect(image.borderMedian() == 0.9)
        #expect(image.estimatePaper().background == .light)
    }

    @Test func forcedBackgroundAndBlankImages() {
        let blank = GrayImage(width: 5, height: 5, value: 0.7)
        #expect(blank.estimatePaper().contrast == 0)
        #expect(blank.estimatePaper().background == .light)
        #expect(GrayImage(width: 5, height: 5, value: 0.2).estimatePaper().background == .dark)
        #expect(blank.inkImage(blank.estimatePaper()) == GrayImage(width: 5, height: 5))
        let image = rectangleImage(width: 6, height: 6, background: 0.5, value: 1, x: 2, y: 2, rectWidth: 2, rectHeight: 2)
        #expect(image.estimatePaper(assuming: .light).background == .light)
    }
}

@Suite struct ImageDownscaleTests {
    @Test func factor() {
        #expect(GrayImage.downscaleFactor(width: 280, height: 280, maxSide: 80) == 4)
        #expect(GrayImage.downscaleFactor(width: 4000, height: 3000, maxSide: 80) == 50)
        #expect(GrayImage.downscaleFactor(width: 80, height: 60, maxSide: 80) == 1)
        #expect(GrayImage.downscaleFactor(width: 28, height: 28, maxSide: 80) == 1)
    }

    @Test func blockAverages() {
        // 5×3 by 2 → 3×2; the right column and the bottom row are partial blocks.
        let image = GrayImage(width: 5, height: 3, pixels: (0..<15).map(Float.init))
        let small = image.downscaled(by: 2)
        #expect(small.width == 3 && small.height == 2)
        let expected: [Float] = [12.0 / 4, 20.0 / 4, 13.0 / 2, 21.0 / 2, 25.0 / 2, 14]  // (0+1+5+6)/4, (2+3+7+8)/4, …
        #expect(small.pixels == expected)
        #expect(image.downscaled(by: 1) == image)
    }

    @Test func largePhotoKeepsItsMean() {
        let image = rectangleImage(width: 4000, height: 3000, background: 1, value: 0, x: 1000, y: 500, rectWidth: 2000, rectHeight: 2000)
        let small = image.downscaled(by: 50)
        #expect(small.width == 80 && small.height == 60)
        #expect(abs(totalInk(small) / 4800 - totalInk(image) / 12_000_000) < 1e-4)
    }
}

@Suite struct ImageBlurTests {
    @Test func kernelSumsToOneAndIsSymmetric() {
        for sigma: Float in [0.3, 0.5, 1, 1.7, 4] {
            let kernel = GrayImage.gaussianKernel(sigma: sigma)
            #expect(kernel.count == 2 * Int((3 * sigma).rounded(.up)) + 1)
            #expect(abs(kernel.reduce(0, +) - 1) < 1e-5)
            #expect(kernel == kernel.reversed())
        }
        let one = GrayImage.gaussianKernel(sigma: 1)
        #expect(abs(one[3] - 0.39905) < 1e-4 && abs(one[2] - 0.24203) < 1e-4)  // exp(−½)/Σ, normalized over ±3
        #expect(GrayImage.gaussianKernel(sigma: 0) == [1])
        #expect(GrayImage.gaussianKernel(sigma: .nan) == [1])
    }

    @Test func blurOfADeltaSumsToOneAndIsSymmetric() {
        var delta = GrayImage(width: 21, height: 21)
        delta[10, 10] = 1
        let blurred = delta.gaussianBlurred(sigma: 1.5)
        #expect(abs(totalInk(blurred) - 1) < 1e-5)
        for y in 0..<21 {
            for x in 0..<21 {
                #expect(abs(blurred[x, y] - blurred[20 - x, y]) < 1e-7)
                #expect(abs(blurred[x, y] - blurred[x, 20 - y]) < 1e-7)
                #expect(abs(blurred[x, y] - blurred[y, x]) < 1e-7)
            }
        }
        #expect(blurred.maximum == blurred[10, 10])
        // Separable: the 2-D response is the outer product of the kernel.
        let kernel = GrayImage.gaussianKernel(sigma: 1.5)
        #expect(abs(blurred[12, 9] - kernel[kernel.count / 2 + 2] * kernel[kernel.count / 2 - 1]) < 1e-7)
    }

    /// The blur written plainly: every output pixel of the whole image summed tap by tap, horizontally then
    /// vertically, skipping taps outside the image (the order the fast version keeps).
    static func naiveBlur(_ image: GrayImage, sigma: Float) -> GrayImage {
        let weights = GrayImage.gaussianKernel(sigma: sigma, maxRadius: max(image.width, image.height))
        let radius = weights.count / 2
        var middle = GrayImage(width: image.width, height: image.height)
        var output = middle
        for y in 0..<image.height {
            for x in 0..<image.width {
                var sum: Float = 0
                for tap in weights.indices where (0..<image.width).contains(x + tap - radius) {
                    sum += weights[tap] * image[x + tap - radius, y]
                }
                middle[x, y] = sum
            }
        }
        for y in 0..<image.height {
            for x in 0..<image.width {
                var sum: Float = 0
                for tap in weights.indices where (0..<image.height).contains(y + tap - radius) {
                    sum += weights[tap] * middle[x, y + tap - radius]
                }
                output[x, y] = sum
            }
        }
        return output
    }

    @Test("the blur, summed only near the ink, equals the plain whole-image blur bit for bit")
    func blurMatchesNaiveTwin() {
        var generator = TestGenerator(state: 11)   // seeded: the same noise every run
        var corner = GrayImage(width: 40, height: 30)   // ink touching the top and left edges
        for y in 0..<5 { for x in 0..<7 { corner[x, y] = Float(x + y) / 11 } }
        var apart = GrayImage(width: 61, height: 45)    // two specks far apart: one box spans both
        apart[3, 40] = 1
        apart[57, 2] = 0.25
        var dot = GrayImage(width: 33, height: 17)
        dot[16, 8] = 1
        let noise = GrayImage(width: 23, height: 19, pixels: (0..<(23 * 19)).map { _ in Float.random(in: 0..<1, using: &generator) })
        var edge = GrayImage(width: 12, height: 50)     // ink on the right and bottom edges, radius wider than the image
        for y in 20..<50 { edge[11, y] = 1 }
        for x in 0..<12 { edge[x, 49] = 0.5 }
        let cases: [(String, GrayImage)] = [("corner", corner), ("apart", apart), ("dot", dot), ("noise", noise),
                                            ("edge", edge), ("empty", GrayImage(width: 9, height: 7))]
        for (name, image) in cases {
            for sigma: Float in [0.7, 1.5, 4.5] {
                let fast = image.gaussianBlurred(sigma: sigma), plain = Self.naiveBlur(image, sigma: sigma)
                #expect(fast.width == plain.width && fast.height == plain.height)
                let differing = fast.pixels.indices.first { fast.pixels[$0].bitPattern != plain.pixels[$0].bitPattern }
                #expect(differing == nil, "\(name), σ = \(sigma): pixel \(differing ?? 0) differs")
            }
        }
    }

    @Test func identityAndConstantInterior() {
        let image = GrayImage(width: 4, height: 3, pixels: (0..<12).map { Float($0) / 12 })
        #expect(image.gaussianBlurred(sigma: 0) == image)
        let flat = GrayImage(width: 30, height: 30, value: 0.5).gaussianBlurred(sigma: 2)
        #expect(abs(flat[15, 15] - 0.5) < 1e-5)
        #expect(flat[0, 0] < 0.5)  // zero padding outside
    }
}

@Suite struct ImageThresholdBoxTests {
    @Test func threshold() {
        let image = GrayImage(width: 4, height: 1, pixels: [0.05, 0.2, 0.19, 0.9])
        #expect(image.thresholded(below: 0.2).pixels == [0, 0.2, 0, 0.9])
        #expect(image.maximum == 0.9)
    }

    @Test func boundingBoxes() {
        #expect(GrayImage(width: 7, height: 5).inkBoundingBox() == nil)
        let rect = rectangleImage(width: 20, height: 10, x: 3, y: 2, rectWidth: 5, rectHeight: 7)
        #expect(rect.inkBoundingBox() == PixelRect(x: 3, y: 2, width: 5, height: 7))
        // An L shape and a single pixel in the corner.
        var shape = GrayImage(width: 9, height: 9)
        for y in 1...6 { shape[2, y] = 1 }
        for x in 2...5 { shape[x, 6] = 0.5 }
        #expect(shape.inkBoundingBox() == PixelRect(x: 2, y: 1, width: 4, height: 6))
        #expect(shape.inkBoundingBox(above: 0.5) == PixelRect(x: 2, y: 1, width: 1, height: 5))  // (2, 6) is 0.5
        shape[8, 8] = 0.1
        #expect(shape.inkBoundingBox() == PixelRect(x: 2, y: 1, width: 7, height: 8))
        // The core box ignores the corner pixel (1.4 % of the ink, under the 2 % tail).
        #expect(shape.inkCoreBox(tail: 0.02) == PixelRect(x: 2, y: 1, width: 4, height: 6))
        #expect(shape.inkCoreBox(tail: 0.01) == PixelRect(x: 2, y: 1, width: 7, height: 8))
        #expect(GrayImage(width: 3, height: 3).inkCoreBox() == nil)
        let box = PixelRect(x: 2, y: 1, width: 4, height: 6)
        #expect(box.maxX == 5 && box.maxY == 6)
        let cropped = shape.cropped(to: box)
        #expect(cropped.width == 4 && cropped.height == 6 && cropped[0, 0] == 1 && cropped[3, 5] == 0.5)
    }

    @Test func specksFarAwayAreErased() {
        var image = rectangleImage(width: 40, height: 40, x: 10, y: 8, rectWidth: 6, rectHeight: 20)
        image[37, 37] = 1                                   // tiny and far: erased
        image[17, 10] = 0.8                                 // tiny but touching the stroke diagonally: same component
        for y in 30...33 { image[20, y] = 1 }               // small but close (gap 1 < 0.2 × 20): kept
        for y in 0..<12 { for x in 30..<36 { image[x, y] = 1 } }  // far but heavy: kept
        let cleaned = image.removingSpecks()
        #expect(cleaned[37, 37] == 0)
        #expect(cleaned[17, 10] == 0.8 && cleaned[20, 31] == 1 && cleaned[33, 5] == 1)
        #expect(totalInk(image) - totalInk(cleaned) == 1)
        let single = rectangleImage(width: 10, height: 10, x: 2, y: 2, rectWidth: 3, rectHeight: 3)
        #expect(single.removingSpecks() == single)
    }
}

@Suite struct ImageFitTests {
    @Test func barKeepsItsAspect() {
        let bar = GrayImage(width: 40, height: 10, value: 1)
        let fitted = bar.fitted(longestSide: 20)
        #expect(fitted.width == 20 && fitted.height == 5)
        #expect(fitted.pixels.allSatisfy { abs($0 - 1) < 1e-6 })
        let tall = GrayImage(width: 10, height: 40, value: 1).fitted()
        #expect(tall.width == 5 && tall.height == 20)
        #expect(GrayImage.fittedSize(width: 100, height: 1, side: 20) == (20, 1))
        #expect(GrayImage.fittedSize(width: 33, height: 20, side: 20) == (20, 12))
    }

    @Test func shrinkingIsAnExactAreaAverage() {
        // One-pixel stripes average to grey, never to black or white as nearest neighbour would.
        let stripes = GrayImage(width: 40, height: 40, pixels: (0..<1600).map { Float($0 % 2) })
        let fitted = stripes.fitted()
        #expect(fitted.pixels.allSatisfy { abs($0 - 0.5) < 1e-6 })
        // 3 → 2: output 0 covers input 0 and half of 1; ink scales with the area.
        let row = GrayImage(width: 3, height: 1, pixels: [1, 0, 0.5])
        let resized = row.resized(width: 2, height: 1)
        #expect(abs(resized[0, 0] - 2.0 / 3) < 1e-6 && abs(resized[1, 0] - 1.0 / 3) < 1e-6)
        let image = GrayImage(width: 37, height: 23, pixels: (0..<(37 * 23)).map { Float(($0 * 7919) % 101) / 100 })
        let small = image.resized(width: 20, height: 12)
        #expect(abs(totalInk(small) - totalInk(image) * (20.0 * 12) / (37 * 23)) < 1e-3)
    }

    @Test func enlargingInterpolates() {
        let row = GrayImage(width: 2, height: 1, pixels: [0, 1]).resized(width: 4, height: 1)
        #expect(row.pixels == [0, 0.25, 0.75, 1])
        let flat = GrayImage(width: 3, height: 5, value: 0.3).fitted()
        #expect(flat.width == 12 && flat.height == 20 && flat.pixels.allSatisfy { abs($0 - 0.3) < 1e-6 })
    }
}

@Suite struct ImageCenteringTests {
    @Test func centerOfMass() {
        #expect(GrayImage(width: 3, height: 3).centerOfMass() == nil)
        let image = rectangleImage(width: 10, height: 6, x: 2, y: 1, rectWidth: 4, rectHeight: 2)
        let center = image.centerOfMass()
        #expect(center?.x == 3.5 && center?.y == 1.5)
    }

    @Test func centerOfMassLandsOnFourteen() throws {
        // An asymmetric 20×13 shape: an L with a heavy foot.
        var shape = GrayImage(width: 13, height: 20)
        for y in 0..<20 { shape[0, y] = 1; shape[1, y] = 0.6 }
        for x in 0..<13 { shape[x, 19] = 1; shape[x, 18] = 0.8 }
        let placed = shape.placed(inFrame: 28)
        #expect(placed.width == 28 && placed.height == 28)
        let center = try #require(placed.centerOfMass())
        #expect(abs(center.x - 14) <= 0.5 && abs(center.y - 14) <= 0.5)
        #expect(abs(totalInk(placed) - totalInk(shape)) < 1e-3)  // nothing clipped
        #expect(Set(placed.pixels) == Set(shape.pixels))  // a whole-pixel shift: values are unchanged
        // Sub-pixel: exactly on target.
        let exact = shape.placed(inFrame: 28, subpixel: true)
        let exactCenter = try #require(exact.centerOfMass())
        #expect(abs(exactCenter.x - 14) < 1e-3 && abs(exactCenter.y - 14) < 1e-3)
        #expect(abs(totalInk(exact) - totalInk(shape)) < 1e-3)
    }

    @Test func shiftIsClampedSoNothingLeavesTheFrame() throws {
        // All the ink in the top row of a 20×20 box: centring it would push the box off the top.
        var shape = GrayImage(width: 20, height: 20)
        for x in 0..<20 { shape[x, 0] = 1 }
        shape[0, 19] = 0.01
        let placed = shape.placed(inFrame: 28)
        #expect(abs(totalInk(placed) - totalInk(shape)) < 1e-4)
        let center = try #require(placed.centerOfMass())
        #expect(abs(center.x - 14) <= 0.5)
        #expect(center.y > 8)  // moved down as far as the frame allows (8 rows), not further
    }

    @Test func unitMaximum() {
        let image = GrayImage(width: 2, height: 1, pixels: [0.25, 0.5]).scaledToUnitMaximum()
        #expect(image.pixels == [0.5, 1])
        #expect(GrayImage(width: 2, height: 1).scaledToUnitMaximum() == GrayImage(width: 2, height: 1))
    }
}

@Suite struct ImageAsciiArtTests {
    @Test func shades() {
        let image = GrayImage(width: 5, height: 2, pixels: [0, 0.2, 0.4, 0.7, 1, 1, 0, 0, 0, 0.09])
        #expect(asciiArt(image) == "  ░░▒▒▓▓██\n██        ")
        #expect(asciiArt(GrayImage(width: 28, height: 28)).split(separator: "\n", omittingEmptySubsequences: false).count == 28)
    }
}
