// ImageFile.swift — reads a picture file (PNG or PGM) into a luminance `GrayImage` for the digit pipeline.
//
// Sniffs the format by its magic bytes, applies the shared dimension caps and names every failure in one
// line: what was expected, what was found, what to do. No input, however hostile, traps.

import DigitImage

/// Errors from decoding picture files. `path` is the file's path, or nil for bytes held in memory.
public enum ImageFileError: Error, CustomStringConvertible, Equatable {
    /// Neither PNG nor PGM; `found` holds up to 8 of the first bytes.
    case unknownFormat(path: String?, found: [UInt8])
    /// The file ends early; `detail` says what was still expected.
    case truncated(path: String?, format: String, detail: String)
    /// A PNG chunk's stored CRC-32 differs from the one computed over its type and data.
    case badChecksum(path: String?, chunk: String, stored: UInt32, computed: UInt32)
    /// The bytes break the format's rules; `detail` says what was expected and what was found.
    case malformed(path: String?, format: String, detail: String)
    /// A valid file this decoder does not read (e.g. a PNG bit depth); `detail` names it.
    case unsupported(path: String?, format: String, detail: String)
    /// Width or height is 0.
    case zeroSize(path: String?, format: String, width: Int, height: Int)
    /// Width or height above `ImageFile.maximumSide`, or more than `ImageFile.maximumPixels` pixels.
    case tooLarge(path: String?, format: String, width: Int, height: Int)
    /// The compressed image data is damaged; `detail` is zlib's reason or the size found.
    case corruptData(path: String?, format: String, detail: String)

    public var description: String {
        switch self {
        case .unknownFormat(let path, let found):
            let shown = found.isEmpty ? "an empty file" : found.map { imageHexByte($0) }.joined(separator: " ")
            return "\(location(path)): expected a PNG (89 50 4E 47 …) or PGM (P2 / P5) image, found \(shown)"
                + "\(ImageFile.guessFormat(found)); save the picture as PNG"
        case .truncated(let path, let format, let detail):
            return "\(location(path)): \(format) \(detail); the file is truncated: export or download it again"
        case .badChecksum(let path, let chunk, let stored, let computed):
            return "\(location(path)): PNG chunk \(chunk) has CRC-32 \(hex32(stored)) but its bytes give "
                + "\(hex32(computed)); the file is damaged: export or download it again"
        case .malformed(let path, let format, let detail):
            return "\(location(path)): \(format) \(detail); the file is damaged or not a real \(format): export it again"
        case .unsupported(let path, let format, let detail):
            return "\(location(path)): \(format) \(detail)"
        case .zeroSize(let path, let format, let width, let height):
            return "\(location(path)): \(format) image is \(width)×\(height) pixels, expected at least 1×1; "
                + "the file is damaged: export it again"
        case .tooLarge(let path, let format, let width, let height):
            return "\(location(path)): \(format) image is \(width)×\(height) pixels, more than the cap of "
                + "\(ImageFile.maximumSide) per side and \(ImageFile.maximumPixels) pixels in all; "
                + "scale the picture down (a digit needs only a few hundred pixels)"
        case .corruptData(let path, let format, let detail):
            return "\(location(path)): \(format) image data is corrupt (\(detail)); export or download the file again"
        }
    }
}

/// Reads PNG and PGM pictures as luminance images (0 black, 1 white).
public enum ImageFile {
    /// The largest width or height accepted.
    public static let maximumSide = 16_384
    /// The largest number of pixels (width × height) accepted.
    public static let maximumPixels = 50_000_000

    /// The picture formats `decode` reads.
    public enum Format: String, Sendable {
        case png = "PNG"
        case pgm = "PGM"
    }

