// Protobuf.swift — the few pieces of Protocol Buffers' wire format that ONNX files need, written and read by
// hand (the format is small: a field is a key, (number << 3) | wire type, then a varint, 4 or 8 bytes, or a
// length and that many bytes).

/// Builds one message's bytes, field by field.
public struct ProtobufWriter {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public static func varint(_ value: UInt64) -> [UInt8] {
        var value = value, result: [UInt8] = []
        repeat {
            var byte = UInt8(value & 0x7F)
            value >>= 7
            if value != 0 { byte |= 0x80 }
            result.append(byte)
        } while value != 0
        return result
    }

    private mutating func key(_ field: Int, _ wireType: UInt64) {
        bytes += Self.varint(UInt64(field) << 3 | wireType)
    }

    /// An integer field (int32, int64, enum): a varint (negative numbers as their 64-bit two's complement).
    public mutating func integer(_ field: Int, _ value: Int) {
        key(field, 0)
        bytes += Self.varint(UInt64(bitPattern: Int64(value)))
    }

    /// A float field: 4 bytes, little-endian.
    public mutating func float(_ field: Int, _ value: Float) {
        key(field, 5)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 }
    }

    /// A length-delimited field: a string, raw bytes or an embedded message.
    public mutating func bytes(_ field: Int, _ value: [UInt8]) {
        key(field, 2)
        bytes += Self.varint(UInt64(value.count))
        bytes += value
    }

    public mutating func string(_ field: Int, _ value: String) { bytes(field, Array(value.utf8)) }

    public mutating func message(_ field: Int, _ build: (inout ProtobufWriter) -> Void) {
        var inner = ProtobufWriter()
        build(&inner)
        bytes(field, inner.bytes)
    }
}

/// One field of a message as read: its number and its value.
public struct ProtobufField {
    public enum Value {
        case integer(UInt64)
        case fixed32(UInt32)
        case fixed64(UInt64)
        case bytes([UInt8])
    }
    public var number: Int
    public var value: Value

    public var integer: Int? { if case .integer(let v) = value { return Int(truncatingIfNeeded: v) } else { return nil } }
    public var data: [UInt8]? { if case .bytes(let b) = value { return b } else { return nil } }
    public var string: String? { data.map { String(decoding: $0, as: UTF8.self) } }
}

/// Why bytes are not a protobuf message.
public struct ProtobufError: Error, CustomStringConvertible, Equatable {
    public let description: String
}

public enum ProtobufReader {
    /// The fields of one message, in order. Throws on a truncated field or an unknown wire type.
    public static func fields(_ bytes: [UInt8]) throws -> [ProtobufField] {
        var fields: [ProtobufField] = []
        var index = 0
        func varint() throws -> UInt64 {
            var result: UInt64 = 0, shift: UInt64 = 0
            while true {
                guard index < bytes.count, shift < 64 else { throw ProtobufError(description: "a varint runs past the end at byte \(index)") }
                let byte = bytes[index]
                index += 1
                result |= UInt64(byte & 0x7F) << shift
                if byte & 0x80 == 0 { return result }
                shift += 7
            }
        }
        while index < bytes.count {
            let key = try varint()
            let number = Int(key >> 3)
            guard number > 0 else { throw ProtobufError(description: "field number 0 at byte \(index)") }
            switch key & 7 {
            case 0: fields.append(ProtobufField(number: number, value: .integer(try varint())))
            case 1:
                guard index + 8 <= bytes.count else { throw ProtobufError(description: "a 64-bit field runs past the end") }
                var value: UInt64 = 0
                for offset in 0..<8 { value |= UInt64(bytes[index + offset]) << (8 * UInt64(offset)) }
                index += 8
                fields.append(ProtobufField(number: number, value: .fixed64(value)))
            case 2:
                let length = try varint()
                guard length <= UInt64(bytes.count - index) else {
                    throw ProtobufError(description: "field \(number) claims \(length) bytes, \(bytes.count - index) are left")
                }
                fields.append(ProtobufField(number: number, value: .bytes(Array(bytes[index..<index + Int(length)]))))
                index += Int(length)
            case 5:
                guard index + 4 <= bytes.count else { throw ProtobufError(description: "a 32-bit field runs past the end") }
                var value: UInt32 = 0
                for offset in 0..<4 { value |= UInt32(bytes[index + offset]) << (8 * UInt32(offset)) }
                index += 4
                fields.append(ProtobufField(number: number, value: .fixed32(value)))
            default:
                throw ProtobufError(description: "unknown wire type \(key & 7) at byte \(index)")
            }
        }
        return fields
    }
}
