// NumberSegmentation.swift — a drawing of a number cut into the drawings of its digits, left to right.
//
// The units are the pen strokes of a drawing, or the connected blobs of ink of an image. Units that share
// most of their horizontal extent belong to one digit (a five's detached bar, a seven's cross-bar, a four
// written in two strokes); small marks join the digit nearest to them. Each group becomes a drawing of its
// own, placed like a single digit on the studio's canvas, so it is read exactly as a single digit is. A
// group that may hold two touching digits can be cut at a column (`NumberSegment.split(at:)`); deciding
// which cut, if any, is right needs a network, and is `NumberReader`'s job.

/// One element of a number: the strokes (or ink) of one digit, or of something that is not one.
public struct NumberSegment: Sendable {
    /// The strokes of the drawing it came from, by index (empty for an image).
    public var strokeIndices: [Int]
    /// Its ink's box in the drawing's coordinates: x0, y0, x1, y1 (the pen's width included for strokes).
    public var box: (x0: Double, y0: Double, x1: Double, y1: Double)
    /// The segment alone, to read like a single digit.
    public var drawing: Drawing
    /// What it is cut from: the original strokes (or the image's ink), for further cuts.
    let source: Source

    enum Source: Sendable {
        /// Strokes in the drawing's coordinates and the size of that canvas.
        case strokes([[CanvasPoint]], canvas: (width: Int, height: Int))
        /// Ink (0–1) of the segment only, in a frame at (left, top) of the working image, and the scale from
        /// working pixels to the drawing's coordinates.
        case ink(GrayImage, left: Int, top: Int, scale: Double)
    }

    public var width: Double { box.x1 - box.x0 }
    public var height: Double { box.y1 - box.y0 }

    /// The ways to divide a segment of several strokes into a left and a right part without cutting a
    /// stroke: the strokes ordered by the middle of their extent, the first k on the left. Empty for a
    /// single stroke or an image.
    public func strokePartitions() -> [(left: NumberSegment, right: NumberSegment)] {
        guard case .strokes(let strokes, let canvas) = source, strokes.count >= 2, strokes.count == strokeIndices.count else { return [] }
        let order = strokes.indices.sorted {
            let (a, b) = (NumberSegmentation.box(of: strokes[$0]), NumberSegmentation.box(of: strokes[$1]))
            return a.x0 + a.x1 < b.x0 + b.x1
        }
        return (1..<order.count).compactMap { k in
            let (leftOrder, rightOrder) = (order[..<k].sorted(), order[k...].sorted())
            guard let left = NumberSegmentation.strokeSegment(leftOrder.map { strokes[$0] }, indices: leftOrder.map { strokeIndices[$0] }, canvas: canvas),
                  let right = NumberSegmentation.strokeSegment(rightOrder.map { strokes[$0] }, indices: rightOrder.map { strokeIndices[$0] }, canvas: canvas)
            else { return nil }
            return (left, right)
        }
    }

    /// The two segments as one (a digit whose strokes the grouping kept apart), or nil when they come from
    /// different kinds of drawing.
    public func merged(with other: NumberSegment) -> NumberSegment? {
        switch (source, other.source) {
        case (.strokes(let mine, let canvas), .strokes(let theirs, _)):
            let pairs: [(index: Int, stroke: [CanvasPoint])] = (Array(zip(strokeIndices, mine)) + Array(zip(other.strokeIndices, theirs)))
                .map { (index: $0.0, stroke: $0.1) }.sorted { $0.index < $1.index }
            return NumberSegmentation.strokeSegment(pairs.map { $0.stroke }, indices: pairs.map { $0.index }, canvas: canvas)
        case (.ink(let mine, let left, let top, let scale), .ink(let theirs, let otherLeft, let otherTop, _))
            where mine.width == theirs.width && mine.height == theirs.height && left == otherLeft && top == otherTop:
            var both = mine
            for index in both.pixels.indices { both.pixels[index] = max(both.pixels[index], theirs.pixels[index]) }
            return NumberSegmentation.inkSegment(both, left: left, top: top, scale: scale)
        default:
            return nil
        }
    }