    /// The format announced by the first bytes: PNG's 8-byte signature, or PGM's "P2" / "P5" followed by
    /// whitespace or '#'; nil otherwise.
    public static func format(of bytes: [UInt8]) -> Format? {
        if bytes.count >= 8 && Array(bytes[0..<8]) == PNGDecoder.signature { return .png }
        if bytes.count >= 3 && bytes[0] == UInt8(ascii: "P") && (bytes[1] == UInt8(ascii: "2") || bytes[1] == UInt8(ascii: "5"))
            && (PGMDecoder.isWhitespace(bytes[2]) || bytes[2] == UInt8(ascii: "#"))
        {
            return .pgm
        }
        return nil
    }

    /// Decodes PNG or PGM bytes into luminance in [0, 1] (0 black, 1 white). `path` only labels errors.
    ///
    /// Throws `ImageFileError` for every malformed or unsupported input; never traps.
    public static func decode(_ bytes: [UInt8], path: String? = nil) throws -> GrayImage {
        switch format(of: bytes) {
        case .png: return try PNGDecoder.decode(bytes, path: path)
        case .pgm: return try PGMDecoder.decode(bytes, path: path)
        case nil:
            // A file cut inside the PNG signature is a truncated PNG, not an unknown format.
            if bytes.count < 8 && !bytes.isEmpty && Array(PNGDecoder.signature.prefix(bytes.count)) == bytes {
                throw ImageFileError.truncated(path: path, format: "PNG",
                                               detail: "signature needs 8 bytes, the file has \(bytes.count)")
            }
            throw ImageFileError.unknownFormat(path: path, found: Array(bytes.prefix(8)))
        }
    }

    /// Reads and decodes the PNG or PGM file at `path`. Throws `FileError` or `ImageFileError`.
    public static func load(path: String) throws -> GrayImage {
        try decode(FileBytes.read(path: path), path: path)
    }

    /// Throws unless `1 ≤ width, height ≤ maximumSide` and `width × height ≤ maximumPixels`.
    static func checkDimensions(width: Int, height: Int, format: Format, path: String?) throws {
        if width == 0 || height == 0 {
            throw ImageFileError.zeroSize(path: path, format: format.rawValue, width: width, height: height)
        }
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        if width < 0 || height < 0 || width > maximumSide || height > maximumSide || overflow || pixels > maximumPixels {
            throw ImageFileError.tooLarge(path: path, format: format.rawValue, width: width, height: height)
        }
    }

    /// " (looks like JPEG)" and the like for common formats this decoder does not read, else "".
    static func guessFormat(_ bytes: [UInt8]) -> String {
        func starts(_ prefix: [UInt8]) -> Bool { bytes.count >= prefix.count && Array(bytes.prefix(prefix.count)) == prefix }
        let name: String?
        if starts([0xFF, 0xD8, 0xFF]) { name = "JPEG" }
        else if starts(Array("GIF8".utf8)) { name = "GIF" }
        else if starts(Array("BM".utf8)) { name = "BMP" }
        else if starts(Array("RIFF".utf8)) { name = "RIFF (WebP?)" }
        else if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) { name = "TIFF" }
        else if bytes.count >= 8 && Array(bytes[4..<8]) == Array("ftyp".utf8) { name = "HEIC/MP4" }
        else if bytes.count >= 2 && bytes[0] == UInt8(ascii: "P") && (bytes[1] == UInt8(ascii: "1") || bytes[1] == UInt8(ascii: "3")
                    || bytes[1] == UInt8(ascii: "4") || bytes[1] == UInt8(ascii: "6") || bytes[1] == UInt8(ascii: "7")) {
            name = "a PBM/PPM/PAM file, not PGM"
        } else { name = nil }
        return name.map { " (looks like \($0))" } ?? ""
    }
}

/// "photo.png" or "image bytes" for error messages.
private func location(_ path: String?) -> String { path ?? "image bytes" }

/// Two upper-case hex digits.
private func imageHexByte(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
}

/// "0x1A2B3C4D".
private func hex32(_ value: UInt32) -> String {
    "0x" + (0..<4).map { imageHexByte(UInt8(truncatingIfNeeded: value >> (24 - 8 * $0))) }.joined()
}
