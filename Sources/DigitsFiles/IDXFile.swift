// IDXFile.swift — the IDX array format of the MNIST distribution files, raw or gzip-compressed.
//
// Reads and writes unsigned-byte arrays (type 0x08) of any rank; other element types are recognised and
// rejected with a clear message. Not a general tensor library: values stay bytes, shapes stay [Int].

/// An n-dimensional array of bytes, row-major: `bytes.count == shape.reduce(1, *)`.
///
/// MNIST images are `[count, 28, 28]`, MNIST labels are `[count]`.
public struct IDXArray: Equatable, Sendable {
    /// Size of each dimension, outermost first (1 to 255 dimensions, each < 2³²).
    public var shape: [Int]
    /// The elements, row-major (last index varies fastest).
    public var bytes: [UInt8]

    /// Creates an array; `bytes.count` must equal the product of `shape` (checked when encoding).
    public init(shape: [Int], bytes: [UInt8]) {
        self.shape = shape
        self.bytes = bytes
    }
}

/// IDX element types (the third magic byte).
public enum IDXElementType: UInt8, Sendable, CaseIterable {
    case unsignedByte = 0x08, signedByte = 0x09, int16 = 0x0B, int32 = 0x0C, float32 = 0x0D, float64 = 0x0E

    /// Human name used in messages.
    public var name: String {
        switch self {
        case .unsignedByte: return "unsigned byte"
        case .signedByte: return "signed byte"
        case .int16: return "16-bit integer"
        case .int32: return "32-bit integer"
        case .float32: return "32-bit float"
        case .float64: return "64-bit float"
        }
    }
}

/// Errors from decoding IDX data. `path` is the file's path, or nil for bytes held in memory.
public enum IDXError: Error, CustomStringConvertible, Equatable {
    /// The first bytes are not an IDX magic number (`found` holds up to 4 of them).
    case notIDX(path: String?, found: [UInt8])
    /// The magic number says zero dimensions.
    case zeroDimensions(path: String?)
    /// A known IDX element type other than unsigned byte.
    case unsupportedType(path: String?, IDXElementType)
    /// An element type byte that IDX does not define.
    case unknownType(path: String?, UInt8)
    /// The header ends before all dimension sizes.
    case truncatedHeader(path: String?, expected: Int, found: Int)
    /// The product of the dimensions does not fit in memory sizes.
    case dimensionsOverflow(path: String?, shape: [Int])
    /// Fewer payload bytes than the dimensions require.
    case truncatedPayload(path: String?, shape: [Int], expected: Int, found: Int)
    /// More bytes than the dimensions account for.
    case trailingBytes(path: String?, shape: [Int], expected: Int, found: Int)
    /// The gzip stream is damaged.
    case compression(path: String?, CompressionError)

    public var description: String {
        switch self {
        case .notIDX(let path, let found):
            let shown = found.isEmpty ? "an empty file" : found.map { hexByte($0) }.joined(separator: " ")
            return "\(where_(path)): expected an IDX file (magic 00 00 08 0N), found \(shown)\(guessFormat(found)); "
                + "give an MNIST-style .idx / -ubyte file"
        case .zeroDimensions(let path):
            return "\(where_(path)): expected 1 to 255 dimensions in the IDX magic number, found 0; the file is damaged"
        case .unsupportedType(let path, let type):
            return "\(where_(path)): IDX element type 0x\(hexByte(type.rawValue)) (\(type.name)) is not supported; "
                + "digits reads unsigned-byte (0x08) IDX files such as MNIST's"
        case .unknownType(let path, let byte):
            return "\(where_(path)): expected an IDX element type (08 09 0B 0C 0D 0E), found 0x\(hexByte(byte)); "
                + "this is not an IDX file or it is damaged"
        case .truncatedHeader(let path, let expected, let found):
            return "\(where_(path)): IDX header needs \(expected) bytes, the file has only \(found); the file is truncated: download it again"
        case .dimensionsOverflow(let path, let shape):
            return "\(where_(path)): IDX dimensions \(shapeText(shape)) are too large to hold in memory; the file is damaged"
        case .truncatedPayload(let path, let shape, let expected, let found):
            return "\(where_(path)): IDX shape \(shapeText(shape)) needs \(expected) data bytes, found \(found); "
                + "the file is truncated: download it again"
        case .trailingBytes(let path, let shape, let expected, let found):
            return "\(where_(path)): IDX shape \(shapeText(shape)) needs \(expected) data bytes, found \(found) "
                + "(\(found - expected) extra); the file is damaged or not IDX"
        case .compression(let path, let error):
            return "\(where_(path)): \(error.description)"
        }
    }
}

/// Reading and writing IDX files.
///
/// Layout (all integers big-endian): `00 00 TYPE RANK`, then RANK × UInt32 dimension sizes, then the
/// elements row-major. Files starting with the gzip magic `1f 8b` are decompressed first.
public enum IDXFile {
    /// Largest decompressed size accepted from a gzip file (1 GiB); the bound also scales with the
    /// compressed size (deflate expands at most ~1032×), so a small hostile file cannot claim much memory.
    public static let maximumInflatedSize = 1 << 30

    /// Decodes IDX bytes (raw or gzip). `path` only labels error messages.
    ///
    /// Throws `IDXError` for every malformed input; never traps.
    public static func read(bytes: [UInt8], path: String? = nil) throws -> IDXArray {
        var data = bytes
        if Zlib.isGzip(bytes) {
            do {
                data = try Zlib.inflate(bytes, format: .gzip, limit: inflateLimit(compressedSize: bytes.count))
            } catch let error as CompressionError {
                throw IDXError.compression(path: path, error)
            }
        }
        return try decodeRaw(data, path: path)
    }

