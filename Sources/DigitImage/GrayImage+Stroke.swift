// GrayImage+Stroke.swift — drawing pen strokes: a round brush dragged along a polyline, anti-aliased.
//
// A round brush of radius r dragged from A to B covers a "capsule": every point within r of the segment AB.
// A pixel is inked by how far its centre lies inside that shape, over a one-pixel ramp, which is what a
// browser canvas does with `lineCap = lineJoin = "round"`.

extension GrayImage {
    /// Draws a polyline with a round brush of `radius` pixels: ink `max(old, coverage)` where
    /// `coverage = clamp(radius + ½ − distance(pixel centre, polyline), 0, 1)`.
    ///
    /// Points are in pixel units with (0, 0) the top-left corner of the image, so the centre of pixel
    /// (x, y) is (x + ½, y + ½). One point draws a dot. Work: O(segments × brush area + length × brush width).
    public mutating func drawStroke(_ points: [CanvasPoint], radius: Double) {
        guard let first = points.first else { return }
        var previous = first
        drawSegment(from: first, to: first, radius: radius)
        for point in points.dropFirst() {
            drawSegment(from: previous, to: point, radius: radius)
            previous = point
        }
    }

    /// Inks the capsule of `radius` around the segment from `a` to `b` (a dot when they coincide).
    mutating func drawSegment(from a: CanvasPoint, to b: CanvasPoint, radius: Double) {
        let reach = radius + 0.5
        let left = max(0, Int((min(a.x, b.x) - reach).rounded(.down)))
        let right = min(width - 1, Int((max(a.x, b.x) + reach).rounded(.up)))
        let top = max(0, Int((min(a.y, b.y) - reach).rounded(.down)))
        let bottom = min(height - 1, Int((max(a.y, b.y) + reach).rounded(.up)))
        guard left <= right, top <= bottom else { return }

        let dx = b.x - a.x, dy = b.y - a.y
        let lengthSquared = dx * dx + dy * dy
        let reachSquared = reach * reach
        let insideSquared = max(0, radius - 0.5) * max(0, radius - 0.5)   // closer than this: full ink
        for y in top...bottom {
            let py = Double(y) + 0.5
            for x in left...right {
                let px = Double(x) + 0.5
                // The nearest point of the segment: A + t·(B − A) with t clamped to [0, 1].
                var t = lengthSquared > 0 ? ((px - a.x) * dx + (py - a.y) * dy) / lengthSquared : 0
                t = min(1, max(0, t))
                let nearestX = a.x + t * dx, nearestY = a.y + t * dy
                let distanceSquared = (px - nearestX) * (px - nearestX) + (py - nearestY) * (py - nearestY)
                if distanceSquared >= reachSquared { continue }          // outside the brush: most of the box
                let coverage: Float = distanceSquared <= insideSquared ? 1 : Float(min(1, reach - distanceSquared.squareRoot()))
                if coverage > self[x, y] { self[x, y] = coverage }
            }
        }
    }
}
