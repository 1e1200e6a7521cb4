// GrayImage+Threshold.swift — steps 4 and 5: drop faint ink, find the digit's bounding box, crop to it.
//
// After smoothing, paper texture and JPEG noise are faint ink; a threshold zeroes them so that the bounding
// box hugs the strokes. Pixels at or above the threshold keep their value (the anti-aliased edges survive).

/// An axis-aligned rectangle of whole pixels: columns `x ..< x + width`, rows `y ..< y + height`.
public struct PixelRect: Sendable, Equatable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// The last column inside the rectangle, `x + width − 1`.
    public var maxX: Int { x + width - 1 }
    /// The last row inside the rectangle, `y + height − 1`.
    public var maxY: Int { y + height - 1 }

    public var description: String { "\(width)×\(height) at (\(x), \(y))" }
}

extension GrayImage {
    /// The largest pixel value, or 0 when every pixel is ≤ 0 (or there are none).
    public var maximum: Float {
        pixels.withUnsafeBufferPointer { source in
            source.baseAddress.map { fastMaximum($0, count: source.count, initial: 0) } ?? 0
        }
    }

    /// Noise threshold: `out = in < level ? 0 : in`. Same shape; values at or above `level` are kept as
    /// they are, so anti-aliased stroke edges survive. NaN becomes 0.
    public func thresholded(below level: Float) -> GrayImage {
        var output = pixels
        output.withUnsafeMutableBufferPointer { values in
            for index in 0..<values.count {
                let value = values[index]
                values[index] = value >= level ? value : 0
            }
        }
        return GrayImage(width: width, height: height, pixels: output)
    }

    /// The smallest rectangle holding every pixel whose value is greater than `level`, or nil when there is
    /// none (no ink: the digit was not found). One pass over the pixels.
    public func inkBoundingBox(above level: Float = 0) -> PixelRect? {
        var minX = Int.max, minY = Int.max, maxX = -1, maxY = -1
        pixels.withUnsafeBufferPointer { source in
            guard let base = source.baseAddress else { return }
            for y in 0..<height {
                let row = base + y * width
                // Most rows are blank: a vectorized row maximum skips them; ink rows are searched from both ends.
                guard fastMaximum(row, count: width, initial: level) > level else { continue }
                var first = 0
                while !(row[first] > level) { first += 1 }
                var last = width - 1
                while !(row[last] > level) { last -= 1 }
                if minY == Int.max { minY = y }
                maxY = y
                minX = min(minX, first)
                maxX = max(maxX, last)
            }
        }
        guard maxY >= 0 else { return nil }
        return PixelRect(x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1)
    }

    /// A bounding box robust to stray specks: the rows and columns between the `tail` and `1 − tail` quantiles
    /// of the ink mass, counting only pixels above `level`. From the column sums `c[x] = Σ_y v[y][x]` the box
    /// spans from the first column where `Σ_{x' ≤ x} c[x'] > tail · total` to the first where it reaches
    /// `(1 − tail) · total`; rows likewise. A speck holding less than `tail` of the ink cannot widen it.
    /// Nil when no pixel is above `level`. One pass over the pixels.
    public func inkCoreBox(above level: Float = 0, tail: Float = 0.01) -> PixelRect? {
        guard width > 0, height > 0 else { return nil }
        var columns = [Float](repeating: 0, count: width), rows = [Float](repeating: 0, count: height)
        pixels.withUnsafeBufferPointer { source in
            columns.withUnsafeMutableBufferPointer { columnSum in
                guard let base = source.baseAddress, let sums = columnSum.baseAddress else { return }
                for y in 0..<height {
                    let row = base + y * width
                    var rowSum: Float = 0
                    for x in 0..<width {
                        let value = row[x] > level ? row[x] : 0
                        rowSum += value
                        sums[x] += value
                    }
                    rows[y] = rowSum
                }
            }
        }
        func span(_ sums: [Float]) -> (first: Int, last: Int)? {
            let total = sums.reduce(0, +)
            guard total > 0 else { return nil }
            var running: Float = 0, first = -1, last = sums.count - 1
            for index in sums.indices {
                running += sums[index]
                if first < 0 && running > tail * total { first = index }
                if running >= (1 - tail) * total { last = index; break }
            }
            return (max(first, 0), max(last, max(first, 0)))
        }
        guard let horizontal = span(columns), let vertical = span(rows) else { return nil }
        return PixelRect(x: horizontal.first, y: vertical.first, width: horizontal.last - horizontal.first + 1,
                         height: vertical.last - vertical.first + 1)
    }

    /// The pixels inside `rect`, which must lie within the image. Shape `rect.width × rect.height`.
    public func cropped(to rect: PixelRect) -> GrayImage {
        precondition(rect.x >= 0 && rect.y >= 0 && rect.width >= 0 && rect.height >= 0
                     && rect.x + rect.width <= width && rect.y + rect.height <= height,
                     "crop \(rect) must lie inside the \(width)×\(height) image")
        var output = [Float]()
        output.reserveCapacity(rect.width * rect.height)
        for y in rect.y..<(rect.y + rect.height) {
            let row = y * width
            output.append(contentsOf: pixels[(row + rect.x)..<(row + rect.x + rect.width)])
        }
        return GrayImage(width: rect.width, height: rect.height, pixels: output)
    }
}