    /// Reads the IDX file (raw or .gz) at `path`. Throws `FileError` or `IDXError`.
    public static func read(path: String) throws -> IDXArray {
        try read(bytes: FileBytes.read(path: path), path: path)
    }

    /// Encodes `array` as uncompressed IDX bytes (type 0x08).
    ///
    /// Precondition (a programming error otherwise): 1–255 dimensions, each below 2³², and
    /// `bytes.count` equal to their product.
    public static func encode(_ array: IDXArray) -> [UInt8] {
        precondition(!array.shape.isEmpty && array.shape.count <= 255, "IDX arrays have 1 to 255 dimensions, not \(array.shape.count)")
        precondition(array.shape.allSatisfy { $0 >= 0 && UInt64($0) <= UInt64(UInt32.max) }, "IDX dimensions must be 0..<2^32: \(array.shape)")
        precondition(elementCount(array.shape) == array.bytes.count,
                     "IDX shape \(array.shape) needs \(elementCount(array.shape) ?? -1) bytes, array has \(array.bytes.count)")
        var out = [UInt8]()
        out.reserveCapacity(4 + 4 * array.shape.count + array.bytes.count)
        out += [0, 0, IDXElementType.unsignedByte.rawValue, UInt8(array.shape.count)]
        for dimension in array.shape {
            let value = UInt32(dimension)
            out += [UInt8(value >> 24), UInt8((value >> 16) & 0xff), UInt8((value >> 8) & 0xff), UInt8(value & 0xff)]
        }
        out += array.bytes
        return out
    }

    /// Writes `array` to `path` atomically, gzip-compressed when `gzip` is true (name it `.gz` then).
    public static func write(_ array: IDXArray, to path: String, gzip: Bool = false) throws {
        var bytes = encode(array)
        if gzip { bytes = try Zlib.deflate(bytes, format: .gzip) }
        try AtomicFile.write(bytes, to: path)
    }

    /// The most bytes `compressedSize` bytes of deflate can honestly expand to (~1032×), capped at
    /// `maximumInflatedSize`: the `limit` given to `Zlib.inflate` for gzip input.
    static func inflateLimit(compressedSize: Int) -> Int {
        let (scaled, overflow) = compressedSize.multipliedReportingOverflow(by: 1032)
        return overflow ? maximumInflatedSize : min(maximumInflatedSize, scaled + 4096)
    }

    /// Product of `shape`, or nil on overflow or a negative size.
    static func elementCount(_ shape: [Int]) -> Int? {
        var product = 1
        for dimension in shape {
            guard dimension >= 0 else { return nil }
            let (next, overflow) = product.multipliedReportingOverflow(by: dimension)
            if overflow { return nil }
            product = next
        }
        return product
    }

    /// Parses uncompressed IDX bytes.
    private static func decodeRaw(_ bytes: [UInt8], path: String?) throws -> IDXArray {
        guard bytes.count >= 4, bytes[0] == 0, bytes[1] == 0 else {
            throw IDXError.notIDX(path: path, found: Array(bytes.prefix(4)))
        }
        guard let type = IDXElementType(rawValue: bytes[2]) else { throw IDXError.unknownType(path: path, bytes[2]) }
        let rank = Int(bytes[3])
        guard rank > 0 else { throw IDXError.zeroDimensions(path: path) }
        guard type == .unsignedByte else { throw IDXError.unsupportedType(path: path, type) }
        let headerSize = 4 + 4 * rank
        guard bytes.count >= headerSize else {
            throw IDXError.truncatedHeader(path: path, expected: headerSize, found: bytes.count)
        }
        var shape = [Int]()
        shape.reserveCapacity(rank)
        for index in 0..<rank {
            let at = 4 + 4 * index
            shape.append(Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3]))
        }
        guard let expected = elementCount(shape) else { throw IDXError.dimensionsOverflow(path: path, shape: shape) }
        let found = bytes.count - headerSize
        if found < expected {
            throw IDXError.truncatedPayload(path: path, shape: shape, expected: expected, found: found)
        }
        if found > expected {
            throw IDXError.trailingBytes(path: path, shape: shape, expected: expected, found: found)
        }
        return IDXArray(shape: shape, bytes: Array(bytes[headerSize...]))  // one memcpy, no per-byte loop
    }
}

/// "FILE" or "IDX data" for messages.
private func where_(_ path: String?) -> String { path ?? "IDX data" }

/// Two uppercase hex digits.
func hexByte(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
}

/// "28×28" style spelling of a shape.
func shapeText(_ shape: [Int]) -> String { shape.map(String.init).joined(separator: "×") }

/// A hint naming a well-known format from its first bytes, or "".
private func guessFormat(_ bytes: [UInt8]) -> String {
    if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return " — this looks like a PNG image" }
    if bytes.count >= 2 && bytes[0] == 0x50 && (0x31...0x36).contains(bytes[1]) { return " — this looks like a PGM/PNM image" }
    if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return " — this looks like a zip archive: unzip it first" }
    if bytes.count >= 2 && bytes[0] == 0x7B { return " — this looks like JSON" }
    if !bytes.isEmpty && bytes.allSatisfy({ (0x20...0x7E).contains($0) || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
        return " — this looks like text (a CSV file? use the CSV reader)"
    }
    return ""
}
