// GrayImage+Ink.swift — step 1 of the pipeline: find the paper, turn luminance into ink.
//
// A picture of a digit is dark ink on light paper (scans, photos, white canvases) or light ink on a dark
// ground (MNIST itself, blackboards). Both become MNIST's convention: 0 = paper, 1 = the strongest ink.

/// Whether the paper (the background) is lighter or darker than the ink.
public enum Background: String, Sendable, Equatable, CustomStringConvertible {
    /// Dark ink on light paper: `ink = (paper − luminance) / contrast`.
    case light
    /// Light ink on a dark background (MNIST's own look): `ink = (luminance − paper) / contrast`.
    case dark

    public var description: String {
        self == .light ? "dark ink on light paper" : "light ink on a dark background"
    }
}

/// What `GrayImage.estimatePaper(assuming:)` found: the paper's colour and the strongest ink against it.
public struct PaperEstimate: Sendable, Equatable {
    /// Light or dark paper.
    public let background: Background
    /// Luminance of the paper in [0, 1]: the median of the image's border pixels.
    public let paperLuminance: Float
    /// Luminance of the strongest ink in [0, 1]: the darkest pixel on light paper, the brightest on dark.
    public let inkLuminance: Float

    public init(background: Background, paperLuminance: Float, inkLuminance: Float) {
        self.background = background
        self.paperLuminance = paperLuminance
        self.inkLuminance = inkLuminance
    }

    /// `|paper − ink|` in [0, 1]: how far the strongest ink stands out from the paper.
    public var contrast: Float { abs(paperLuminance - inkLuminance) }
}

extension GrayImage {
    /// The median of the border pixels (first and last row, first and last column); NaN pixels are skipped.
    ///
    /// The border is nearly all paper in any picture of a single digit, so its median is the paper's colour
    /// even when a stroke touches the edge. Returns 1 (white) for an image with no pixels. O(width + height).
    public func borderMedian() -> Float {
        guard width > 0, height > 0 else { return 1 }
        var border = [Float]()
        border.reserveCapacity(2 * (width + height))
        for x in 0..<width {
            border.append(pixels[x])
            if height > 1 { border.append(pixels[(height - 1) * width + x]) }
        }
        if height > 2 {
            for y in 1..<(height - 1) {
                border.append(pixels[y * width])
                if width > 1 { border.append(pixels[y * width + width - 1]) }
            }
        }
        border.removeAll { $0.isNaN }
        guard !border.isEmpty else { return 1 }
        border.sort()
        let middle = border.count / 2
        return border.count % 2 == 1 ? border[middle] : (border[middle - 1] + border[middle]) / 2
    }

    /// Decides light or dark paper and measures the strongest ink. Pixels are luminance (0 black, 1 white).
    ///
    /// Rule: `paper` = median of the border pixels (`borderMedian()`). The ink is on the side of the paper
    /// that reaches further: light paper when `paper − darkest > brightest − paper`, dark paper when the
    /// reverse holds; on a tie (a blank image) light when `paper ≥ 0.5`. Pass `background` to force the
    /// decision. One pass over the pixels (which should be finite); values are clamped to [0, 1].
    public func estimatePaper(assuming background: Background? = nil) -> PaperEstimate {
        let paper = min(max(borderMedian(), 0), 1)
        var darkest = paper
        var brightest = paper
        pixels.withUnsafeBufferPointer { source in
            if let start = source.baseAddress {
                (darkest, brightest) = fastMinMax(start, count: source.count, initial: paper)
            }
        }
        darkest = darkest > 0 ? darkest : 0
        brightest = brightest < 1 ? brightest : 1
        let decided: Background
        if let background {
            decided = background
        } else if paper - darkest > brightest - paper {
            decided = .light
        } else if brightest - paper > paper - darkest {
            decided = .dark
        } else {
            decided = paper >= 0.5 ? .light : .dark
        }
        return PaperEstimate(background: decided, paperLuminance: paper,
                             inkLuminance: decided == .light ? darkest : brightest)
    }

    /// Ink image: `ink = clamp((luminance − paper) × sign / contrast, 0, 1)`, `sign` = −1 on light paper,
    /// +1 on dark paper. This inverts dark-on-light pictures and stretches the contrast so that the paper
    /// becomes 0 and the strongest ink 1 (photographed paper is grey, not white). Same shape as `self`;
    /// NaN becomes 0. An estimate with zero contrast gives an all-zero image.
    public func inkImage(_ estimate: PaperEstimate) -> GrayImage {
        var ink = [Float](repeating: 0, count: pixels.count)
        let contrast = estimate.contrast
        guard contrast > 0 else { return GrayImage(width: width, height: height, pixels: ink) }
        let scale: Float = (estimate.background == .light ? -1 : 1) / contrast
        let paper = estimate.paperLuminance
        pixels.withUnsafeBufferPointer { source in
            ink.withUnsafeMutableBufferPointer { target in
                for index in 0..<source.count {
                    let value = (source[index] - paper) * scale
                    // Written so that NaN falls to 0.
                    target[index] = value > 0 ? (value < 1 ? value : 1) : 0
                }
            }
        }
        return GrayImage(width: width, height: height, pixels: ink)
    }
}
