// PGMDecoder.swift — reads Netpbm graymaps: P5 (binary) and P2 (ASCII), with '#' comments in the header.
//
// The simplest picture format there is, handy for tests and shell pipelines. Header numbers are parsed with
// overflow checks, dimensions are capped and the payload's size is checked before anything is allocated.

import DigitImage

/// Decodes PGM files into luminance images: `value / maxval`, 0 black, 1 white.
///
/// Layout: `P5` or `P2`, whitespace, width, whitespace, height, whitespace, maxval (1–65535), one
/// whitespace byte, then `width × height` samples row-major: P5 as bytes (maxval < 256) or big-endian
/// 16-bit words, P2 as decimal numbers separated by whitespace. A `#` starts a comment up to the end of
/// the line anywhere before the samples. Bytes after the last sample are ignored.
public enum PGMDecoder {
    /// Decodes PGM bytes. `path` only labels errors. Throws `ImageFileError`; never traps.
    public static func decode(_ bytes: [UInt8], path: String? = nil) throws -> GrayImage {
        func malformed(_ detail: String) -> ImageFileError { .malformed(path: path, format: "PGM", detail: detail) }
        func truncated(_ detail: String) -> ImageFileError { .truncated(path: path, format: "PGM", detail: detail) }
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "P") else {
            throw ImageFileError.unknownFormat(path: path, found: Array(bytes.prefix(8)))
        }
        let binary: Bool
        switch bytes[1] {
        case UInt8(ascii: "5"): binary = true
        case UInt8(ascii: "2"): binary = false
        default:
            throw ImageFileError.unsupported(path: path, format: "PGM",
                detail: "magic P\(Character(Unicode.Scalar(bytes[1]))) is not a graymap (expected P2 or P5); save the picture as PNG or as a PGM graymap")
        }
        var reader = Reader(bytes: bytes, offset: 2)
        let width = try reader.number(what: "the width", path: path)
        let height = try reader.number(what: "the height", path: path)
        let maxval = try reader.number(what: "maxval", path: path)
        try ImageFile.checkDimensions(width: width, height: height, format: .pgm, path: path)
        guard (1...65535).contains(maxval) else { throw malformed("maxval is \(maxval), expected 1 to 65535") }
        let count = width * height  // ≤ ImageFile.maximumPixels after the check
        let maximum = Float(maxval)

        if binary {
            // Exactly one whitespace byte separates maxval from the samples.
            guard reader.offset < bytes.count else { throw truncated("header ends right after maxval, expected one whitespace byte then the pixels") }
            guard isWhitespace(bytes[reader.offset]) else {
                throw malformed("has byte \(bytes[reader.offset]) after maxval, expected one whitespace byte")
            }
            let start = reader.offset + 1
            let sampleBytes = maxval < 256 ? 1 : 2
            let needed = count * sampleBytes
            guard bytes.count - start >= needed else {
                throw truncated("\(width)×\(height) pixels need \(needed) bytes of pixel data, found \(bytes.count - start)")
            }
            var pixels = [Float](repeating: 0, count: count)
            for index in 0..<count {
                let value = sampleBytes == 1
                    ? Int(bytes[start + index])
                    : Int(bytes[start + 2 * index]) << 8 | Int(bytes[start + 2 * index + 1])
                guard value <= maxval else {
                    throw malformed("pixel (\(index % width), \(index / width)) is \(value), above maxval \(maxval)")
                }
                pixels[index] = Float(value) / maximum
            }
            return GrayImage(width: width, height: height, pixels: pixels)
        }

        // P2: each sample needs at least one digit and one separator, so check the size before allocating.
        let (minimumBytes, _) = count.multipliedReportingOverflow(by: 2)
        guard bytes.count - reader.offset >= minimumBytes - 1 else {
            throw truncated("\(width)×\(height) pixels need at least \(minimumBytes - 1) bytes of ASCII samples, found \(bytes.count - reader.offset)")
        }
        var pixels = [Float](repeating: 0, count: count)
        for index in 0..<count {
            guard let value = try reader.optionalNumber(what: "pixel \(index)", path: path) else {
                throw truncated("has \(index) pixel values, expected \(count) (\(width)×\(height))")
            }
            guard value <= maxval else {
                throw malformed("pixel (\(index % width), \(index / width)) is \(value), above maxval \(maxval)")
            }
            pixels[index] = Float(value) / maximum
        }
        return GrayImage(width: width, height: height, pixels: pixels)
    }

    /// Netpbm whitespace: space, tab, line feed, vertical tab, form feed, carriage return.
    static func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }

    /// Walks the header (and P2 samples): skips whitespace and comments, reads decimal numbers.
    struct Reader {
        let bytes: [UInt8]
        var offset: Int

        /// The next decimal number; throws when the data ends first or something else stands there.
        mutating func number(what: String, path: String?) throws -> Int {
            guard let value = try optionalNumber(what: what, path: path) else {
                throw ImageFileError.truncated(path: path, format: "PGM", detail: "header ends before \(what)")
            }
            return value
        }

        /// The next decimal number, or nil at the end of the data. Values above 2^31 are capped there (they
        /// fail the dimension or maxval checks anyway), so no digit string can overflow.
        mutating func optionalNumber(what: String, path: String?) throws -> Int? {
            while offset < bytes.count {
                if isWhitespace(bytes[offset]) {
                    offset += 1
                } else if bytes[offset] == UInt8(ascii: "#") {
                    while offset < bytes.count && bytes[offset] != 0x0A && bytes[offset] != 0x0D { offset += 1 }
                } else {
                    break
                }
            }
            guard offset < bytes.count else { return nil }
            guard (0x30...0x39).contains(bytes[offset]) else {
                let shown = (0x21...0x7E).contains(bytes[offset]) ? "'\(Character(Unicode.Scalar(bytes[offset])))'" : "byte \(bytes[offset])"
                throw ImageFileError.malformed(path: path, format: "PGM",
                                               detail: "has \(shown) at byte \(offset), expected \(what) as a decimal number")
            }
            var value = 0
            while offset < bytes.count, (0x30...0x39).contains(bytes[offset]) {
                value = min(value * 10 + Int(bytes[offset] - 0x30), 1 << 31)
                offset += 1
            }
            return value
        }
    }
}
