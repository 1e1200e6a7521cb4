// ImageFileTests.swift — PNG and PGM decoding: every colour type, filter and bit depth, interlacing,
// transparency, reference files written by Pillow, and one-line errors for every kind of damaged file.

import DigitImage
import DigitsFiles
import Foundation
import Testing

// MARK: - A tiny PNG encoder for the tests

/// Builds PNG files byte by byte, so each test can choose filters, chunks and damage.
enum TestPNG {
    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return bigEndian(UInt32(data.count)) + body + bigEndian(PNGDecoder.crc32(body))
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }

    static func header(width: UInt32, height: UInt32, bitDepth: UInt8, colorType: UInt8, interlace: UInt8 = 0) -> [UInt8] {
        chunk("IHDR", bigEndian(width) + bigEndian(height) + [bitDepth, colorType, 0, 0, interlace])
    }

    /// Filters `rows` (unfiltered scanlines) with `filters[row % filters.count]`, prefixing each filter byte.
    static func filter(_ rows: [[UInt8]], stride: Int, filters: [UInt8]) -> [UInt8] {
        var out = [UInt8]()
        for (index, row) in rows.enumerated() {
            let type = filters[index % filters.count]
            let previous = index > 0 ? rows[index - 1] : [UInt8](repeating: 0, count: row.count)
            out.append(type)
            for i in row.indices {
                let a = i >= stride ? Int(row[i - stride]) : 0, b = Int(previous[i])
                let c = i >= stride ? Int(previous[i - stride]) : 0
                let predictor: Int
                switch type {
                case 1: predictor = a
                case 2: predictor = b
                case 3: predictor = (a + b) / 2
                case 4:
                    let p = a + b - c
                    let pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                    predictor = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
                default: predictor = 0
                }
                out.append(UInt8(truncatingIfNeeded: Int(row[i]) - predictor))
            }
        }
        return out
    }

    /// A whole PNG. `rows` are unfiltered scanlines of whole bytes; `stride` is the filter's bytes per pixel.
    /// With `interlaced`, `rows` must hold `stride`-byte pixels (bit depth ≥ 8) and are split into Adam7 passes.
    static func make(width: Int, height: Int, bitDepth: UInt8, colorType: UInt8, rows: [[UInt8]], stride: Int,
                     filters: [UInt8] = [0], interlaced: Bool = false, extra: [[UInt8]] = [], end: Bool = true) -> [UInt8] {
        var filtered = [UInt8]()
        if interlaced {
            let passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
            for (x0, y0, dx, dy) in passes {
                var passRows = [[UInt8]]()
                for y in Swift.stride(from: y0, to: height, by: dy) {
                    var row = [UInt8]()
                    for x in Swift.stride(from: x0, to: width, by: dx) { row += rows[y][(x * stride)..<((x + 1) * stride)] }
                    if !row.isEmpty { passRows.append(row) }
                }
                filtered += filter(passRows, stride: stride, filters: filters)
            }
        } else {
            filtered = filter(rows, stride: stride, filters: filters)
        }
        let compressed = (try? Zlib.deflate(filtered, format: .zlib)) ?? []
        return PNGDecoder.signature + header(width: UInt32(width), height: UInt32(height), bitDepth: bitDepth, colorType: colorType,
                                             interlace: interlaced ? 1 : 0)
            + extra.joined() + chunk("IDAT", compressed) + (end ? chunk("IEND", []) : [])
    }

    /// A 1×1 8-bit gray PNG with custom IDAT payload (already compressed) and header fields.
    static func raw(width: UInt32 = 1, height: UInt32 = 1, bitDepth: UInt8 = 8, colorType: UInt8 = 0,
                    idat: [UInt8]? = nil) -> [UInt8] {
        let data = idat ?? ((try? Zlib.deflate([0, 128], format: .zlib)) ?? [])
        return PNGDecoder.signature + header(width: width, height: height, bitDepth: bitDepth, colorType: colorType)
            + chunk("IDAT", data) + chunk("IEND", [])
    }
}

/// Rec. 601 luminance of 8-bit RGB, in [0, 1].
private func luma(_ r: Int, _ g: Int, _ b: Int, maximum: Float = 255) -> Float {
    (0.299 * Float(r) + 0.587 * Float(g) + 0.114 * Float(b)) / maximum
}

