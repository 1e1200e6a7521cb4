// SafeTensors.swift — the safetensors container (Hugging Face) for named Float32 tensors plus string metadata.
//
// Decoding validates the header and every offset as strictly as the reference implementation does; encoding
// is deterministic (sorted names and keys, space-padded header). Holds F32 only; knows nothing of layers.

import Foundation

/// Errors from decoding or encoding safetensors. `path` is the file's path, or nil for bytes in memory.
public enum SafeTensorsError: Error, CustomStringConvertible, Equatable {
    /// Fewer than the 8 bytes of the header length.
    case tooShort(path: String?, size: Int)
    /// The header length is larger than the 100 MB cap.
    case headerTooLarge(path: String?, headerLength: UInt64, limit: Int)
    /// The header length points past the end of the file.
    case headerPastEnd(path: String?, headerLength: UInt64, fileSize: Int)
    /// The header bytes are not UTF-8.
    case headerNotUTF8(path: String?)
    /// The header is not valid JSON (`reason` from the JSON parser).
    case headerNotJSON(path: String?, reason: String)
    /// The header is JSON but not an object.
    case headerNotObject(path: String?)
    /// A tensor entry lacks a field or has one of the wrong type (`problem` says which).
    case badEntry(path: String?, tensor: String, problem: String)
    /// A known safetensors dtype other than F32.
    case unsupportedDtype(path: String?, tensor: String, dtype: String)
    /// A dtype safetensors does not define.
    case unknownDtype(path: String?, tensor: String, dtype: String)
    /// The shape's element count (× 4 bytes) overflows.
    case shapeOverflow(path: String?, tensor: String, shape: [Int])
    /// data_offsets span a different number of bytes than the shape needs.
    case sizeMismatch(path: String?, tensor: String, shape: [Int], expectedBytes: Int, foundBytes: Int)
    /// data_offsets reach past the data buffer.
    case offsetsOutOfRange(path: String?, tensor: String, begin: Int, end: Int, dataSize: Int)
    /// Two tensors share bytes.
    case overlapping(path: String?, tensor: String, other: String)
    /// A hole between tensors (`expected` is where the tensor should begin).
    case gap(path: String?, tensor: String, expected: Int, found: Int)
    /// Bytes after the last tensor's data.
    case trailingData(path: String?, used: Int, dataSize: Int)
    /// A NaN or infinite value.
    case nonFinite(path: String?, tensor: String, index: Int, value: Float)
    /// `__metadata__` is not an object of strings.
    case badMetadata(path: String?, key: String?, problem: String)
    /// Encoding: a tensor's values do not match its shape.
    case valueCountMismatch(tensor: String, shape: [Int], count: Int)
    /// Encoding: the name `__metadata__` is reserved.
    case reservedName

