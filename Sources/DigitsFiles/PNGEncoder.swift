// PNGEncoder.swift — writes 8-bit RGB PNG files (report figures, weight images).
//
// A PNG is the 8-byte signature followed by chunks, each `length (4, big-endian) · type (4) · data · CRC-32
// of type and data`. We write IHDR (width, height, bit depth 8, colour type 2 = RGB), one IDAT holding the
// zlib-compressed scanlines (each prefixed with filter byte 0, "None"), and IEND.

/// An image of 8-bit red, green, blue pixels, row by row from the top.
public struct RGBImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// `3 · width · height` bytes: R, G, B of pixel (x, y) at `3 · (y · width + x)`.
    public var bytes: [UInt8]

    /// A `width × height` image filled with one colour.
    public init(width: Int, height: Int, fill: (UInt8, UInt8, UInt8) = (255, 255, 255)) {
        precondition(width >= 0 && height >= 0, "image size must not be negative")
        self.width = width
        self.height = height
        var pixels = [UInt8](repeating: 0, count: 3 * width * height)
        for i in stride(from: 0, to: pixels.count, by: 3) {
            pixels[i] = fill.0
            pixels[i + 1] = fill.1
            pixels[i + 2] = fill.2
        }
        bytes = pixels
    }

    /// The colour of pixel (x, y).
    public func pixel(x: Int, y: Int) -> (UInt8, UInt8, UInt8) {
        let i = 3 * (y * width + x)
        return (bytes[i], bytes[i + 1], bytes[i + 2])
    }
}

public enum PNGEncoder {
    /// The PNG file for `image`.
    public static func encode(_ image: RGBImage) throws -> [UInt8] {
        precondition(image.width > 0 && image.height > 0, "a PNG needs at least one pixel")
        var file = PNGDecoder.signature
        var header = [UInt8]()
        appendBigEndian(UInt32(image.width), to: &header)
        appendBigEndian(UInt32(image.height), to: &header)
        header += [8, 2, 0, 0, 0]   // bit depth 8, RGB, deflate, adaptive filtering, no interlace
        appendChunk("IHDR", header, to: &file)

        let rowBytes = 3 * image.width
        var scanlines = [UInt8]()
        scanlines.reserveCapacity((rowBytes + 1) * image.height)
        for y in 0..<image.height {
            scanlines.append(0)   // filter type None
            scanlines += image.bytes[(y * rowBytes)..<((y + 1) * rowBytes)]
        }
        appendChunk("IDAT", try Zlib.deflate(scanlines, format: .zlib, level: 9), to: &file)
        appendChunk("IEND", [], to: &file)
        return file
    }

    private static func appendChunk(_ type: String, _ data: [UInt8], to file: inout [UInt8]) {
        appendBigEndian(UInt32(data.count), to: &file)
        let typeAndData = Array(type.utf8) + data
        file += typeAndData
        appendBigEndian(PNGDecoder.crc32(typeAndData), to: &file)
    }

    private static func appendBigEndian(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes += [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}