    /// The two segments left and right of the vertical line at `x` (drawing coordinates), or nil when one
    /// side has no ink. Strokes are clipped at the line (a segment crossing it ends on it on both sides).
    public func split(at x: Double) -> (left: NumberSegment, right: NumberSegment)? {
        switch source {
        case .strokes(let strokes, let canvas):
            let left = strokes.flatMap { NumberSegmentation.clip($0, keepLeftOf: x) }
            let right = strokes.flatMap { NumberSegmentation.clip($0, keepLeftOf: x, keepRight: true) }
            guard let l = NumberSegmentation.strokeSegment(left, indices: strokeIndices, canvas: canvas),
                  let r = NumberSegmentation.strokeSegment(right, indices: strokeIndices, canvas: canvas) else { return nil }
            return (l, r)
        case .ink(let ink, let left, let top, let scale):
            let column = Int((x / scale).rounded()) - left
            guard column > 0, column < ink.width else { return nil }
            var leftInk = ink, rightInk = ink
            for y in 0..<ink.height {
                for x in 0..<ink.width {
                    if x >= column { leftInk.pixels[y * ink.width + x] = 0 } else { rightInk.pixels[y * ink.width + x] = 0 }
                }
            }
            guard let l = NumberSegmentation.inkSegment(leftInk, left: left, top: top, scale: scale),
                  let r = NumberSegmentation.inkSegment(rightInk, left: left, top: top, scale: scale) else { return nil }
            return (l, r)
        }
    }
}

public enum NumberSegmentation {
    /// The elements of a number drawn in `drawing`, left to right. An empty drawing has none.
    public static func segments(of drawing: Drawing) -> [NumberSegment] {
        switch drawing.content {
        case .strokes(let strokes):
            let kept = strokes.indices.filter { !strokes[$0].isEmpty }
            let boxes = kept.map { box(of: strokes[$0]) }
            let tallest = max(boxes.map(\.height).max() ?? 1, 1)
            // Strokes whose lines meet belong together (a seven's bar and its stem, a four's two strokes).
            let touching = { (a: Int, b: Int) -> Bool in
                closestDistance(strokes[kept[a]], strokes[kept[b]], below: 0.05 * tallest)
            }
            return group(boxes, touching: touching).compactMap { members in
                let indices = members.map { kept[$0] }.sorted()
                return strokeSegment(indices.map { strokes[$0] }, indices: indices, canvas: (drawing.width, drawing.height))
            }.sorted { $0.box.x0 + $0.box.x1 < $1.box.x0 + $1.box.x1 }
        case .pixels:
            return inkSegments(drawing.inkImage(maxSide: Int.max))
        }
    }

    /// The elements of a number in an ink image (0 paper … 1 ink), e.g. a photo after `inkImage(_:)`.
    /// Works at most 200 pixels tall and 2,000 wide.
    public static func inkSegments(_ image: GrayImage) -> [NumberSegment] {
        let factor = max(1, Int((max(Double(image.height) / 200, Double(image.width) / 2000)).rounded(.up)))
        let ink = factor > 1 ? image.downscaled(by: factor) : image
        let components = ink.inkComponents()
        guard !components.isEmpty else { return [] }
        let boxes = components.map { Box(x0: Double($0.left), y0: Double($0.top), x1: Double($0.right + 1), y1: Double($0.bottom + 1)) }
        return group(boxes).compactMap { members -> NumberSegment? in
            var only = GrayImage(width: ink.width, height: ink.height)
            for member in members { for index in components[member].pixels { only.pixels[index] = ink.pixels[index] } }
            return inkSegment(only, left: 0, top: 0, scale: Double(factor))
        }.sorted { $0.box.x0 + $0.box.x1 < $1.box.x0 + $1.box.x1 }
    }

    struct Box {
        var x0: Double, y0: Double, x1: Double, y1: Double
        var width: Double { x1 - x0 }
        var height: Double { y1 - y0 }
        func union(_ other: Box) -> Box {
            Box(x0: min(x0, other.x0), y0: min(y0, other.y0), x1: max(x1, other.x1), y1: max(y1, other.y1))
        }
    }

    static func box(of stroke: [CanvasPoint]) -> Box {
        var result = Box(x0: stroke[0].x, y0: stroke[0].y, x1: stroke[0].x, y1: stroke[0].y)
        for point in stroke {
            result.x0 = min(result.x0, point.x)
            result.x1 = max(result.x1, point.x)
            result.y0 = min(result.y0, point.y)
            result.y1 = max(result.y1, point.y)
        }
        return result
    }

