// JSONValue.swift — a small, strict JSON reader for request bodies and drawing files.
//
// Foundation's JSONDecoder is general but slow for a drawing's thousands of small arrays (a quarter of the
// server's time under load) and says only "not valid JSON" for a number like 280.5 read as an Int or 1e999.
// This reader builds a plain tree in one pass, with a nesting limit, and says where the JSON breaks.

/// A parsed JSON value.
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The JSON type's name, for messages ("a string", "an array").
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "a list"
        case .object: return "an object"
        }
    }
}

/// Why a body is not JSON; `offset` is the byte where reading stopped.
public struct JSONSyntaxError: Error, CustomStringConvertible {
    public let message: String
    public let offset: Int
    public var description: String { "malformed JSON at byte \(offset): \(message)" }
}

/// Parses JSON text (RFC 8259) into a `JSONValue`. Nesting deeper than `maximumDepth` is refused.
public struct JSONReader {
    public static let maximumDepth = 64

    private let bytes: UnsafeBufferPointer<UInt8>
    private let nonFiniteNumbers: Bool
    private var index = 0

    /// Parses all of `bytes`: one value, surrounded by optional whitespace.
    ///
    /// With `nonFiniteNumbers`, also reads what Python's `json.dump` writes for non-finite floats (`NaN`,
    /// `Infinity`, `-Infinity`) and numbers too large for a Double (as ±infinity), so that a file's checker can
    /// name the entry and field that holds one instead of only a byte offset.
    public static func parse(_ bytes: [UInt8], nonFiniteNumbers: Bool = false) throws -> JSONValue {
        try bytes.withUnsafeBufferPointer { buffer in
            var reader = JSONReader(bytes: buffer, nonFiniteNumbers: nonFiniteNumbers)
            reader.skipWhitespace()
            let value = try reader.readValue(depth: 0)
            reader.skipWhitespace()
            guard reader.index == buffer.count else { throw reader.error("unexpected text after the end of the JSON value") }
            return value
        }
    }

    private init(bytes: UnsafeBufferPointer<UInt8>, nonFiniteNumbers: Bool) {
        self.bytes = bytes
        self.nonFiniteNumbers = nonFiniteNumbers
    }

    private func error(_ message: String) -> JSONSyntaxError { JSONSyntaxError(message: message, offset: index) }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
    }

    private mutating func readValue(depth: Int) throws -> JSONValue {
        guard let byte = current else { throw error("the text ends where a value was expected") }
        switch byte {
        case UInt8(ascii: "{"): return try readObject(depth: depth + 1)
        case UInt8(ascii: "["): return try readArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "t"): try readLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try readLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try readLiteral("null"); return .null
        case UInt8(ascii: "N") where nonFiniteNumbers: try readLiteral("NaN"); return .number(.nan)
        case UInt8(ascii: "I") where nonFiniteNumbers: try readLiteral("Infinity"); return .number(.infinity)
        case UInt8(ascii: "-") where nonFiniteNumbers && index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "I"):
            index += 1
            try readLiteral("Infinity")
            return .number(-.infinity)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try readNumber())
        default:
            // A byte outside ASCII is part of a multi-byte character (or not text at all): name the byte.
            if byte >= 0x80 { throw error("unexpected byte 0x\(String(byte, radix: 16, uppercase: true)) (JSON text starts with {, [, \", a number, true, false or null)") }
            throw error("unexpected character '\(Character(UnicodeScalar(byte)))'")
        }
    }

    private mutating func readLiteral(_ word: StaticString) throws {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count,
              (0..<count).allSatisfy({ bytes[index + $0] == word.utf8Start[$0] }) else { throw error("unknown word; expected \(word)") }
        index += count
    }

    private mutating func readArray(depth: Int) throws -> JSONValue {
        guard depth <= Self.maximumDepth else { throw error("nested more than \(Self.maximumDepth) levels deep") }
        index += 1   // [
        var elements: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") { index += 1; return .array(elements) }
        while true {
            skipWhitespace()
            elements.append(try readValue(depth: depth))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return .array(elements)
            default: throw error("expected ',' or ']' in a list")
            }
        }
    }

    private mutating func readObject(depth: Int) throws -> JSONValue {
        guard depth <= Self.maximumDepth else { throw error("nested more than \(Self.maximumDepth) levels deep") }
        index += 1   // {
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if current == UInt8(ascii: "}") { index += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw error("expected a field name in double quotes") }
            let key = try readString()
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw error("expected ':' after the field name \"\(key)\"") }
            index += 1
            skipWhitespace()
            members[key] = try readValue(depth: depth)
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return .object(members)
            default: throw error("expected ',' or '}' in an object")
            }
        }
    }

    /// A number: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`. Plain integers and decimals are
    /// accumulated directly; anything with an exponent goes through `Double(String)`.
    private mutating func readNumber() throws -> Double {
        let start = index
        func digits() -> Int {
            let first = index
            while let byte = current, byte >= 0x30 && byte <= 0x39 { index += 1 }
            return index - first
        }
        if current == UInt8(ascii: "-") { index += 1 }
        let integerStart = index
        guard digits() > 0 else { throw error("a number needs digits") }
        if bytes[integerStart] == UInt8(ascii: "0") && index - integerStart > 1 { throw error("numbers may not start with 0") }
        var hasExponent = false
        if current == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { throw error("a number needs digits after '.'") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            index += 1
            hasExponent = true
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { throw error("a number needs digits in its exponent") }
        }
        let length = index - start
        if !hasExponent && length <= 15 {
            // At most 15 digits: exact as an integer in a Double, then one division for the fraction.
            var mantissa = 0.0, scale = 1.0, negative = false, afterPoint = false
            for position in start..<index {
                let byte = bytes[position]
                if byte == UInt8(ascii: "-") { negative = true; continue }
                if byte == UInt8(ascii: ".") { afterPoint = true; continue }
                mantissa = mantissa * 10 + Double(byte - 0x30)
                if afterPoint { scale *= 10 }
            }
            let value = mantissa / scale
            return negative ? -value : value
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Double(text), value.isFinite || nonFiniteNumbers else {
            throw JSONSyntaxError(message: "the number \(text) is too large", offset: start)
        }
        return value
    }

    private mutating func readString() throws -> String {
        index += 1   // opening quote
        var scalars = String.UnicodeScalarView()
        var runStart = index
        func flushRun() {
            if runStart < index {
                scalars.append(contentsOf: String(decoding: UnsafeBufferPointer(rebasing: bytes[runStart..<index]), as: UTF8.self).unicodeScalars)
            }
        }
        while true {
            guard let byte = current else { throw error("a string is not closed") }
            switch byte {
            case UInt8(ascii: "\""):
                flushRun()
                index += 1
                return String(scalars)
            case UInt8(ascii: "\\"):
                flushRun()
                index += 1
                guard let escaped = current else { throw error("a string ends inside an escape") }
                index += 1
                switch escaped {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    guard index + 4 <= bytes.count,
                          let code = UInt32(String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<index + 4]), as: UTF8.self), radix: 16)
                    else { throw error("\\u needs four hex digits") }
                    index += 4
                    // Surrogate pairs are not needed by any field here; a lone surrogate becomes U+FFFD.
                    scalars.append(UnicodeScalar(code) ?? "\u{FFFD}")
                default: throw error("unknown escape in a string")
                }
                runStart = index
            case 0..<0x20:
                throw error("control character inside a string")
            default:
                index += 1
            }
        }
    }
}