private func close(_ a: [Float], _ b: [Float], tolerance: Float = 1e-5) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance }
}

/// `height` rows of `count` bytes; byte `i` of row `y` is `value(i, y) & 255`.
private func byteRows(_ count: Int, _ height: Int, _ value: (Int, Int) -> Int) -> [[UInt8]] {
    var rows: [[UInt8]] = []
    for y in 0..<height {
        var row: [UInt8] = []
        for i in 0..<count { row.append(UInt8(truncatingIfNeeded: value(i, y) & 255)) }
        rows.append(row)
    }
    return rows
}

/// `value(x, y)` for every pixel, row-major.
private func grid(_ width: Int, _ height: Int, _ value: (Int, Int) -> Float) -> [Float] {
    var values: [Float] = []
    for y in 0..<height { for x in 0..<width { values.append(value(x, y)) } }
    return values
}

/// The decoding error, or nil when decoding succeeded.
private func decodeError(_ bytes: [UInt8]) -> ImageFileError? {
    do {
        _ = try ImageFile.decode(bytes)
        return nil
    } catch let error as ImageFileError {
        return error
    } catch {
        Issue.record("unexpected error type: \(error)")
        return nil
    }
}

// MARK: - PNG

@Suite struct ImageFilePNGTests {
    /// A 9×5 gray test pattern, rows of bytes.
    static let grayRows: [[UInt8]] = byteRows(9, 5) { x, y in x * 29 + y * 53 + x * y * 7 }

    @Test(arguments: [UInt8(0), 1, 2, 3, 4])
    func grayEveryFilter(filter: UInt8) throws {
        let png = TestPNG.make(width: 9, height: 5, bitDepth: 8, colorType: 0, rows: Self.grayRows, stride: 1, filters: [filter])
        let image = try ImageFile.decode(png)
        #expect(image.width == 9 && image.height == 5)
        #expect(image.pixels == Self.grayRows.joined().map { Float($0) / 255 })
    }

    @Test func mixedFiltersRGB() throws {
        let rows = byteRows(21, 6) { i, y in i * 37 + y * 91 + i * i }
        let png = TestPNG.make(width: 7, height: 6, bitDepth: 8, colorType: 2, rows: rows, stride: 3, filters: [4, 3, 2, 1, 0, 4])
        let image = try ImageFile.decode(png)
        let expected = grid(7, 6) { x, y in luma(Int(rows[y][3 * x]), Int(rows[y][3 * x + 1]), Int(rows[y][3 * x + 2])) }
        #expect(close(image.pixels, expected))
    }

    @Test(arguments: [UInt8(0), 1, 2, 3, 4])
    func rgbaOpaqueEveryFilter(filter: UInt8) throws {
        let rows = byteRows(20, 4) { i, y in [i / 4 * 50, y * 60, 255 - i / 4 * 40, 255][i % 4] }
        let png = TestPNG.make(width: 5, height: 4, bitDepth: 8, colorType: 6, rows: rows, stride: 4, filters: [filter])
        let image = try ImageFile.decode(png)
        let expected = grid(5, 4) { x, y in luma(x * 50, y * 60, 255 - x * 40) }
        #expect(close(image.pixels, expected))
    }

    @Test func darkStrokesOnTransparentBecomeDarkOnWhite() throws {
        // Gray + alpha: a black stroke (opaque) on a fully transparent background whose hidden colour is black.
        let rows = byteRows(8, 4) { i, _ in i == 3 ? 255 : 0 }
        let image = try ImageFile.decode(TestPNG.make(width: 4, height: 4, bitDepth: 8, colorType: 4, rows: rows, stride: 2))
        #expect(image.pixels == grid(4, 4) { x, _ in x == 1 ? 0 : 1 })
    }

    @Test func lightStrokesOnTransparentBecomeLightOnBlack() throws {
        // RGBA: a white stroke, half of it 50 % transparent, on a transparent white background.
        let rows = byteRows(12, 2) { i, y in i % 4 < 3 ? 255 : (i / 4 < 2 ? 0 : (y == 0 ? 255 : 128)) }
        let image = try ImageFile.decode(TestPNG.make(width: 3, height: 2, bitDepth: 8, colorType: 6, rows: rows, stride: 4))
        #expect(close(image.pixels, [0, 0, 1, 0, 0, 128.0 / 255]))
    }

