// IDXTests.swift — IDX read/write: round trips (raw and gzip) and every error path, with message checks.
//
// Ends with a small deterministic mutation fuzz: damaged inputs must throw, never trap.

import DigitsFiles
import Testing

/// A tiny deterministic generator for test data (SplitMix64).
struct FilesTestRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

struct IDXFileTests {
    let sample = IDXArray(shape: [3, 2, 2], bytes: Array(0..<12))

    @Test func encodesTheDocumentedLayout() {
        #expect(IDXFile.encode(IDXArray(shape: [2], bytes: [7, 9])) == [0, 0, 8, 1, 0, 0, 0, 2, 7, 9])
        let bytes = IDXFile.encode(sample)
        #expect(Array(bytes.prefix(16)) == [0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 2])
    }

    @Test func roundTripsRawAndGzip() throws {
        #expect(try IDXFile.read(bytes: IDXFile.encode(sample)) == sample)
        let empty = IDXArray(shape: [0, 28, 28], bytes: [])
        #expect(try IDXFile.read(bytes: IDXFile.encode(empty)) == empty)
        let dir = FilesTestDirectory()
        defer { dir.remove() }
        try IDXFile.write(sample, to: dir.file("s.idx"))
        try IDXFile.write(sample, to: dir.file("s.idx.gz"), gzip: true)
        #expect(try FileBytes.read(path: dir.file("s.idx.gz")).prefix(2) == [0x1f, 0x8b])
        #expect(try IDXFile.read(path: dir.file("s.idx")) == sample)
        #expect(try IDXFile.read(path: dir.file("s.idx.gz")) == sample)
    }

