// FuzzRegressionTests.swift — corpus replay for the parser fuzzers in fuzz/ (run them with scripts/fuzz.sh).
//
// Hostile inputs of the kinds a fuzzer (or an attacker) produces: length fields of 2^64 − 1, dimensions whose
// product overflows, zlib bombs, a million columns on one line. Each must end in a clear, one-line error —
// never a trap, a hang or a huge allocation. Inputs found by the fuzzers get added here as byte arrays.

import DigitImage
import DigitsFiles
import Testing

// MARK: - Helpers (prefixed to stay clear of the other test files' helpers)

/// Little-endian UInt64 length prefix + header bytes + data: a safetensors file.
private func fuzzSafeTensors(_ header: String, data: [UInt8] = []) -> [UInt8] {
    let json = Array(header.utf8)
    return (0..<8).map { UInt8(truncatingIfNeeded: UInt64(json.count) >> UInt64(8 * $0)) } + json + data
}

private func fuzzBigEndian(_ value: UInt32) -> [UInt8] {
    [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
}

/// A PNG chunk with a correct CRC.
private func fuzzChunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
    let body = Array(type.utf8) + data
    return fuzzBigEndian(UInt32(data.count)) + body + fuzzBigEndian(PNGDecoder.crc32(body))
}

private func fuzzIHDR(width: UInt32, height: UInt32, depth: UInt8 = 8, colour: UInt8 = 0, interlace: UInt8 = 0) -> [UInt8] {
    fuzzChunk("IHDR", fuzzBigEndian(width) + fuzzBigEndian(height) + [depth, colour, 0, 0, interlace])
}

/// Signature + chunks.
private func fuzzPNG(_ chunks: [UInt8]...) -> [UInt8] { PNGDecoder.signature + chunks.flatMap { $0 } }

/// The error's message is a single non-empty line (what the command-line tool prints).
private func isOneLine(_ error: some CustomStringConvertible) -> Bool {
    !error.description.isEmpty && !error.description.contains("\n")
}

@Suite("FuzzRegression")
struct FuzzRegressionTests {
    // MARK: safetensors