    public var description: String {
        let file = { (path: String?) in path ?? "safetensors data" }
        switch self {
        case .tooShort(let path, let size):
            return "\(file(path)): expected a safetensors file (8-byte header length first), found only \(size) bytes; the file is truncated or empty"
        case .headerTooLarge(let path, let length, let limit):
            return "\(file(path)): safetensors header length is \(length) bytes, more than the \(limit)-byte limit; this is not a safetensors file or it is damaged"
        case .headerPastEnd(let path, let length, let size):
            return "\(file(path)): safetensors header claims \(length) bytes but only \(max(size - 8, 0)) follow the length (file is \(size) bytes); the file is truncated or not safetensors"
        case .headerNotUTF8(let path):
            return "\(file(path)): safetensors header is not valid UTF-8; the file is damaged or not safetensors"
        case .headerNotJSON(let path, let reason):
            return "\(file(path)): safetensors header is not valid JSON (\(reason)); the file is damaged or not safetensors"
        case .headerNotObject(let path):
            return "\(file(path)): safetensors header must be a JSON object of tensors; the file is damaged or not safetensors"
        case .badEntry(let path, let tensor, let problem):
            return "\(file(path)): tensor \"\(oneLine(tensor))\": \(problem); the file is damaged or was written by a broken tool"
        case .unsupportedDtype(let path, let tensor, let dtype):
            return "\(file(path)): tensor \"\(oneLine(tensor))\": dtype \(dtype) is not supported: digits stores F32; convert the tensor to float32"
        case .unknownDtype(let path, let tensor, let dtype):
            return "\(file(path)): tensor \"\(oneLine(tensor))\": unknown dtype \"\(oneLine(dtype))\"; expected F32"
        case .shapeOverflow(let path, let tensor, let shape):
            return "\(file(path)): tensor \"\(oneLine(tensor))\": shape \(shape) has too many elements to hold in memory; the file is damaged"
        case .sizeMismatch(let path, let tensor, let shape, let expected, let found):
            return "\(file(path)): tensor \"\(oneLine(tensor))\": shape \(shape) of F32 needs \(expected) bytes, data_offsets span \(found); the file is damaged"
        case .offsetsOutOfRange(let path, let tensor, let begin, let end, let size):
            return "\(file(path)): tensor \"\(oneLine(tensor))\": data_offsets [\(begin), \(end)] reach past the \(size)-byte data buffer; the file is truncated"
        case .overlapping(let path, let tensor, let other):
            return "\(file(path)): tensors \"\(oneLine(other))\" and \"\(oneLine(tensor))\" overlap; the file is damaged"
        case .gap(let path, let tensor, let expected, let found):
            return "\(file(path)): tensor \"\(oneLine(tensor))\" should begin at data offset \(expected), found \(found); safetensors requires tensors to be contiguous, without holes"
        case .trailingData(let path, let used, let size):
            return "\(file(path)): tensors use \(used) bytes of data but the data buffer holds \(size); safetensors forbids extra bytes; the file is damaged"
        case .nonFinite(let path, let tensor, let index, let value):
            return "\(file(path)): tensor \"\(oneLine(tensor))\" holds \(value) at index \(index); expected finite numbers (training may have diverged: lower the learning rate)"
        case .badMetadata(let path, let key, let problem):
            return "\(file(path)): __metadata__\(key.map { "[\"\(oneLine($0))\"]" } ?? ""): \(problem); metadata must map strings to strings"
        case .valueCountMismatch(let tensor, let shape, let count):
            return "tensor \"\(oneLine(tensor))\": shape \(shape) needs \(IDXFile.elementCount(shape).map(String.init) ?? "too many") values, found \(count); fix the tensor before saving"
        case .reservedName:
            return "a tensor may not be named \"__metadata__\" (reserved by safetensors); rename it"
        }
    }
}

/// Named Float32 tensors with string metadata, stored as safetensors.
///
/// Layout: UInt64 little-endian header length N; N bytes of JSON
/// `{"__metadata__": {"k": "v"}, "name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, …}`
/// (offsets relative to the data buffer after the header); then the data, little-endian, tensors contiguous.
public struct SafeTensors: Equatable, Sendable {
    /// A tensor: shape (outermost first; `[]` is a scalar) and row-major values, `values.count == product(shape)`.
    public struct Tensor: Equatable, Sendable {
        public var shape: [Int]
        public var values: [Float]
        /// Creates a tensor; the count is checked when encoding.
        public init(shape: [Int], values: [Float]) {
            self.shape = shape
            self.values = values
        }
    }

    /// Free-form string pairs stored under `__metadata__` (format version, training settings, …).
    public var metadata: [String: String]
    /// Tensors by name.
    public var tensors: [String: Tensor]

    /// Largest header accepted (100 MB), as in the reference implementation.
    public static let maximumHeaderLength = 100_000_000

    /// safetensors dtypes other than F32: recognised, but not supported here.
    public static let otherKnownDtypes: Set<String> = [
        "BOOL", "U8", "I8", "U16", "I16", "U32", "I32", "U64", "I64", "F16", "BF16", "F64",
        "F8_E4M3", "F8_E5M2", "F8_E8M0", "F6_E2M3", "F6_E3M2", "F4", "C64",
    ]

    /// Creates a container.
    public init(tensors: [String: Tensor] = [:], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// Decodes safetensors bytes. `path` only labels error messages. Throws `SafeTensorsError`; never traps.
    public static func decode(_ bytes: [UInt8], path: String? = nil) throws -> SafeTensors {
        guard bytes.count >= 8 else { throw SafeTensorsError.tooShort(path: path, size: bytes.count) }
        var length: UInt64 = 0
        for index in (0..<8).reversed() { length = length << 8 | UInt64(bytes[index]) }
        guard length <= UInt64(maximumHeaderLength) else {
            throw SafeTensorsError.headerTooLarge(path: path, headerLength: length, limit: maximumHeaderLength)
        }
        let headerLength = Int(length)
        guard headerLength <= bytes.count - 8 else {
            throw SafeTensorsError.headerPastEnd(path: path, headerLength: length, fileSize: bytes.count)
        }
        let header = bytes[8..<(8 + headerLength)]
        guard String(validating: header, as: UTF8.self) != nil else { throw SafeTensorsError.headerNotUTF8(path: path) }
        guard header.first == UInt8(ascii: "{") else { throw SafeTensorsError.headerNotObject(path: path) }
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: Data(header), options: [])
        } catch {
            let reason = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            throw SafeTensorsError.headerNotJSON(path: path, reason: oneLine(reason))
        }
        guard let object = json as? [String: Any] else { throw SafeTensorsError.headerNotObject(path: path) }
        let dataStart = 8 + headerLength
        let dataSize = bytes.count - dataStart