    @Test func sixteenBitGrayAndRGB() throws {
        let grayRows: [[UInt8]] = [[0x00, 0x00, 0xFF, 0xFF, 0x80, 0x00], [0x12, 0x34, 0x00, 0x01, 0xFF, 0xFE]]
        let gray = try ImageFile.decode(TestPNG.make(width: 3, height: 2, bitDepth: 16, colorType: 0, rows: grayRows, stride: 2, filters: [4, 1]))
        let expectedGray: [Float] = [0, 1, 32768.0 / 65535, 4660.0 / 65535, 1.0 / 65535, 65534.0 / 65535]
        #expect(close(gray.pixels, expectedGray))
        let rgbRows: [[UInt8]] = [[0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00]]
        let rgb = try ImageFile.decode(TestPNG.make(width: 2, height: 1, bitDepth: 16, colorType: 2, rows: rgbRows, stride: 6, filters: [3]))
        let expectedRGB: [Float] = [0.299, 0.587 * 32768 / 65535]
        #expect(close(rgb.pixels, expectedRGB))
    }

    @Test(arguments: [UInt8(1), 2, 4])
    func lowBitDepthGray(depth: UInt8) throws {
        // 11 pixels per row, so the last byte is partly padding.
        let maximum = (1 << Int(depth)) - 1
        let values: [[Int]] = byteRows(11, 3) { x, y in (x + 2 * y) % (maximum + 1) }.map { $0.map { Int($0) } }
        let rows = values.map { row -> [UInt8] in
            var bytes = [UInt8](repeating: 0, count: (11 * Int(depth) + 7) / 8)
            for (x, value) in row.enumerated() {
                let bit = x * Int(depth)
                bytes[bit / 8] |= UInt8(value << (8 - Int(depth) - bit % 8))
            }
            return bytes
        }
        let image = try ImageFile.decode(TestPNG.make(width: 11, height: 3, bitDepth: depth, colorType: 0, rows: rows, stride: 1, filters: [2, 4]))
        #expect(image.pixels == grid(11, 3) { x, y in Float(values[y][x]) / Float(maximum) })
    }

    @Test func paletteWithTransparency() throws {
        // 4-bit palette: entry 0 transparent, entry 1 black, entry 2 red.
        let plte = TestPNG.chunk("PLTE", [255, 255, 255, 0, 0, 0, 255, 0, 0])
        let trns = TestPNG.chunk("tRNS", [0])
        let rows: [[UInt8]] = [[0x01, 0x20], [0x00, 0x10]]  // pixels: 0 1 2 | 0 0 1
        let image = try ImageFile.decode(TestPNG.make(width: 3, height: 2, bitDepth: 4, colorType: 3, rows: rows, stride: 1, extra: [plte, trns]))
        // Visible pixels are dark (mean < 0.5), so transparent ones become white.
        #expect(close(image.pixels, [1, 0, 0.299, 1, 1, 0]))
    }

    @Test func paletteIndexOutOfRange() {
        let plte = TestPNG.chunk("PLTE", [0, 0, 0, 255, 255, 255])
        let png = TestPNG.make(width: 2, height: 1, bitDepth: 8, colorType: 3, rows: [[1, 7]], stride: 1, extra: [plte])
        guard case .malformed(_, _, let detail) = decodeError(png) else { Issue.record("expected malformed"); return }
        #expect(detail.contains("palette entry 7"))
    }

    @Test func grayColourKeyIsTransparent() throws {
        let trns = TestPNG.chunk("tRNS", [0, 200])
        let image = try ImageFile.decode(TestPNG.make(width: 3, height: 1, bitDepth: 8, colorType: 0, rows: [[200, 0, 30]], stride: 1, extra: [trns]))
        #expect(close(image.pixels, [1, 0, 30.0 / 255]))
    }

    @Test(arguments: [(13, 11), (1, 1), (3, 2), (8, 8), (9, 1), (1, 9)])
    func adam7MatchesNonInterlaced(width: Int, height: Int) throws {
        let rows = byteRows(width, height) { x, y in x * 17 + y * 71 + x * y }
        let plain = try ImageFile.decode(TestPNG.make(width: width, height: height, bitDepth: 8, colorType: 0, rows: rows, stride: 1))
        let interlaced = try ImageFile.decode(TestPNG.make(width: width, height: height, bitDepth: 8, colorType: 0, rows: rows, stride: 1,
                                                           filters: [1, 4, 3, 2, 0], interlaced: true))
        #expect(interlaced == plain)
        #expect(plain.pixels == grid(width, height) { x, y in Float(rows[y][x]) / 255 })
    }

