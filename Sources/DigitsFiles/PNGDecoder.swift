// PNGDecoder.swift — a strict PNG decoder to luminance, written to survive hostile files (it is fuzzed).
//
// Every length, offset and CRC is checked before use, dimensions are capped before any allocation, and the
// zlib stream may inflate to exactly the size the header implies. Not an encoder; no colour management.

import DigitImage

/// Decodes PNG files into luminance images (0 black, 1 white).
///
/// Supported: colour types 0 (gray, 1/2/4/8/16-bit), 2 (RGB, 8/16), 3 (palette, 1/2/4/8, with PLTE and
/// tRNS), 4 (gray + alpha, 8/16) and 6 (RGBA, 8/16); all five row filters; Adam7 interlacing.
/// Colour becomes luminance with Rec. 601 weights `0.299 R + 0.587 G + 0.114 B`.
///
/// Transparency: a drawing exported from an app is often strokes on a *transparent* background whose hidden
/// colour is arbitrary (often black). So pixels are composited onto the colour that contrasts with the
/// visible ink: `L = a·L + (1 − a)·B`, with `B` = white when the alpha-weighted mean luminance of the image
/// `Σ a·L / Σ a` is below 0.5 (dark strokes), black otherwise (light strokes); white for a fully
/// transparent image. Opaque images are unaffected.
public enum PNGDecoder {
    /// The 8 bytes every PNG file starts with.
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// The CRC-32 (ISO 3309, polynomial 0xEDB88320, as in PNG and zlib) of `bytes`.
    /// `PNGDecoder.crc32(Array("IEND".utf8))` is 0xAE426082.
    public static func crc32(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { crc32(buffer: $0) }
    }

