// GrayImage+Downscale.swift — step 2: shrink large pictures before the rest of the pipeline.
//
// A 4000×3000 photo holds far more pixels than a 20×20 digit needs. Averaging k×k blocks (an exact area
// average for an integer factor) brings it to a small working size in one pass, so every later step is cheap.

extension GrayImage {
    /// The default working size: the longest side after `downscaled(by:)`, 4 × MNIST's 20-pixel digit box.
    /// Enough for a digit that fills a quarter of the picture's longest side to reach the box at full
    /// resolution; smaller digits are enlarged (bilinear) by the fit.
    public static let defaultWorkingSide = 80

    /// The integer factor that brings the longest side to at most `maxSide`: `k = ⌈max(width, height) / maxSide⌉`,
    /// 1 when the image already fits (or `maxSide < 1`).
    /// Example: with `maxSide` 80, 280×280 → 4 (70×70); 4000×3000 → 50 (80×60); 80×60 → 1.
    public static func downscaleFactor(width: Int, height: Int, maxSide: Int) -> Int {
        let longest = max(width, height)
        guard maxSide >= 1, longest > maxSide else { return 1 }
        return (longest + maxSide - 1) / maxSide
    }

    /// Area-averaging downscale by an integer factor `k`: each output pixel is the mean of a k×k block,
    /// `out[y][x] = Σ in[k·y + j][k·x + i] / (block pixels)`.
    ///
    /// Shape: `width × height` → `⌈width / k⌉ × ⌈height / k⌉`; blocks on the right and bottom edges may be
    /// smaller and average only the pixels they hold. `k ≤ 1` returns `self`. O(pixels): rows are summed
    /// into a running row (vectorizable), then that row is summed block by block.
    public func downscaled(by factor: Int) -> GrayImage {
        guard factor > 1, width > 0, height > 0 else { return self }
        let k = factor
        let outWidth = (width + k - 1) / k
        let outHeight = (height + k - 1) / k
        var output = [Float](repeating: 0, count: outWidth * outHeight)
        var rowSum = [Float](repeating: 0, count: width)
        let width = self.width, height = self.height
        pixels.withUnsafeBufferPointer { source in
            rowSum.withUnsafeMutableBufferPointer { sum in
                output.withUnsafeMutableBufferPointer { target in
                    for outY in 0..<outHeight {
                        let firstRow = outY * k
                        let rows = min(k, height - firstRow)
                        let running = sum.baseAddress!
                        for x in 0..<width { running[x] = 0 }
                        for y in firstRow..<(firstRow + rows) {
                            // Pointer indexing, no checked index arithmetic: this loop vectorizes.
                            let input = source.baseAddress! + y * width
                            for x in 0..<width { running[x] += input[x] }
                        }
                        let output = target.baseAddress! + outY * outWidth
                        let fullBlocks = width / k
                        let scale = 1 / Float(rows * k)
                        for outX in 0..<fullBlocks {
                            let block = running + outX * k
                            var total: Float = 0
                            for i in 0..<k { total += block[i] }
                            output[outX] = total * scale
                        }
                        if fullBlocks < outWidth {
                            let columns = width - fullBlocks * k
                            var total: Float = 0
                            for x in (fullBlocks * k)..<width { total += running[x] }
                            output[fullBlocks] = total / Float(rows * columns)
                        }
                    }
                }
            }
        }
        return GrayImage(width: outWidth, height: outHeight, pixels: output)
    }
}