    @Test func adam7RGBA() throws {
        let rows = byteRows(40, 6) { i, y in [i / 4 * 25, y * 40, i / 4 * y, 255][i % 4] }
        let image = try ImageFile.decode(TestPNG.make(width: 10, height: 6, bitDepth: 8, colorType: 6, rows: rows, stride: 4, filters: [4, 1], interlaced: true))
        #expect(close(image.pixels, grid(10, 6) { x, y in luma(x * 25, y * 40, x * y) }))
    }

    // Reference files written by Pillow 13 (adaptive filters: Sub and Paeth), 11×7 pixels, with
    // R = (23x + 7y) % 256, G = (x² + 31y) % 256, B = (255 − 13x − 5y) % 256, A = (40x + 9y) % 256.
    static func channel(_ x: Int, _ y: Int) -> (Int, Int, Int, Int) {
        ((x * 23 + y * 7) % 256, (x * x + y * 31) % 256, ((255 - x * 13 - y * 5) % 256 + 256) % 256, (x * 40 + y * 9) % 256)
    }

    @Test func pillowRGBAndGray() throws {
        let rgb = try ImageFile.decode(PillowFixtures.rgb)
        let expected = grid(11, 7) { x, y in let c = Self.channel(x, y); return luma(c.0, c.1, c.2) }
        #expect(rgb.width == 11 && rgb.height == 7)
        #expect(close(rgb.pixels, expected))
        // Pillow's own "L" conversion rounds the same weights to whole levels.
        let gray = try ImageFile.decode(PillowFixtures.gray)
        #expect(close(gray.pixels, expected, tolerance: 1.0 / 255))
    }

    @Test func pillowRGBA() throws {
        let image = try ImageFile.decode(PillowFixtures.rgba)
        var weight: Float = 0, weighted: Float = 0
        for y in 0..<7 { for x in 0..<11 { let c = Self.channel(x, y); weight += Float(c.3) / 255; weighted += Float(c.3) / 255 * luma(c.0, c.1, c.2) } }
        let background: Float = weighted / weight >= 0.5 ? 0 : 1
        let expected = grid(11, 7) { x, y in
            let c = Self.channel(x, y), a = Float(c.3) / 255
            return a * luma(c.0, c.1, c.2) + (1 - a) * background
        }
        #expect(close(image.pixels, expected, tolerance: 1e-4))
    }

    @Test func pillowGray16() throws {
        let image = try ImageFile.decode(PillowFixtures.gray16)
        #expect(close(image.pixels, grid(11, 7) { x, y in Float(x * 5000 + y * 300) / 65535 }))
    }

    @Test func crcOfKnownBytes() {
        #expect(PNGDecoder.crc32(Array("IEND".utf8)) == 0xAE42_6082)
        #expect(PNGDecoder.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(PNGDecoder.crc32([]) == 0)
    }
}

// MARK: - PNG errors

@Suite struct ImageFilePNGErrorTests {
    static let valid = TestPNG.make(width: 9, height: 5, bitDepth: 8, colorType: 0, rows: ImageFilePNGTests.grayRows, stride: 1, filters: [4])

    @Test func badCRC() {
        var png = Self.valid
        png[png.count - 20] ^= 0x01  // inside the IDAT data
        guard case .badChecksum(_, let chunk, _, _) = decodeError(png) else { Issue.record("expected badChecksum"); return }
        #expect(chunk == "IDAT")
    }

    @Test func everyTruncationIsAnError() {
        for length in 0..<Self.valid.count {
            let error = decodeError(Array(Self.valid.prefix(length)))
            #expect(error != nil, "prefix of \(length) bytes decoded")
            if length >= 8, let error {
                guard case .truncated = error else { Issue.record("prefix \(length): \(error)"); continue }
            }
        }
    }

    @Test func missingIEND() {
        let png = TestPNG.make(width: 9, height: 5, bitDepth: 8, colorType: 0, rows: ImageFilePNGTests.grayRows, stride: 1, end: false)
        guard case .truncated(_, _, let detail) = decodeError(png) else { Issue.record("expected truncated"); return }
        #expect(detail.contains("IEND"))
    }