    static func crc32(buffer: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        crcTable.withUnsafeBufferPointer { table in
            for byte in buffer { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        }
        return crc ^ 0xFFFF_FFFF
    }

    /// The IHDR fields.
    struct Header {
        var width: Int, height: Int, bitDepth: Int, colorType: Int, interlaced: Bool
        /// Samples per pixel: 1 gray, 3 RGB, 1 palette index, 2 gray + alpha, 4 RGBA.
        var channels: Int { [0: 1, 2: 3, 3: 1, 4: 2, 6: 4][colorType] ?? 1 }
        var bitsPerPixel: Int { channels * bitDepth }
        /// Bytes per complete pixel for the filters (at least 1).
        var filterStride: Int { max(1, bitsPerPixel / 8) }
        /// Bytes in one filtered row of `pixels` pixels, without its filter-type byte.
        func rowBytes(_ pixels: Int) -> Int { (pixels * bitsPerPixel + 7) / 8 }
    }

    /// One Adam7 pass (or the whole image when not interlaced): the pixels at `(x0 + i·dx, y0 + j·dy)`.
    struct Pass { var x0: Int, y0: Int, dx: Int, dy: Int, width: Int, height: Int }

    /// Decodes PNG bytes. `path` only labels errors. Throws `ImageFileError`; never traps.
    public static func decode(_ bytes: [UInt8], path: String? = nil) throws -> GrayImage {
        func malformed(_ detail: String) -> ImageFileError { .malformed(path: path, format: "PNG", detail: detail) }
        func truncated(_ detail: String) -> ImageFileError { .truncated(path: path, format: "PNG", detail: detail) }
        guard bytes.count >= 8 else { throw truncated("signature needs 8 bytes, the file has \(bytes.count)") }
        guard Array(bytes[0..<8]) == signature else {
            throw ImageFileError.unknownFormat(path: path, found: Array(bytes.prefix(8)))
        }

        var header: Header?
        var palette: [(luminance: Float, alpha: Float)] = []
        var transparency: [UInt8]?
        var compressed = [UInt8]()
        var sawEnd = false
        var offset = 8
        var chunkIndex = 0
        while offset < bytes.count && !sawEnd {
            let remaining = bytes.count - offset
            guard remaining >= 12 else {
                throw truncated("chunk at byte \(offset) needs at least 12 bytes (length, type, CRC), the file has \(remaining) left")
            }
            let length = Int(readUInt32(bytes, offset))
            let typeBytes = Array(bytes[(offset + 4)..<(offset + 8)])
            guard typeBytes.allSatisfy({ (65...90).contains($0) || (97...122).contains($0) }) else {
                throw malformed("chunk at byte \(offset) has type bytes \(typeBytes.map { String($0) }.joined(separator: " ")), expected 4 ASCII letters")
            }
            let type = String(decoding: typeBytes, as: UTF8.self)
            guard length <= 0x7FFF_FFFF else { throw malformed("chunk \(type) declares \(length) bytes, more than PNG's 2^31 − 1") }
            guard length <= remaining - 12 else {
                throw truncated("chunk \(type) at byte \(offset) declares \(length) data bytes, only \(remaining - 12) remain")
            }
            let dataStart = offset + 8, dataEnd = offset + 8 + length
            let stored = readUInt32(bytes, dataEnd)
            let computed = bytes.withUnsafeBufferPointer { buffer in
                crc32(buffer: UnsafeBufferPointer(rebasing: buffer[(offset + 4)..<dataEnd]))
            }
            guard stored == computed else {
                throw ImageFileError.badChecksum(path: path, chunk: type, stored: stored, computed: computed)
            }
            if chunkIndex == 0 && type != "IHDR" { throw malformed("first chunk is \(type), expected IHDR") }
            switch type {
            case "IHDR":
                guard header == nil else { throw malformed("has a second IHDR chunk, expected exactly one") }
                guard length == 13 else { throw malformed("IHDR holds \(length) bytes, expected 13") }
                header = try parseHeader(bytes, at: dataStart, path: path)
            case "PLTE":
                guard length % 3 == 0, (3...768).contains(length) else {
                    throw malformed("PLTE holds \(length) bytes, expected 3 to 768 and a multiple of 3")
                }
                palette = stride(from: dataStart, to: dataEnd, by: 3).map { index in
                    (luminance: luminance(Float(bytes[index]), Float(bytes[index + 1]), Float(bytes[index + 2])) / 255, alpha: 1)
                }
            case "tRNS":
                transparency = Array(bytes[dataStart..<dataEnd])
            case "IDAT":
                compressed.append(contentsOf: bytes[dataStart..<dataEnd])
            case "IEND":
                sawEnd = true
            default:
                // Upper-case first letter: a critical chunk, which a decoder must understand.
                if (65...90).contains(typeBytes[0]) {
                    throw ImageFileError.unsupported(path: path, format: "PNG",
                        detail: "critical chunk \(type) is not supported; re-save the image as a plain 8-bit PNG")
                }
            }
            offset = dataEnd + 4
            chunkIndex += 1
        }
        guard let header else { throw truncated("file ends before the IHDR chunk") }
        guard sawEnd else { throw truncated("file ends without the IEND chunk") }
        guard !compressed.isEmpty else { throw malformed("has no IDAT chunk, expected the image data") }

        // Palette alpha and colour keys from tRNS (ignored when its size does not fit the colour type).
        var grayKey: Int? = nil, rgbKey: (Int, Int, Int)? = nil
        if let transparency {
            switch header.colorType {
            case 0 where transparency.count == 2:
                grayKey = Int(transparency[0]) << 8 | Int(transparency[1])
            case 2 where transparency.count == 6:
                rgbKey = (Int(transparency[0]) << 8 | Int(transparency[1]), Int(transparency[2]) << 8 | Int(transparency[3]),
                          Int(transparency[4]) << 8 | Int(transparency[5]))
            case 3:
                for (index, alpha) in transparency.prefix(palette.count).enumerated() { palette[index].alpha = Float(alpha) / 255 }
            default: break
            }
        }
        if header.colorType == 3 && palette.isEmpty { throw malformed("palette image (colour type 3) has no PLTE chunk") }

        let passes = header.interlaced ? adam7Passes(header) : [Pass(x0: 0, y0: 0, dx: 1, dy: 1, width: header.width, height: header.height)]
        var expected = 0
        for pass in passes where pass.width > 0 && pass.height > 0 {
            let (size, overflow) = (1 + header.rowBytes(pass.width)).multipliedReportingOverflow(by: pass.height)
            guard !overflow else { throw ImageFileError.tooLarge(path: path, format: "PNG", width: header.width, height: header.height) }
            expected += size
        }
        let what = "\(header.width)×\(header.height) \(header.bitDepth)-bit \(colorTypeName(header.colorType))"
        var raw: [UInt8]
        do {
            raw = try Zlib.inflate(compressed, format: .zlib, limit: expected)
        } catch CompressionError.tooLarge {
            throw ImageFileError.corruptData(path: path, format: "PNG", detail: "decompresses to more than the \(expected) bytes a \(what) image needs")
        } catch CompressionError.truncated {
            throw truncated("image data (IDAT) ends before the end of its zlib stream")
        } catch let error as CompressionError {
            if case .corrupt(let why) = error { throw ImageFileError.corruptData(path: path, format: "PNG", detail: why) }
            throw ImageFileError.corruptData(path: path, format: "PNG", detail: error.description)
        }
        guard raw.count == expected else {
            throw ImageFileError.corruptData(path: path, format: "PNG",
                                             detail: "decompresses to \(raw.count) bytes, a \(what) image needs \(expected)")
        }

        let pixelCount = header.width * header.height
        var gray = [Float](repeating: 0, count: pixelCount)
        let hasAlpha = header.colorType == 4 || header.colorType == 6 || grayKey != nil || rgbKey != nil
            || (header.colorType == 3 && palette.contains { $0.alpha < 1 })
        var alpha = hasAlpha ? [Float](repeating: 1, count: pixelCount) : []
        var passStart = 0
        for (passIndex, pass) in passes.enumerated() where pass.width > 0 && pass.height > 0 {
            let rowBytes = header.rowBytes(pass.width)
            try raw.withUnsafeMutableBufferPointer { buffer in
                try unfilter(buffer, start: passStart, rows: pass.height, rowBytes: rowBytes, stride: header.filterStride,
                             pass: header.interlaced ? passIndex + 1 : nil, path: path)
            }
            try unpack(raw, start: passStart, pass: pass, header: header, rowBytes: rowBytes, palette: palette,
                       grayKey: grayKey, rgbKey: rgbKey, gray: &gray, alpha: &alpha, path: path)
            passStart += (1 + rowBytes) * pass.height
        }
        if hasAlpha { composite(&gray, alpha: alpha) }
        return GrayImage(width: header.width, height: header.height, pixels: gray)
    }

    // MARK: - Steps

    static func parseHeader(_ bytes: [UInt8], at start: Int, path: String?) throws -> Header {
        let width = Int(readUInt32(bytes, start)), height = Int(readUInt32(bytes, start + 4))
        let bitDepth = Int(bytes[start + 8]), colorType = Int(bytes[start + 9])
        let compression = bytes[start + 10], filter = bytes[start + 11], interlace = bytes[start + 12]
        try ImageFile.checkDimensions(width: width, height: height, format: .png, path: path)
        let allowed: [Int: [Int]] = [0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16]]
        guard let depths = allowed[colorType] else {
            throw ImageFileError.unsupported(path: path, format: "PNG",
                detail: "colour type \(colorType) does not exist (PNG defines 0, 2, 3, 4, 6); re-save the image as an 8-bit PNG")
        }
        guard depths.contains(bitDepth) else {
            throw ImageFileError.unsupported(path: path, format: "PNG",
                detail: "bit depth \(bitDepth) is not valid for colour type \(colorType) (\(colorTypeName(colorType)): "
                    + "allowed \(depths.map(String.init).joined(separator: ", "))); re-save the image as an 8-bit PNG")
        }
        guard compression == 0 else { throw ImageFileError.malformed(path: path, format: "PNG", detail: "IHDR compression method is \(compression), expected 0") }
        guard filter == 0 else { throw ImageFileError.malformed(path: path, format: "PNG", detail: "IHDR filter method is \(filter), expected 0") }
        guard interlace <= 1 else { throw ImageFileError.malformed(path: path, format: "PNG", detail: "IHDR interlace method is \(interlace), expected 0 or 1") }
        return Header(width: width, height: height, bitDepth: bitDepth, colorType: colorType, interlaced: interlace == 1)
    }