    /// Groups units (by their boxes) into digits: two groups merge when their horizontal extents overlap at
    /// all (a four whose upright stands just inside the end of its bar; digits written into each other are
    /// split again by `NumberReader` when two digits read better than one), or when one is a small mark
    /// (under a quarter of the tallest unit both ways) whose centre lies within the other's extent widened by
    /// 15 % of that height, or when `touching` says two of their units meet. Repeats until nothing merges;
    /// then a short piece joins its horizontal neighbour.
    static func group(_ boxes: [Box], touching: (Int, Int) -> Bool = { _, _ in false }) -> [[Int]] {
        guard !boxes.isEmpty else { return [] }
        let tallest = max(boxes.map(\.height).max() ?? 1, 1)
        var groups: [(members: [Int], box: Box)] = boxes.enumerated().map { ([$0.offset], $0.element) }
        func belong(_ a: Box, _ b: Box) -> Bool {
            // Asking for half of the narrower extent instead split fours drawn in two strokes: 4-digit numbers
            // of dev.json were read exactly 93.5 / 92.5 / 93.0% of the time (default, seeds 1-3), now 93.8 / 93.0 / 93.6%.
            if min(a.x1, b.x1) > max(a.x0, b.x0) { return true }
            for (small, large) in [(a, b), (b, a)] where small.width < 0.25 * tallest && small.height < 0.25 * tallest {
                let centre = (small.x0 + small.x1) / 2
                if centre >= large.x0 - 0.15 * tallest && centre <= large.x1 + 0.15 * tallest && large.height >= small.height { return true }
            }
            return false
        }
        var merged = true
        while merged {
            merged = false
            search: for i in groups.indices {
                for j in groups.indices where j > i && (belong(groups[i].box, groups[j].box)
                    || groups[i].members.contains { a in groups[j].members.contains { b in touching(a, b) } }) {
                    groups[i] = (groups[i].members + groups[j].members, groups[i].box.union(groups[j].box))
                    groups.remove(at: j)
                    merged = true
                    break search
                }
            }
        }
        // A short piece (under 55 % of the tallest unit: a seven's bar, a five's flag) joins the group that
        // shares the most of its horizontal extent, if any does.
        var joined = true
        while joined {
            joined = false
            for i in groups.indices where groups[i].box.height < 0.55 * tallest {
                let piece = groups[i].box
                let partner = groups.indices.filter { $0 != i }.max { a, b in
                    min(piece.x1, groups[a].box.x1) - max(piece.x0, groups[a].box.x0) < min(piece.x1, groups[b].box.x1) - max(piece.x0, groups[b].box.x0)
                }
                guard let partner, min(piece.x1, groups[partner].box.x1) - max(piece.x0, groups[partner].box.x0) > 0 else { continue }
                groups[partner] = (groups[partner].members + groups[i].members, groups[partner].box.union(piece))
                groups.remove(at: i)
                joined = true
                break
            }
        }
        return groups.map { $0.members.sorted() }
    }

    /// A segment of `strokes` (already in canvas coordinates): its box, and a drawing of it alone on a canvas
    /// as tall as the original and at least as wide, the strokes moved so the segment is centred — the
    /// brush, a fraction of the shorter side, stays the width it had. Nil when the strokes have no points.
    static func strokeSegment(_ strokes: [[CanvasPoint]], indices: [Int], canvas: (width: Int, height: Int)) -> NumberSegment? {
        let points = strokes.joined()
        guard !points.isEmpty else { return nil }
        let inked = box(of: Array(points))
        let brushRadius = 0.5 * Drawing.brushFraction * Double(min(canvas.width, canvas.height))
        let side = canvas.height
        let width = max(side, Int((inked.width + 4 * brushRadius).rounded(.up)))
        let dx = (Double(width) - inked.width) / 2 - inked.x0
        let moved = strokes.map { stroke in stroke.map { CanvasPoint(x: min(Double(width), max(0, $0.x + dx)), y: $0.y) } }
        guard let drawing = try? Drawing(width: width, height: side, strokes: moved) else { return nil }
        let padded = (x0: max(0, inked.x0 - brushRadius), y0: max(0, inked.y0 - brushRadius),
                      x1: min(Double(canvas.width), inked.x1 + brushRadius), y1: min(Double(canvas.height), inked.y1 + brushRadius))
        return NumberSegment(strokeIndices: indices, box: padded, drawing: drawing, source: .strokes(strokes, canvas: canvas))
    }

    /// A segment of `ink` (a frame at `left, top` of a working image scaled by `scale` from the drawing):
    /// cropped to its ink with a margin of a fifth of its height; nil when it has no ink.
    static func inkSegment(_ ink: GrayImage, left: Int, top: Int, scale: Double) -> NumberSegment? {
        var x0 = ink.width, y0 = ink.height, x1 = -1, y1 = -1
        for y in 0..<ink.height {
            for x in 0..<ink.width where ink.pixels[y * ink.width + x] > 0.05 {
                x0 = min(x0, x)
                x1 = max(x1, x)
                y0 = min(y0, y)
                y1 = max(y1, y)
            }
        }
        guard x1 >= 0 else { return nil }
        let margin = max(2, (y1 - y0 + 1) / 5)
        let (cx0, cy0) = (max(0, x0 - margin), max(0, y0 - margin))
        let (cx1, cy1) = (min(ink.width - 1, x1 + margin), min(ink.height - 1, y1 + margin))
        let (w, h) = (cx1 - cx0 + 1, cy1 - cy0 + 1)
        var bytes = [UInt8](repeating: 0, count: w * h)
        for y in 0..<h {
            for x in 0..<w {
                bytes[y * w + x] = UInt8(max(0, min(255, (ink.pixels[(y + cy0) * ink.width + x + cx0] * 255).rounded())))
            }
        }
        guard let drawing = try? Drawing(width: w, height: h, pixels: bytes) else { return nil }
        let box = (x0: Double(left + x0) * scale, y0: Double(top + y0) * scale, x1: Double(left + x1 + 1) * scale, y1: Double(top + y1 + 1) * scale)
        return NumberSegment(strokeIndices: [], box: box, drawing: drawing, source: .ink(ink, left: left, top: top, scale: scale))
    }