        var result = SafeTensors()
        if let raw = object["__metadata__"], !(raw is NSNull) {
            guard let entries = raw as? [String: Any] else {
                throw SafeTensorsError.badMetadata(path: path, key: nil, problem: "expected an object, found \(jsonKind(raw))")
            }
            for (key, value) in entries {
                guard let text = value as? String else {
                    throw SafeTensorsError.badMetadata(path: path, key: key, problem: "expected a string, found \(jsonKind(value))")
                }
                result.metadata[key] = text
            }
        }
        var layout = [(name: String, begin: Int, end: Int, shape: [Int])]()
        for (name, entry) in object where name != "__metadata__" {
            layout.append(try parseEntry(name: name, entry: entry, dataSize: dataSize, path: path))
        }
        // Contiguity, as the reference checks: sorted by offsets, each tensor begins where the last ended.
        layout.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        var used = 0
        var previous: String?
        for item in layout {
            if item.begin < used { throw SafeTensorsError.overlapping(path: path, tensor: item.name, other: previous ?? "") }
            if item.begin > used { throw SafeTensorsError.gap(path: path, tensor: item.name, expected: used, found: item.begin) }
            used = item.end
            previous = item.name
        }
        guard used == dataSize else { throw SafeTensorsError.trailingData(path: path, used: used, dataSize: dataSize) }