    /// The seven Adam7 passes with their sizes (a pass may be empty for small images).
    static func adam7Passes(_ header: Header) -> [Pass] {
        [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)].map { x0, y0, dx, dy in
            Pass(x0: x0, y0: y0, dx: dx, dy: dy,
                 width: header.width > x0 ? (header.width - x0 + dx - 1) / dx : 0,
                 height: header.height > y0 ? (header.height - y0 + dy - 1) / dy : 0)
        }
    }

    /// Undoes the row filters in place: each row is a filter-type byte then `rowBytes` bytes.
    /// `a` = byte `stride` to the left, `b` = byte above, `c` = above-left (0 outside the pass).
    /// None: x; Sub: x + a; Up: x + b; Average: x + ⌊(a + b) / 2⌋; Paeth: x + the one of a, b, c closest to a + b − c.
    static func unfilter(_ data: UnsafeMutableBufferPointer<UInt8>, start: Int, rows: Int, rowBytes: Int, stride: Int,
                         pass: Int?, path: String?) throws {
        for row in 0..<rows {
            let filterAt = start + row * (1 + rowBytes)
            let line = filterAt + 1, above = line - (1 + rowBytes)
            let hasAbove = row > 0
            switch data[filterAt] {
            case 0: break
            case 1:
                if rowBytes > stride { for i in stride..<rowBytes { data[line + i] &+= data[line + i - stride] } }
            case 2:
                if hasAbove { for i in 0..<rowBytes { data[line + i] &+= data[above + i] } }
            case 3:
                for i in 0..<rowBytes {
                    let a = i >= stride ? Int(data[line + i - stride]) : 0
                    let b = hasAbove ? Int(data[above + i]) : 0
                    data[line + i] &+= UInt8(truncatingIfNeeded: (a + b) >> 1)
                }
            case 4:
                for i in 0..<rowBytes {
                    let a = i >= stride ? Int(data[line + i - stride]) : 0
                    let b = hasAbove ? Int(data[above + i]) : 0
                    let c = hasAbove && i >= stride ? Int(data[above + i - stride]) : 0
                    let p = a + b - c
                    let pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                    let predictor = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
                    data[line + i] &+= UInt8(truncatingIfNeeded: predictor)
                }
            default:
                let place = pass.map { "row \(row) of interlace pass \($0)" } ?? "row \(row)"
                throw ImageFileError.malformed(path: path, format: "PNG",
                                               detail: "\(place) has filter type \(data[filterAt]), expected 0 to 4")
            }
        }
    }

    /// Reads one pass's unfiltered samples into luminance (and alpha), at their places in the image.
    static func unpack(_ raw: [UInt8], start: Int, pass: Pass, header: Header, rowBytes: Int,
                       palette: [(luminance: Float, alpha: Float)], grayKey: Int?, rgbKey: (Int, Int, Int)?,
                       gray: inout [Float], alpha: inout [Float], path: String?) throws {
        let depth = header.bitDepth
        let maximum = Float((1 << depth) - 1)
        let width = header.width
        for row in 0..<pass.height {
            let line = start + row * (1 + rowBytes) + 1
            let y = pass.y0 + row * pass.dy
            /// Sample `index` of this row (bit depths below 8 pack several per byte, high bits first).
            func sample(_ index: Int) -> Int {
                switch depth {
                case 16: return Int(raw[line + 2 * index]) << 8 | Int(raw[line + 2 * index + 1])
                case 8: return Int(raw[line + index])
                default:
                    let bit = index * depth
                    return Int(raw[line + (bit >> 3)] >> UInt8(8 - depth - (bit & 7))) & ((1 << depth) - 1)
                }
            }
            for column in 0..<pass.width {
                let target = y * width + pass.x0 + column * pass.dx
                switch header.colorType {
                case 0:
                    let value = sample(column)
                    gray[target] = Float(value) / maximum
                    if let grayKey, value == grayKey { alpha[target] = 0 }
                case 2:
                    let r = sample(3 * column), g = sample(3 * column + 1), b = sample(3 * column + 2)
                    gray[target] = luminance(Float(r), Float(g), Float(b)) / maximum
                    if let rgbKey, r == rgbKey.0, g == rgbKey.1, b == rgbKey.2 { alpha[target] = 0 }
                case 3:
                    let index = sample(column)
                    guard index < palette.count else {
                        throw ImageFileError.malformed(path: path, format: "PNG",
                            detail: "pixel (\(pass.x0 + column * pass.dx), \(y)) uses palette entry \(index), the PLTE has only \(palette.count)")
                    }
                    gray[target] = palette[index].luminance
                    if !alpha.isEmpty { alpha[target] = palette[index].alpha }
                case 4:
                    gray[target] = Float(sample(2 * column)) / maximum
                    alpha[target] = Float(sample(2 * column + 1)) / maximum
                default:  // 6
                    gray[target] = luminance(Float(sample(4 * column)), Float(sample(4 * column + 1)), Float(sample(4 * column + 2))) / maximum
                    alpha[target] = Float(sample(4 * column + 3)) / maximum
                }
            }
        }
    }

    /// `L = a·L + (1 − a)·B`, `B` contrasting with the visible pixels (see the type's documentation).
    static func composite(_ gray: inout [Float], alpha: [Float]) {
        var weight: Double = 0, weighted: Double = 0
        var transparent = false
        for index in gray.indices {
            weight += Double(alpha[index])
            weighted += Double(alpha[index] * gray[index])
            if alpha[index] < 1 { transparent = true }
        }
        guard transparent else { return }
        let background: Float = weight > 0 && weighted / weight >= 0.5 ? 0 : 1
        for index in gray.indices {
            gray[index] = alpha[index] * gray[index] + (1 - alpha[index]) * background
        }
    }
}

/// Rec. 601 luma: `0.299 R + 0.587 G + 0.114 B` (same scale as the inputs).
@inline(__always)
private func luminance(_ r: Float, _ g: Float, _ b: Float) -> Float { 0.299 * r + 0.587 * g + 0.114 * b }

/// The big-endian UInt32 at `offset` (the caller checked that 4 bytes are there).
@inline(__always)
private func readUInt32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
    UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
}

private func colorTypeName(_ colorType: Int) -> String {
    [0: "grayscale", 2: "RGB", 3: "palette", 4: "grayscale + alpha", 6: "RGBA"][colorType] ?? "unknown"
}

/// The CRC-32 lookup table for polynomial 0xEDB88320.
private let crcTable: [UInt32] = (0..<256).map { (index: UInt32) -> UInt32 in
    var crc = index
    for _ in 0..<8 { crc = crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
    return crc
}