    @Test func bitDepthThreeIsInvalid() {
        let error = decodeError(TestPNG.raw(bitDepth: 3))
        guard case .unsupported(_, _, let detail) = error else { Issue.record("expected unsupported, got \(String(describing: error))"); return }
        #expect(detail.contains("bit depth 3"))
        #expect(error?.description.contains("re-save the image as an 8-bit PNG") == true)
        guard case .unsupported = decodeError(TestPNG.raw(bitDepth: 8, colorType: 5)) else { Issue.record("colour type 5"); return }
        guard case .unsupported = decodeError(TestPNG.raw(bitDepth: 16, colorType: 3)) else { Issue.record("16-bit palette"); return }
    }

    @Test func zeroDimensions() {
        #expect(decodeError(TestPNG.raw(width: 0, height: 0)) == .zeroSize(path: nil, format: "PNG", width: 0, height: 0))
        #expect(decodeError(TestPNG.raw(width: 5, height: 0)) == .zeroSize(path: nil, format: "PNG", width: 5, height: 0))
    }

    @Test func hugeDimensionsFailBeforeAllocating() {
        #expect(decodeError(TestPNG.raw(width: 100_000, height: 100_000)) == .tooLarge(path: nil, format: "PNG", width: 100_000, height: 100_000))
        #expect(decodeError(TestPNG.raw(width: 0xFFFF_FFFF, height: 0xFFFF_FFFF)) != nil)
        // Each side within the cap, the product above it.
        #expect(decodeError(TestPNG.raw(width: 16_000, height: 16_000)) == .tooLarge(path: nil, format: "PNG", width: 16_000, height: 16_000))
        let message = ImageFileError.tooLarge(path: nil, format: "PNG", width: 100_000, height: 100_000).description
        #expect(message.contains("100000×100000") && message.contains("16384"))
    }

    @Test func missingIDAT() {
        let png = PNGDecoder.signature + TestPNG.header(width: 1, height: 1, bitDepth: 8, colorType: 0) + TestPNG.chunk("IEND", [])
        guard case .malformed(_, _, let detail) = decodeError(png) else { Issue.record("expected malformed"); return }
        #expect(detail.contains("IDAT"))
    }

    @Test func headerMustComeFirst() {
        let png = PNGDecoder.signature + TestPNG.chunk("tEXt", Array("a\0b".utf8)) + Array(TestPNG.raw().dropFirst(8))
        guard case .malformed(_, _, let detail) = decodeError(png) else { Issue.record("expected malformed"); return }
        #expect(detail.contains("IHDR"))
    }

    @Test func headerOfWrongLength() {
        let png = PNGDecoder.signature + TestPNG.chunk("IHDR", [0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0]) + TestPNG.chunk("IEND", [])
        guard case .malformed = decodeError(png) else { Issue.record("expected malformed"); return }
    }

    @Test func badFilterType() {
        let idat = (try? Zlib.deflate([5, 128], format: .zlib)) ?? []
        guard case .malformed(_, _, let detail) = decodeError(TestPNG.raw(idat: idat)) else { Issue.record("expected malformed"); return }
        #expect(detail.contains("filter type 5"))
    }

    @Test func wrongDecompressedSize() {
        let short = (try? Zlib.deflate([0], format: .zlib)) ?? []
        guard case .corruptData = decodeError(TestPNG.raw(idat: short)) else { Issue.record("expected corruptData (short)"); return }
        let long = (try? Zlib.deflate([0, 1, 2, 3], format: .zlib)) ?? []
        guard case .corruptData = decodeError(TestPNG.raw(idat: long)) else { Issue.record("expected corruptData (long)"); return }
        guard case .corruptData = decodeError(TestPNG.raw(idat: [0x78, 0x9C, 0xFF, 0xFF, 0xFF])) else { Issue.record("expected corruptData (garbage)"); return }
    }

    @Test func unknownCriticalChunk() {
        let png = PNGDecoder.signature + TestPNG.header(width: 1, height: 1, bitDepth: 8, colorType: 0) + TestPNG.chunk("ABCD", [1])
            + Array(TestPNG.raw().dropFirst(33))
        guard case .unsupported(_, _, let detail) = decodeError(png) else { Issue.record("expected unsupported"); return }
        #expect(detail.contains("ABCD"))
        // An unknown ancillary chunk is skipped.
        let ancillary = PNGDecoder.signature + TestPNG.header(width: 1, height: 1, bitDepth: 8, colorType: 0) + TestPNG.chunk("abcD", [1])
            + Array(TestPNG.raw().dropFirst(33))
        #expect(decodeError(ancillary) == nil)
    }