    @Test func wrongMagicSaysWhatItFound() {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        let error = #expect(throws: IDXError.self) { try IDXFile.read(bytes: png, path: "digit.png") }
        #expect(error == .notIDX(path: "digit.png", found: [0x89, 0x50, 0x4E, 0x47]))
        let message = error?.description ?? ""
        #expect(message.contains("digit.png") && message.contains("00 00 08 0N") && message.contains("89 50 4E 47")
            && message.contains("PNG"))
        let csv = #expect(throws: IDXError.self) { try IDXFile.read(bytes: Array("5,0,0\n".utf8)) }
        #expect(csv?.description.contains("CSV") == true)
        let empty = #expect(throws: IDXError.self) { try IDXFile.read(bytes: []) }
        #expect(empty == .notIDX(path: nil, found: []))
        #expect(empty?.description.contains("empty file") == true)
        #expect(throws: IDXError.notIDX(path: nil, found: [0, 0])) { try IDXFile.read(bytes: [0, 0]) }
    }

    @Test func zeroDimensions() {
        let error = #expect(throws: IDXError.zeroDimensions(path: "x")) { try IDXFile.read(bytes: [0, 0, 8, 0], path: "x") }
        #expect(error?.description.contains("found 0") == true)
    }

    @Test func otherElementTypesAreNotSupported() {
        for type in IDXElementType.allCases where type != .unsignedByte {
            let bytes: [UInt8] = [0, 0, type.rawValue, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]
            let error = #expect(throws: IDXError.self) { try IDXFile.read(bytes: bytes) }
            #expect(error == .unsupportedType(path: nil, type))
            #expect(error?.description.contains("not supported") == true)
        }
        let unknown = #expect(throws: IDXError.unknownType(path: nil, 0x07)) { try IDXFile.read(bytes: [0, 0, 7, 1, 0, 0, 0, 0]) }
        #expect(unknown?.description.contains("0x07") == true)
    }

    @Test func truncatedHeaderAndPayload() {
        let header = #expect(throws: IDXError.truncatedHeader(path: nil, expected: 12, found: 9)) {
            try IDXFile.read(bytes: [0, 0, 8, 2, 0, 0, 0, 1, 0])
        }
        #expect(header?.description.contains("12") == true)
        var bytes = IDXFile.encode(sample)
        bytes.removeLast(5)
        let payload = #expect(throws: IDXError.truncatedPayload(path: "t.idx", shape: [3, 2, 2], expected: 12, found: 7)) {
            try IDXFile.read(bytes: bytes, path: "t.idx")
        }
        let message = payload?.description ?? ""
        #expect(message.contains("12") && message.contains("found 7") && message.contains("t.idx") && message.contains("3×2×2"))
    }

    @Test func trailingBytesAreAnError() {
        let bytes = IDXFile.encode(sample) + [1, 2]
        let error = #expect(throws: IDXError.trailingBytes(path: nil, shape: [3, 2, 2], expected: 12, found: 14)) {
            try IDXFile.read(bytes: bytes)
        }
        #expect(error?.description.contains("2 extra") == true)
    }

    @Test func dimensionProductOverflow() {
        let bytes: [UInt8] = [0, 0, 8, 3] + [UInt8](repeating: 0xFF, count: 12)
        let big = Int(UInt32.max)
        let error = #expect(throws: IDXError.dimensionsOverflow(path: nil, shape: [big, big, big])) { try IDXFile.read(bytes: bytes) }
        #expect(error?.description.contains("too large") == true)
        // Large but not overflowing: reported as truncated, never allocated.
        let large: [UInt8] = [0, 0, 8, 2, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF]
        let half = Int(Int32.max)
        #expect(throws: IDXError.truncatedPayload(path: nil, shape: [big, half], expected: big * half, found: 0)) {
            try IDXFile.read(bytes: large)
        }
    }

    @Test func corruptAndTruncatedGzipNameTheFile() throws {
        let dir = FilesTestDirectory()
        defer { dir.remove() }
        let big = IDXArray(shape: [4000], bytes: (0..<4000).map { UInt8(truncatingIfNeeded: $0 * $0 / 7) })
        var gz = try Zlib.deflate(IDXFile.encode(big), format: .gzip)
        gz[gz.count / 2] ^= 0xFF
        gz[gz.count / 2 + 1] ^= 0x55
        try AtomicFile.write(gz, to: dir.file("bad.gz"))
        let error = #expect(throws: IDXError.self) { try IDXFile.read(path: dir.file("bad.gz")) }
        guard case .compression(let path, _) = error else { Issue.record("expected a compression error, got \(String(describing: error))"); return }
        #expect(path == dir.file("bad.gz"))
        #expect(error?.description.contains(dir.file("bad.gz")) == true)
        let good = try Zlib.deflate(IDXFile.encode(big), format: .gzip)
        #expect(throws: IDXError.compression(path: nil, .truncated)) { try IDXFile.read(bytes: Array(good.prefix(good.count - 20))) }
    }

    @Test func missingFileIsAFileError() {
        #expect(throws: FileError.notFound(path: "/nonexistent/x.idx")) { try IDXFile.read(path: "/nonexistent/x.idx") }
    }

    @Test func mutatedInputsThrowButNeverTrap() throws {
        var random = FilesTestRandom(seed: 42)
        let raw = IDXFile.encode(IDXArray(shape: [2, 3, 4], bytes: Array(0..<24)))
        let gz = try Zlib.deflate(raw, format: .gzip)
        for seedInput in [raw, gz] {
            for _ in 0..<3000 {
                var bytes = seedInput
                for _ in 0..<Int.random(in: 1...4, using: &random) {
                    switch Int.random(in: 0..<3, using: &random) {
                    case 0: bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                    case 1: if bytes.count > 1 { bytes.removeLast(Int.random(in: 1..<bytes.count, using: &random)) }
                    default: bytes.insert(UInt8.random(in: 0...255, using: &random), at: Int.random(in: 0...bytes.count, using: &random))
                    }
                }
                if let array = try? IDXFile.read(bytes: bytes) {
                    #expect(array.bytes.count == array.shape.reduce(1, *))
                }
            }
        }
    }
}