    /// Whether two polylines come within `distance` of each other (checked point to point; pen and canvas
    /// strokes are dense enough for that).
    static func closestDistance(_ a: [CanvasPoint], _ b: [CanvasPoint], below distance: Double) -> Bool {
        let (boxA, boxB) = (box(of: a), box(of: b))
        guard boxA.x0 - distance <= boxB.x1, boxB.x0 - distance <= boxA.x1,
              boxA.y0 - distance <= boxB.y1, boxB.y0 - distance <= boxA.y1 else { return false }
        let limit = distance * distance
        for p in a {
            for q in b where (p.x - q.x) * (p.x - q.x) + (p.y - q.y) * (p.y - q.y) <= limit { return true }
        }
        return false
    }

    /// The pieces of a polyline on one side of the vertical line at `x` (left unless `keepRight`); a segment
    /// that crosses the line is cut where it meets it.
    static func clip(_ stroke: [CanvasPoint], keepLeftOf x: Double, keepRight: Bool = false) -> [[CanvasPoint]] {
        func inside(_ point: CanvasPoint) -> Bool { keepRight ? point.x >= x : point.x < x }
        var pieces: [[CanvasPoint]] = []
        var current: [CanvasPoint] = []
        for (index, point) in stroke.enumerated() {
            if index > 0 {
                let previous = stroke[index - 1]
                if inside(previous) != inside(point), previous.x != point.x {
                    let t = (x - previous.x) / (point.x - previous.x)
                    let crossing = CanvasPoint(x: x, y: previous.y + t * (point.y - previous.y))
                    if inside(previous) {
                        current.append(crossing)
                        pieces.append(current)
                        current = []
                    } else {
                        current = [crossing]
                    }
                }
            }
            if inside(point) { current.append(point) }
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }
}

/// A connected blob of ink: its pixels (indices into the image) and box.
struct InkComponent {
    var pixels: [Int]
    var left: Int, top: Int, right: Int, bottom: Int
}

extension GrayImage {
    /// The 8-connected blobs of pixels above a third of the strongest ink, after a light blur (so a stroke
    /// broken by noise stays one blob). Specks — under 2 % of the largest blob's pixels and under a fifth of
    /// its height — are dropped.
    func inkComponents() -> [InkComponent] {
        let smoothed = gaussianBlurred(sigma: 0.7)
        let level = max(0.05, smoothed.maximum / 3)
        var label = [Int32](repeating: -1, count: width * height)
        var components: [InkComponent] = []
        for start in 0..<(width * height) where label[start] < 0 && smoothed.pixels[start] > level {
            var component = InkComponent(pixels: [], left: width, top: height, right: -1, bottom: -1)
            var stack = [start]
            label[start] = Int32(components.count)
            while let index = stack.popLast() {
                component.pixels.append(index)
                let (x, y) = (index % width, index / width)
                component.left = min(component.left, x)
                component.right = max(component.right, x)
                component.top = min(component.top, y)
                component.bottom = max(component.bottom, y)
                for dy in -1...1 {
                    for dx in -1...1 where dx != 0 || dy != 0 {
                        let (nx, ny) = (x + dx, y + dy)
                        guard nx >= 0, nx < width, ny >= 0, ny < height else { continue }
                        let neighbour = ny * width + nx
                        if label[neighbour] < 0 && smoothed.pixels[neighbour] > level {
                            label[neighbour] = Int32(components.count)
                            stack.append(neighbour)
                        }
                    }
                }
            }
            components.append(component)
        }
        let largest = components.map(\.pixels.count).max() ?? 0
        let tallest = components.map { $0.bottom - $0.top + 1 }.max() ?? 0
        return components.filter { Double($0.pixels.count) >= 0.02 * Double(largest) || Double($0.bottom - $0.top + 1) >= 0.2 * Double(tallest) }
    }
}