    @Test func paletteImageWithoutPLTE() {
        guard case .malformed = decodeError(TestPNG.raw(colorType: 3)) else { Issue.record("expected malformed"); return }
    }

    @Test func chunkLengthBeyondFile() {
        var png = TestPNG.raw()
        png[33 + 2] = 0x7F  // IDAT length → ~8 MB
        guard case .truncated = decodeError(png) else { Issue.record("expected truncated"); return }
        png[33] = 0xFF  // above 2^31 − 1
        #expect(decodeError(png) != nil)
    }

    /// Seeded random damage, with CRCs repaired so the damage reaches the parsers behind them: never a trap.
    @Test func randomDamageNeverTraps() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33)
        }
        let seeds = [Self.valid, PillowFixtures.rgba, PillowFixtures.gray16,
                     TestPNG.make(width: 13, height: 11, bitDepth: 8, colorType: 0,
                                  rows: byteRows(13, 11) { x, y in x * y }, stride: 1, filters: [4, 1], interlaced: true)]
        var decoded = 0
        for seed in seeds {
            for _ in 0..<400 {
                var png = seed
                for _ in 0..<(1 + next() % 3) { png[8 + next() % (png.count - 8)] = UInt8(next() % 256) }
                // Repair every chunk's CRC.
                var offset = 8
                while offset + 12 <= png.count {
                    let length = Int(png[offset]) << 24 | Int(png[offset + 1]) << 16 | Int(png[offset + 2]) << 8 | Int(png[offset + 3])
                    guard length <= png.count - offset - 12 else { break }
                    let crc = TestPNG.bigEndian(PNGDecoder.crc32(Array(png[(offset + 4)..<(offset + 8 + length)])))
                    png.replaceSubrange((offset + 8 + length)..<(offset + 12 + length), with: crc)
                    offset += 12 + length
                }
                if decodeError(png) == nil { decoded += 1 }
            }
        }
        #expect(decoded < 1600)
    }

    @Test func messagesAreOneLine() {
        let errors: [ImageFileError] = [
            .unknownFormat(path: "a.jpg", found: [0xFF, 0xD8, 0xFF, 0xE0]), .truncated(path: nil, format: "PNG", detail: "x"),
            .badChecksum(path: "b.png", chunk: "IDAT", stored: 1, computed: 2), .malformed(path: nil, format: "PGM", detail: "y"),
            .unsupported(path: nil, format: "PNG", detail: "z"), .zeroSize(path: nil, format: "PNG", width: 0, height: 3),
            .tooLarge(path: nil, format: "PGM", width: 1, height: 99_999_999), .corruptData(path: nil, format: "PNG", detail: "w"),
        ]
        for error in errors { #expect(!error.description.contains("\n") && error.description.count > 10) }
        #expect(errors[0].description.contains("JPEG"))
        #expect(errors[2].description.contains("0x00000001") && errors[2].description.contains("0x00000002"))
    }
}

// MARK: - PGM and sniffing

@Suite struct ImageFilePGMTests {
    @Test func binary8Bit() throws {
        let image = try ImageFile.decode(Array("P5\n# a comment\n3 2\n255\n".utf8) + [0, 128, 255, 1, 2, 3])
        #expect(image.width == 3 && image.height == 2)
        #expect(image.pixels == [0, 128, 255, 1, 2, 3].map { Float($0) / 255 })
    }

    @Test func binary16Bit() throws {
        let image = try ImageFile.decode(Array("P5 2 1 1000\n".utf8) + [0x01, 0xF4, 0x03, 0xE8])
        #expect(image.pixels == [0.5, 1])
    }

    @Test func asciiWithComments() throws {
        let image = try ImageFile.decode(Array("P2\n#size\n2 2 #inline\n15\n0 15\n#row\n5 10\n".utf8))
        #expect(image.pixels == [0, 1, 5.0 / 15, 10.0 / 15])
    }