    @Test func safeTensorsHeaderLengthOf2To64Minus1() {
        let bytes: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7B, 0x7D]  // length 2^64-1, then "{}"
        #expect(throws: SafeTensorsError.headerTooLarge(path: nil, headerLength: .max, limit: SafeTensors.maximumHeaderLength)) {
            try SafeTensors.decode(bytes)
        }
    }

    @Test func safeTensorsHeaderLengthWithSignBitSet() {
        // 2^63: converting to Int without the cap check would trap.
        let bytes: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0x80, 0x7B, 0x7D]
        #expect(throws: SafeTensorsError.headerTooLarge(path: nil, headerLength: 1 << 63, limit: SafeTensors.maximumHeaderLength)) {
            try SafeTensors.decode(bytes)
        }
    }

    @Test func safeTensorsHeaderLengthAtTheCapPastTheEnd() {
        let bytes: [UInt8] = [0x00, 0xE1, 0xF5, 0x05, 0, 0, 0, 0, 0x7B, 0x7D]  // 100_000_000, then "{}"
        #expect(throws: SafeTensorsError.headerPastEnd(path: nil, headerLength: 100_000_000, fileSize: 10)) {
            try SafeTensors.decode(bytes)
        }
    }

    @Test func safeTensorsShapeProductOverflows() {
        let shapes = ["[4294967296,4294967296]", "[4611686018427387904]", "[9223372036854775807,2]", "[3037000500,3037000500]"]
        for shape in shapes {
            let bytes = fuzzSafeTensors(#"{"t":{"dtype":"F32","shape":\#(shape),"data_offsets":[0,0]}}"#)
            let error = #expect(throws: SafeTensorsError.self) { try SafeTensors.decode(bytes) }
            guard case .shapeOverflow = error else { Issue.record("shape \(shape): \(String(describing: error))"); continue }
        }
    }

    @Test func safeTensorsOffsetsNearIntMaxDoNotOverflow() {
        // Offsets that fit in Int but not in the file, and offsets that do not fit in Int at all.
        let cases = [
            #"{"t":{"dtype":"F32","shape":[0],"data_offsets":[9223372036854775807,9223372036854775807]}}"#,
            #"{"t":{"dtype":"F32","shape":[1],"data_offsets":[9223372036854775803,9223372036854775807]}}"#,
            #"{"t":{"dtype":"F32","shape":[1],"data_offsets":[0,18446744073709551615]}}"#,
            #"{"t":{"dtype":"F32","shape":[1],"data_offsets":[-4,0]}}"#,
            #"{"t":{"dtype":"F32","shape":[1],"data_offsets":[0,1e400]}}"#,
            #"{"t":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#,
            #"{"t":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}"#,
            #"{"t":{"dtype":"F32","shape":[true],"data_offsets":[0,4]}}"#,
        ]
        for header in cases {
            let error = #expect(throws: SafeTensorsError.self) { try SafeTensors.decode(fuzzSafeTensors(header, data: [0, 0, 0, 0])) }
            if let error { #expect(isOneLine(error)) }
        }
    }

    @Test func safeTensorsDeeplyNestedHeader() {
        // 100,000 nested arrays: a recursive JSON parser without a depth limit would overflow the stack.
        let depth = 100_000
        let closed = fuzzSafeTensors("{\"a\":" + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}")
        let open = fuzzSafeTensors("{\"a\":" + String(repeating: "[", count: depth))
        #expect(throws: SafeTensorsError.self) { try SafeTensors.decode(closed) }
        #expect(throws: SafeTensorsError.self) { try SafeTensors.decode(open) }
    }

    @Test func safeTensorsHeaderNotUTF8() {
        let bytes: [UInt8] = [4, 0, 0, 0, 0, 0, 0, 0, 0x7B, 0xC3, 0x28, 0x7D]
        #expect(throws: SafeTensorsError.headerNotUTF8(path: nil)) { try SafeTensors.decode(bytes) }
    }

    // MARK: IDX

    @Test func idxDimensionsOverflow() {
        let bytes: [UInt8] = [0, 0, 8, 3] + [UInt8](repeating: 0xFF, count: 12)
        let shape = [Int](repeating: 0xFFFF_FFFF, count: 3)
        #expect(throws: IDXError.dimensionsOverflow(path: nil, shape: shape)) { try IDXFile.read(bytes: bytes) }
    }

    @Test func idxRank255() {
        let full: [UInt8] = [0, 0, 8, 255] + [UInt8](repeating: 0xFF, count: 4 * 255)
        #expect(throws: IDXError.dimensionsOverflow(path: nil, shape: [Int](repeating: 0xFFFF_FFFF, count: 255))) {
            try IDXFile.read(bytes: full)
        }
        #expect(throws: IDXError.truncatedHeader(path: nil, expected: 1024, found: 4)) {
            try IDXFile.read(bytes: [0, 0, 8, 255])
        }
    }

    @Test func idxHugeShapeTinyPayload() {
        // 65536 × 65536 = 2^32 bytes claimed, 4 present: must not allocate before checking.
        let bytes: [UInt8] = [0, 0, 8, 2, 0, 1, 0, 0, 0, 1, 0, 0, 1, 2, 3, 4]
        #expect(throws: IDXError.truncatedPayload(path: nil, shape: [65536, 65536], expected: 1 << 32, found: 4)) {
            try IDXFile.read(bytes: bytes)
        }
    }

    @Test func idxDamagedGzip() throws {
        let gzip = try Zlib.deflate([0, 0, 8, 1, 0, 0, 0, 3, 7, 8, 9], format: .gzip)
        #expect(throws: IDXError.compression(path: nil, .truncated)) { try IDXFile.read(bytes: Array(gzip.prefix(gzip.count - 9))) }
        var corrupt = gzip
        corrupt[corrupt.count - 6] ^= 0xFF  // CRC-32 of the member
        #expect(throws: IDXError.self) { try IDXFile.read(bytes: corrupt) }
        // The gzip magic and nothing else.
        #expect(throws: IDXError.self) { try IDXFile.read(bytes: [0x1F, 0x8B]) }
    }

    @Test func idxGzipBombIsBounded() throws {
        // 8 MiB of zeros behind a header claiming 2^31 − 1 bytes, compressed about 1000:1.
        let bomb = try Zlib.deflate([0, 0, 8, 1, 0x7F, 0xFF, 0xFF, 0xFF] + [UInt8](repeating: 0, count: 8 << 20), format: .gzip, level: 9)
        let error = #expect(throws: IDXError.self) { try IDXFile.read(bytes: bomb) }
        guard case .truncatedPayload = error else { Issue.record("expected truncatedPayload, got \(String(describing: error))"); return }
    }

    // MARK: CSV

    @Test func csvMillionColumnsOnOneLine() {
        // A million empty fields in 1 MB (read as a header row: it does not start with a digit).
        let commas = [UInt8](repeating: UInt8(ascii: ","), count: 999_999)
        #expect(throws: CSVError.columnCount(path: nil, line: 1, expected: 785, found: 1_000_000)) { try CSVDataset.decode(commas) }
        #expect(throws: CSVError.columnCount(path: nil, line: 1, expected: 5, found: 1_000_000)) {
            try CSVDataset.decode(commas, height: 2, width: 2)
        }
        // A data row of a million zeros, at MNIST size and at 2×2.
        let zeros = Array((String(repeating: "0,", count: 999_999) + "0\n").utf8)
        #expect(throws: CSVError.columnCount(path: nil, line: 1, expected: 785, found: 1_000_000)) { try CSVDataset.decode(zeros) }
        #expect(throws: CSVError.columnCount(path: nil, line: 1, expected: 5, found: 1_000_000)) {
            try CSVDataset.decode(zeros, height: 2, width: 2)
        }
        // An empty field right after the label.
        let empty = Array("0".utf8) + commas
        #expect(throws: CSVError.notANumber(path: nil, line: 1, column: 2, text: "")) { try CSVDataset.decode(empty) }
    }

    @Test func csvHugeNumbersAndFields() {
        let label = Array(("99999999999999999999999999999" + ",0,0,0,0\n").utf8)
        #expect(throws: CSVError.labelOutOfRange(path: nil, line: 1, text: String(repeating: "9", count: 20) + "…")) {
            try CSVDataset.decode(label, height: 2, width: 2)
        }
        let pixel = Array("1,0,18446744073709551616,0,0\n".utf8)
        #expect(throws: CSVError.pixelOutOfRange(path: nil, line: 1, column: 3, text: "18446744073709551616")) {
            try CSVDataset.decode(pixel, height: 2, width: 2)
        }
        // A 1 MB field of letters: quoted in the message cut to 20 characters.
        let text = Array("1,".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: 1 << 20) + Array(",0,0,0\n".utf8)
        let error = #expect(throws: CSVError.self) { try CSVDataset.decode(text, height: 2, width: 2) }
        if let error { #expect(isOneLine(error) && error.description.count < 400) }
        #expect(throws: CSVError.pixelOutOfRange(path: nil, line: 1, column: 2, text: "-5")) {
            try CSVDataset.decode(Array("1,-5,0,0,0".utf8), height: 2, width: 2)
        }
    }

    @Test func csvEmptyShapes() {
        #expect(throws: CSVError.empty(path: nil)) { try CSVDataset.decode([0xEF, 0xBB, 0xBF]) }
        #expect(throws: CSVError.empty(path: nil)) { try CSVDataset.decode(Array(String(repeating: " \r\n\t\n", count: 10_000).utf8)) }
        #expect(throws: CSVError.noDataRows(path: nil)) { try CSVDataset.decode(Array("label,a,b,c,d\n".utf8), height: 2, width: 2) }
        #expect(throws: CSVError.self) { try CSVDataset.decode([0x1F, 0x8B, 0x08, 0x00]) }
    }

    @Test func csvGzipOfNewlines() throws {
        // 4 MiB of line feeds, compressed about 1000:1: inflates within the bound, then is empty.
        let gzip = try Zlib.deflate([UInt8](repeating: 0x0A, count: 4 << 20), format: .gzip, level: 9)
        #expect(throws: CSVError.empty(path: nil)) { try CSVDataset.decode(gzip) }
    }

    // MARK: PNG

    @Test func pngZlibBomb() throws {
        // A 1×1 gray image needs 2 bytes of image data; the IDAT inflates to 16 MiB.
        let idat = try Zlib.deflate([UInt8](repeating: 0, count: 16 << 20), format: .zlib, level: 9)
        let png = fuzzPNG(fuzzIHDR(width: 1, height: 1), fuzzChunk("IDAT", idat), fuzzChunk("IEND", []))
        let error = #expect(throws: ImageFileError.self) { try ImageFile.decode(png) }
        guard case .corruptData = error else { Issue.record("expected corruptData, got \(String(describing: error))"); return }
    }

    @Test func pngHugeDimensions() {
        let idat = fuzzChunk("IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])
        let sizes: [(UInt32, UInt32)] = [(.max, .max), (0x8000_0000, 1), (16_384, 16_384), (16_385, 1), (1, 1 << 31)]
        for (width, height) in sizes {
            let png = fuzzPNG(fuzzIHDR(width: width, height: height, depth: 16, colour: 6), idat, fuzzChunk("IEND", []))
            #expect(throws: ImageFileError.tooLarge(path: nil, format: "PNG", width: Int(width), height: Int(height))) {
                try ImageFile.decode(png)
            }
        }
        let zero = fuzzPNG(fuzzIHDR(width: 0, height: 7), idat, fuzzChunk("IEND", []))
        #expect(throws: ImageFileError.zeroSize(path: nil, format: "PNG", width: 0, height: 7)) { try ImageFile.decode(zero) }
    }

    @Test func pngChunkLengths() {
        let header = fuzzIHDR(width: 1, height: 1)
        // Length 2^32 − 1 and 2^31 − 1 on a short file; the type and CRC bytes are whatever follows.
        for length: UInt32 in [0xFFFF_FFFF, 0x7FFF_FFFF, 0x8000_0000, 13] {
            let png = PNGDecoder.signature + header + fuzzBigEndian(length) + Array("IDAT".utf8) + [0, 0, 0, 0]
            let error = #expect(throws: ImageFileError.self) { try ImageFile.decode(png) }
            if let error { #expect(isOneLine(error)) }
        }
    }

    @Test func pngStructuralDamage() throws {
        let pixels = try Zlib.deflate([0, 128], format: .zlib)
        let idat = fuzzChunk("IDAT", pixels), end = fuzzChunk("IEND", [])
        let cases: [[UInt8]] = [
            [0x89, 0x50, 0x4E],                                                                  // cut signature
            fuzzPNG(idat, fuzzIHDR(width: 1, height: 1), end),                                   // IDAT first
            fuzzPNG(fuzzIHDR(width: 1, height: 1), fuzzIHDR(width: 1, height: 1), idat, end),    // two IHDRs
            fuzzPNG(fuzzIHDR(width: 1, height: 1), end),                                         // no IDAT
            fuzzPNG(fuzzIHDR(width: 1, height: 1), idat),                                        // no IEND
            fuzzPNG(fuzzIHDR(width: 1, height: 1, depth: 3), idat, end),                         // bad depth
            fuzzPNG(fuzzIHDR(width: 1, height: 1, colour: 7), idat, end),                        // bad colour type
            fuzzPNG(fuzzIHDR(width: 1, height: 1, colour: 3), idat, end),                        // palette without PLTE
            fuzzPNG(fuzzIHDR(width: 1, height: 1, colour: 3), fuzzChunk("PLTE", [1, 2, 3]),
                    fuzzChunk("IDAT", try Zlib.deflate([0, 200], format: .zlib)), end),          // index 200 of 1
            fuzzPNG(fuzzIHDR(width: 1, height: 1), fuzzChunk("IDAT", try Zlib.deflate([5, 0], format: .zlib)), end),  // filter 5
            fuzzPNG(fuzzIHDR(width: 1, height: 1), fuzzChunk("IDAT", Array(pixels.dropLast(4))), end),  // no Adler-32
            fuzzPNG(fuzzIHDR(width: 1, height: 1), fuzzChunk("IDAT", try Zlib.deflate([0], format: .zlib)), end),  // short data
            fuzzPNG(fuzzIHDR(width: 1, height: 1), fuzzChunk("IDAT", [0x78, 0x9C, 0xFF, 0xFF]), end),  // bad deflate
            fuzzPNG(fuzzIHDR(width: 1, height: 1), fuzzChunk("IDAT", pixels), fuzzChunk("abcd", []), end),  // fine (ancillary)
            fuzzPNG(fuzzIHDR(width: 1, height: 1), fuzzChunk("ABCD", []), idat, end),            // unknown critical
            fuzzPNG(fuzzIHDR(width: 1, height: 1), fuzzChunk("PLTE", [1, 2]), idat, end),        // PLTE not 3n
            fuzzPNG(fuzzIHDR(width: 1, height: 1), [0, 0, 0, 0, 0x31, 0x32, 0x33, 0x34, 0, 0, 0, 0]),  // digits as type
        ]
        for (index, png) in cases.enumerated() where index != 13 {
            let error = #expect(throws: ImageFileError.self, "case \(index)") { try ImageFile.decode(png) }
            if let error { #expect(isOneLine(error), "case \(index)") }
        }
        #expect(try ImageFile.decode(cases[13]).pixels.count == 1)
    }

    @Test func pngBadChecksum() {
        var png = fuzzPNG(fuzzIHDR(width: 1, height: 1), fuzzChunk("IEND", []))
        png[8 + 8 + 13] ^= 1  // first byte of IHDR's CRC
        let error = #expect(throws: ImageFileError.self) { try ImageFile.decode(png) }
        guard case .badChecksum = error else { Issue.record("expected badChecksum, got \(String(describing: error))"); return }
    }

    // MARK: PGM

    @Test func pgmHugeDimensionsTinyData() {
        let cases: [(String, [UInt8])] = [
            ("P5 99999999999999999999999 1 255\n", [0]),   // capped while parsed, then too large
            ("P5 16384 3051 255\n", [1, 2, 3]),            // 50 M pixels claimed, 3 present
            ("P5 16384 3051 65535\n", [1, 2, 3]),          // 100 MB claimed
            ("P2 16384 3051 255\n", Array("0 1 2".utf8)),  // ASCII samples claimed, 3 present
            ("P5 16384 16384 255\n", [0]),                 // over the pixel cap
            ("P5 0 5 255\n", []),                          // zero width
        ]
        for (header, payload) in cases {
            let error = #expect(throws: ImageFileError.self, "\(header)") { try ImageFile.decode(Array(header.utf8) + payload) }
            if let error { #expect(isOneLine(error)) }
        }
    }

    @Test func pgmHeaderDamage() {
        let cases: [[UInt8]] = [
            Array("P5 1 1 255".utf8),                                    // no byte after maxval
            Array("P5 1 1 255x".utf8) + [0],                             // not whitespace after maxval
            Array("P5 1 1 0\n".utf8) + [0],                              // maxval 0
            Array("P5 1 1 70000\n".utf8) + [0, 0],                       // maxval above 65535
            Array("P5 1 1 10\n".utf8) + [200],                           // sample above maxval
            Array("P2 2 1 10\n3 11".utf8),                               // ASCII sample above maxval
            Array("P2 2 1 10\n3 -1".utf8),                               // negative sample
            Array("P5 #".utf8) + [UInt8](repeating: 0x41, count: 100_000),  // comment to the end of the file
            Array("P5\n".utf8) + [UInt8](repeating: 0x20, count: 100_000),  // only whitespace
            [0x50, 0x35, 0x0A, 0xFF],                                    // binary where the width should be
        ]
        for (index, pgm) in cases.enumerated() {
            let error = #expect(throws: ImageFileError.self, "case \(index)") { try ImageFile.decode(pgm) }
            if let error { #expect(isOneLine(error), "case \(index)") }
        }
    }
}