        try bytes.withUnsafeBytes { raw in
            for item in layout {
                let count = (item.end - item.begin) / 4
                let base = raw.baseAddress! + dataStart + item.begin
                var bad: (Int, Float)?
                let values = [Float](unsafeUninitializedCapacity: count) { out, initialized in
                    for index in 0..<count {
                        let value = Float(bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 4 * index, as: UInt32.self)))
                        if !value.isFinite && bad == nil { bad = (index, value) }
                        out[index] = value
                    }
                    initialized = count
                }
                if let (index, value) = bad {
                    throw SafeTensorsError.nonFinite(path: path, tensor: item.name, index: index, value: value)
                }
                result.tensors[item.name] = Tensor(shape: item.shape, values: values)
            }
        }
        return result
    }

    /// Reads the safetensors file at `path`. Throws `FileError` or `SafeTensorsError`.
    public static func read(path: String) throws -> SafeTensors {
        try decode(FileBytes.read(path: path), path: path)
    }

    /// Encodes as safetensors: tensors sorted by name, metadata keys sorted, header padded with spaces
    /// to a multiple of 8 bytes, values little-endian F32.
    ///
    /// Throws `SafeTensorsError.valueCountMismatch`, `.nonFinite` (NaN/Inf would be refused on reading)
    /// or `.reservedName`.
    public func encode() throws -> [UInt8] {
        var header = "{"
        var parts = [String]()
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }
            parts.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        let names = tensors.keys.sorted()
        var offset = 0
        for name in names {
            let tensor = tensors[name]!
            guard name != "__metadata__" else { throw SafeTensorsError.reservedName }
            guard tensor.shape.allSatisfy({ $0 >= 0 }), IDXFile.elementCount(tensor.shape) == tensor.values.count else {
                throw SafeTensorsError.valueCountMismatch(tensor: name, shape: tensor.shape, count: tensor.values.count)
            }
            if let index = tensor.values.firstIndex(where: { !$0.isFinite }) {
                throw SafeTensorsError.nonFinite(path: nil, tensor: name, index: index, value: tensor.values[index])
            }
            let end = offset + 4 * tensor.values.count
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            parts.append("\(jsonString(name)):{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        header += parts.joined(separator: ",") + "}"
        var headerBytes = Array(header.utf8)
        while headerBytes.count % 8 != 0 { headerBytes.append(0x20) }
        var out = [UInt8]()
        out.reserveCapacity(8 + headerBytes.count + offset)
        let length = UInt64(headerBytes.count)
        for index in 0..<8 { out.append(UInt8(truncatingIfNeeded: length >> UInt64(8 * index))) }
        out += headerBytes
        let dataStart = out.count
        out.append(contentsOf: repeatElement(0, count: offset))
        out.withUnsafeMutableBytes { raw in
            var at = dataStart
            for name in names {
                for value in tensors[name]!.values {
                    raw.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: at, as: UInt32.self)
                    at += 4
                }
            }
        }
        return out
    }

    /// Writes to `path` atomically (temp file + rename). Throws `SafeTensorsError` or `FileError`.
    public func write(to path: String) throws {
        try AtomicFile.write(encode(), to: path)
    }

    /// Validates one header entry and returns its byte range in the data buffer.
    private static func parseEntry(name: String, entry: Any, dataSize: Int, path: String?) throws
        -> (name: String, begin: Int, end: Int, shape: [Int])
    {
        func bad(_ problem: String) -> SafeTensorsError { .badEntry(path: path, tensor: name, problem: problem) }
        guard let fields = entry as? [String: Any] else { throw bad("expected an object, found \(jsonKind(entry))") }
        guard let rawDtype = fields["dtype"] else { throw bad("missing \"dtype\"") }
        guard let dtype = rawDtype as? String else { throw bad("\"dtype\" must be a string, found \(jsonKind(rawDtype))") }
        guard let rawShape = fields["shape"] else { throw bad("missing \"shape\"") }
        guard let shapeArray = rawShape as? [Any] else { throw bad("\"shape\" must be an array, found \(jsonKind(rawShape))") }
        var shape = [Int]()
        for value in shapeArray {
            guard let dimension = jsonInteger(value), dimension >= 0 else {
                throw bad("\"shape\" entries must be non-negative integers, found \(jsonKind(value))")
            }
            shape.append(dimension)
        }
        guard let rawOffsets = fields["data_offsets"] else { throw bad("missing \"data_offsets\"") }
        guard let offsetArray = rawOffsets as? [Any], offsetArray.count == 2 else {
            throw bad("\"data_offsets\" must be an array of 2 integers, found \(jsonKind(rawOffsets))")
        }
        guard let begin = jsonInteger(offsetArray[0]), let end = jsonInteger(offsetArray[1]), begin >= 0, end >= 0 else {
            throw bad("\"data_offsets\" must be non-negative integers, found \(offsetArray.map(jsonKind))")
        }
        guard begin <= end else { throw bad("\"data_offsets\" begin \(begin) is after end \(end)") }
        if dtype != "F32" {
            if otherKnownDtypes.contains(dtype) { throw SafeTensorsError.unsupportedDtype(path: path, tensor: name, dtype: dtype) }
            throw SafeTensorsError.unknownDtype(path: path, tensor: name, dtype: String(dtype.prefix(40)))
        }
        guard let count = IDXFile.elementCount(shape), case (let bytes, false) = count.multipliedReportingOverflow(by: 4) else {
            throw SafeTensorsError.shapeOverflow(path: path, tensor: name, shape: shape)
        }
        guard end - begin == bytes else {
            throw SafeTensorsError.sizeMismatch(path: path, tensor: name, shape: shape, expectedBytes: bytes, foundBytes: end - begin)
        }
        guard end <= dataSize else {
            throw SafeTensorsError.offsetsOutOfRange(path: path, tensor: name, begin: begin, end: end, dataSize: dataSize)
        }
        return (name, begin, end, shape)
    }
}

/// An integer JSON number that fits in Int, or nil (floats such as 1.0, booleans, strings, huge numbers).
private func jsonInteger(_ value: Any) -> Int? {
    guard let number = value as? NSNumber else { return nil }
    switch String(cString: number.objCType) {
    case "s", "i", "l", "q": return Int(exactly: number.int64Value)
    case "S", "I", "L", "Q", "C": return Int(exactly: number.uint64Value)
    default: return nil  // "c" is a boolean, "f"/"d" are floats
    }
}

/// A short description of a JSON value's kind (and value, when small) for messages.
private func jsonKind(_ value: Any) -> String {
    if value is String { return "a string" }
    if value is [Any] { return "an array" }
    if value is [String: Any] { return "an object" }
    if value is NSNull { return "null" }
    if let number = value as? NSNumber {
        if String(cString: number.objCType) == "c" { return "a boolean" }
        return "the number \(oneLine(number.description))"
    }
    return "an unexpected value"
}

/// `text` as a JSON string literal.
private func jsonString(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if scalar.value < 0x20 {
                out += "\\u00" + hexByte(UInt8(scalar.value)).lowercased()
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}

/// `text` on one line, cut to `limit` characters.
func oneLine(_ text: String, limit: Int = 80) -> String {
    let flat = text.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
    return flat.count > limit ? String(flat.prefix(limit)) + "…" : flat
}