    @Test func truncatedPayload() {
        guard case .truncated(_, _, let detail) = decodeError(Array("P5 4 4 255\n".utf8) + [1, 2, 3]) else { Issue.record("P5"); return }
        #expect(detail.contains("16") && detail.contains("3"))
        guard case .truncated = decodeError(Array("P2 3 1 255\n1 2".utf8)) else { Issue.record("P2"); return }
        guard case .truncated = decodeError(Array("P5 4 4".utf8)) else { Issue.record("header"); return }
        guard case .truncated = decodeError(Array("P5 1 1 255".utf8)) else { Issue.record("no separator"); return }
    }

    @Test func invalidHeaders() {
        #expect(decodeError(Array("P5 0 4 255\n".utf8)) == .zeroSize(path: nil, format: "PGM", width: 0, height: 4))
        #expect(decodeError(Array("P5 100000 100000 255\n".utf8)) == .tooLarge(path: nil, format: "PGM", width: 100_000, height: 100_000))
        #expect(decodeError(Array("P5 99999999999999999999999 1 255\n".utf8)) != nil)
        guard case .malformed = decodeError(Array("P5 2 2 0\n\0\0\0\0".utf8)) else { Issue.record("maxval 0"); return }
        guard case .malformed = decodeError(Array("P5 2 2 70000\n".utf8)) else { Issue.record("maxval 70000"); return }
        guard case .malformed = decodeError(Array("P2 2 x 255\n".utf8)) else { Issue.record("letter"); return }
        guard case .malformed = decodeError(Array("P2 1 1 9\n10\n".utf8)) else { Issue.record("above maxval"); return }
        guard case .malformed = decodeError(Array("P5 1 1 9\n".utf8) + [10]) else { Issue.record("above maxval P5"); return }
    }

    @Test func everyTruncationIsAnError() {
        let file = Array("P2\n# c\n3 2\n255\n0 128 255\n1 2 3\n".utf8)
        for length in 0..<(file.count - 1) { #expect(decodeError(Array(file.prefix(length))) != nil, "prefix \(length)") }
    }

    @Test func sniffing() {
        #expect(ImageFile.format(of: PNGDecoder.signature + [0]) == .png)
        #expect(ImageFile.format(of: Array("P5 1 1 255\n\0".utf8)) == .pgm)
        #expect(ImageFile.format(of: Array("P6 1 1 255\n\0\0\0".utf8)) == nil)
        #expect(decodeError([0xFF, 0xD8, 0xFF, 0xE0, 0, 16]) == .unknownFormat(path: nil, found: [0xFF, 0xD8, 0xFF, 0xE0, 0, 16]))
        #expect(decodeError([]) == .unknownFormat(path: nil, found: []))
        guard case .truncated = decodeError(Array(PNGDecoder.signature.prefix(5))) else { Issue.record("cut signature"); return }
    }

    @Test func loadFromDisk() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("digits-image-\(UInt32.random(in: 0...UInt32.max)).pgm").path
        try AtomicFile.write(Array("P5 2 1 255\n".utf8) + [0, 255], to: path)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try ImageFile.load(path: path).pixels == [0, 1])
        #expect(throws: FileError.notFound(path: path + ".missing")) { try ImageFile.load(path: path + ".missing") }
        let damaged = path + ".png"
        try AtomicFile.write(Array(PNGDecoder.signature) + [0, 0], to: damaged)
        defer { try? FileManager.default.removeItem(atPath: damaged) }
        do {
            _ = try ImageFile.load(path: damaged)
            Issue.record("expected an error")
        } catch let error as ImageFileError {
            #expect(error.description.hasPrefix(damaged))
        }
    }
}

