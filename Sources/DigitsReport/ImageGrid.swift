// ImageGrid.swift — small images in a grid, each with a caption and a coloured frame: test predictions
// (right in green, wrong in red), the most confident mistakes, first-layer weights, filters, feature maps.

import DigitsFiles

/// One picture of the grid.
public struct GridTile: Sendable {
    public var image: RGBImage
    public var caption: String
    public var frame: Color?

    public init(image: RGBImage, caption: String, frame: Color? = nil) {
        self.image = image
        self.caption = caption
        self.frame = frame
    }
}

public struct ImageGrid: Figure {
    public var name: String
    public var title: String
    public var tiles: [GridTile]
    public var columns: Int
    /// Side of each image in pixels.
    public var tileSize: Int
    /// A line under the title saying how to read the grid.
    public var subtitle: String?
    public var width: Int { max(2 * margin + columns * (cellWidth + gap) - gap, 320) }
    public var height: Int {
        let rows = (tiles.count + columns - 1) / max(columns, 1)
        return top + rows * (tileSize + captionHeight + gap) + margin
    }

    let margin = 16, gap = 12
    var top: Int { subtitle == nil ? 44 : 66 }
    var captionHeight: Int { tiles.contains { !$0.caption.isEmpty } ? 24 : 4 }
    static let captionSize = 14.0
    /// Each column is as wide as the image or its longest caption, whichever is wider.
    var cellWidth: Int {
        let longest = tiles.map { BitmapFont.width(of: $0.caption) }.max() ?? 0
        return max(tileSize, longest * RasterCanvas.fontScale(Self.captionSize) + 4)
    }

    public init(name: String, title: String, tiles: [GridTile], columns: Int, tileSize: Int = 56, subtitle: String? = nil) {
        self.name = name
        self.title = title
        self.tiles = tiles
        self.columns = max(1, columns)
        self.tileSize = tileSize
        self.subtitle = subtitle
    }

    public func draw<C: Canvas>(on canvas: inout C) {
        drawTitle(on: &canvas)
        if let subtitle { canvas.text(subtitle, x: Double(width) / 2, y: 50, size: FontSize.small, color: .axis, anchor: .middle) }
        let left = (width - (columns * (cellWidth + gap) - gap)) / 2
        for (index, tile) in tiles.enumerated() {
            let (row, column) = index.quotientAndRemainder(dividingBy: columns)
            let x = Double(left + column * (cellWidth + gap) + (cellWidth - tileSize) / 2)
            let y = Double(top + row * (tileSize + captionHeight + gap))
            canvas.image(tile.image, x: x, y: y, width: Double(tileSize), height: Double(tileSize))
            if let frame = tile.frame {
                canvas.rectangle(x: x - 2, y: y - 2, width: Double(tileSize + 4), height: Double(tileSize + 4), fill: nil, stroke: frame)
                canvas.rectangle(x: x - 3, y: y - 3, width: Double(tileSize + 6), height: Double(tileSize + 6), fill: nil, stroke: frame)
            }
            if !tile.caption.isEmpty {
                canvas.text(tile.caption, x: x + Double(tileSize) / 2, y: y + Double(tileSize) + 18, size: Self.captionSize,
                            color: tile.frame ?? .text, anchor: .middle)
            }
        }
    }
}

/// Turning numbers into pixels.
public enum Pixels {
    /// A gray image of `values` (row-major, `width × height`), black ink on white: 0 → white, 1 → black.
    public static func ink(_ values: [Float], width: Int, height: Int) -> RGBImage {
        var image = RGBImage(width: width, height: height)
        for (i, value) in values.prefix(width * height).enumerated() {
            let level = UInt8((255 * (1 - min(max(Double(value), 0), 1))).rounded())
            image.bytes[3 * i] = level; image.bytes[3 * i + 1] = level; image.bytes[3 * i + 2] = level
        }
        return image
    }

    /// Signed values on a diverging scale: negative blue, zero white, positive red, ±`limit` at full colour.
    public static func diverging(_ values: [Float], width: Int, height: Int, limit: Float) -> RGBImage {
        var image = RGBImage(width: width, height: height)
        let scale = limit > 0 ? 1 / Double(limit) : 0
        for (i, value) in values.prefix(width * height).enumerated() {
            let t = min(abs(Double(value)) * scale, 1)
            let color = Color.white.mixed(with: value < 0 ? Color(33, 102, 172) : Color(178, 24, 43), t)
            image.bytes[3 * i] = color.red; image.bytes[3 * i + 1] = color.green; image.bytes[3 * i + 2] = color.blue
        }
        return image
    }

    /// Non-negative values (feature maps) from white to dark blue, the largest at full colour.
    public static func intensity(_ values: [Float], width: Int, height: Int) -> RGBImage {
        var image = RGBImage(width: width, height: height)
        let top = Double(values.max() ?? 0)
        for (i, value) in values.prefix(width * height).enumerated() {
            let color = Color.white.mixed(with: Color(8, 48, 107), top > 0 ? max(Double(value), 0) / top : 0)
            image.bytes[3 * i] = color.red; image.bytes[3 * i + 1] = color.green; image.bytes[3 * i + 2] = color.blue
        }
        return image
    }
}