/// PNG files written by Pillow 13.0 (`Image.save`), tiny enough to embed. See `ImageFilePNGTests.channel`.
enum PillowFixtures {
    static let rgba: [UInt8] = [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x0B, 0x00, 0x00, 0x00, 0x07,
        0x08, 0x06, 0x00, 0x00, 0x00, 0xDE, 0x6E, 0xB7, 0x5D, 0x00, 0x00, 0x00, 0x56, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0xBD, 0xCC, 0x31, 0x0A, 0x84,
        0x40, 0x00, 0x03, 0xC0, 0x5D, 0x54, 0x42, 0x10, 0x11, 0xB1, 0x48, 0x79, 0x6D, 0xFE, 0xFF, 0xB5, 0x94, 0x29, 0xEE, 0x9E, 0x20, 0x36, 0xD7, 0x0F,
        0x33, 0xC7, 0xF8, 0x0E, 0xCD, 0x58, 0x4B, 0xAC, 0x2D, 0x16, 0x62, 0x31, 0xD6, 0x1E, 0xEB, 0x88, 0x75, 0xC6, 0xBA, 0x62, 0xDD, 0xF1, 0x8A, 0x4F,
        0x89, 0x59, 0x62, 0x29, 0xB1, 0x95, 0x40, 0x09, 0x96, 0xD8, 0x4B, 0x1C, 0x25, 0xCE, 0x12, 0x57, 0x89, 0xBB, 0x7C, 0xC2, 0x7E, 0x83, 0x5F, 0xCD,
        0x7F, 0xC2, 0x3F, 0x22, 0x58, 0x55, 0x78, 0x3F, 0xEA, 0x82, 0x86, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ]
    static let rgb: [UInt8] = [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x0B, 0x00, 0x00, 0x00, 0x07,
        0x08, 0x02, 0x00, 0x00, 0x00, 0x51, 0x0C, 0x20, 0x0A, 0x00, 0x00, 0x00, 0x42, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0xD5, 0xCA, 0x31, 0x0A, 0xC0,
        0x20, 0x00, 0x04, 0xC1, 0x88, 0x91, 0x45, 0x44, 0x44, 0x2C, 0xAE, 0xCC, 0xFF, 0xDF, 0x77, 0xE5, 0x15, 0xC9, 0x3B, 0x32, 0xF5, 0x94, 0xEB, 0x7A,
        0x55, 0xAC, 0x6A, 0x35, 0x0B, 0xAB, 0x5B, 0xC3, 0x9A, 0xD6, 0xB2, 0xB6, 0x75, 0x7C, 0xF3, 0x84, 0x12, 0x6A, 0x68, 0x81, 0xD0, 0xC3, 0x08, 0x33,
        0xAC, 0xB0, 0xC3, 0xC9, 0x7F, 0xC6, 0x07, 0xA3, 0xDD, 0x51, 0x77, 0x30, 0x5B, 0x2B, 0x71, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
        0x42, 0x60, 0x82,
    ]
    static let gray: [UInt8] = [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x0B, 0x00, 0x00, 0x00, 0x07,
        0x08, 0x00, 0x00, 0x00, 0x00, 0xFB, 0x05, 0xE8, 0x81, 0x00, 0x00, 0x00, 0x41, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x5D, 0xCA, 0xB9, 0x0D, 0xC0,
        0x20, 0x0C, 0x00, 0x40, 0x45, 0x72, 0x8C, 0x8D, 0xDF, 0x08, 0xB7, 0x0C, 0x9A, 0xFD, 0x18, 0x2C, 0x0D, 0xA2, 0xC8, 0xD5, 0x77, 0x4D, 0x6C, 0xCC,
        0xA2, 0xE6, 0xF1, 0x40, 0x61, 0xA3, 0xDE, 0xD5, 0x22, 0x12, 0xEA, 0x26, 0x62, 0x51, 0xF3, 0x4C, 0x18, 0xFF, 0x23, 0x62, 0x11, 0xEB, 0x7C, 0xCF,
        0x82, 0x81, 0xFB, 0xBF, 0xEB, 0x03, 0xB1, 0x3D, 0x05, 0x95, 0x06, 0xBA, 0x32, 0x46, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42,
        0x60, 0x82,
    ]
    static let gray16: [UInt8] = [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x0B, 0x00, 0x00, 0x00, 0x07,
        0x10, 0x00, 0x00, 0x00, 0x00, 0xAB, 0x95, 0x34, 0xC2, 0x00, 0x00, 0x00, 0x2A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x64, 0x60, 0x10, 0xEE,
        0x10, 0xE9, 0x40, 0xC7, 0x4C, 0x8C, 0x3A, 0xD8, 0x20, 0x92, 0x30, 0x13, 0x32, 0x46, 0x30, 0x71, 0xA8, 0x46, 0xD6, 0xC7, 0x84, 0xCA, 0x85, 0xE9,
        0x63, 0x62, 0xD2, 0xC1, 0x66, 0x0C, 0x00, 0xA6, 0x91, 0x11, 0xC6, 0x19, 0xB3, 0x02, 0xFE, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
        0x42, 0x60, 0x82,
    ]
}
