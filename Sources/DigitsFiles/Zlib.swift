// Zlib.swift — inflate and deflate through the system zlib.
//
// Two stream flavours are used in this project: gzip members (MNIST's .gz files) and raw zlib streams
// (inside PNG IDAT chunks). `Zlib.inflate` handles both; the caller states which it expects, and a cap on
// the output size keeps a hostile "zip bomb" from exhausting memory.

import CZlib

/// Errors from compressing or decompressing bytes.
public enum CompressionError: Error, CustomStringConvertible, Equatable {
    /// The stream is not valid compressed data (bad header, bad checksum, bad block).
    case corrupt(String)
    /// The stream ended before its end marker.
    case truncated
    /// Decompressing would produce more than the allowed number of bytes.
    case tooLarge(limit: Int)

    public var description: String {
        switch self {
        case .corrupt(let why):
            return "corrupt compressed data (\(why)); the file is damaged: download or export it again"
        case .truncated:
            return "compressed data ends early: the file is truncated; download or export it again"
        case .tooLarge(let limit):
            return "compressed data expands past \(limit) bytes, more than any valid file of this kind"
        }
    }
}

/// Thin, safe wrappers around zlib's streaming API.
public enum Zlib {
    /// Which header the compressed stream carries.
    public enum Format: Sendable {
        /// RFC 1952 gzip (`.gz` files). Concatenated members are decoded one after another.
        case gzip
        /// RFC 1950 zlib (PNG image data).
        case zlib

        var windowBits: Int32 { self == .gzip ? 15 + 16 : 15 }
    }

    /// True when `bytes` starts with the gzip magic number 1f 8b.
    public static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
    }

    /// Decompresses a whole stream held in memory.
    /// - Parameters:
    ///   - input: the compressed bytes.
    ///   - format: gzip or zlib framing.
    ///   - limit: the most bytes the output may hold; more throws `CompressionError.tooLarge`.
    public static func inflate(_ input: [UInt8], format: Format, limit: Int = 1 << 31) throws -> [UInt8] {
        var output = [UInt8]()
        output.reserveCapacity(min(limit, max(1024, input.count * 4)))
        var stream = z_stream()
        guard inflateInit2_(&stream, format.windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw CompressionError.corrupt("zlib could not start")
        }
        defer { inflateEnd(&stream) }
        let chunkSize = 1 << 18
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        try input.withUnsafeBufferPointer { inputBuffer in
            var consumed = 0
            while true {
                let base = inputBuffer.baseAddress.map { UnsafeMutablePointer(mutating: $0) }
                stream.next_in = base.map { $0 + consumed }
                stream.avail_in = UInt32(inputBuffer.count - consumed)
                var status: Int32 = Z_OK
                repeat {
                    let produced: Int = chunk.withUnsafeMutableBufferPointer { out in
                        stream.next_out = out.baseAddress
                        stream.avail_out = UInt32(chunkSize)
                        status = CZlib.inflate(&stream, Z_NO_FLUSH)
                        return chunkSize - Int(stream.avail_out)
                    }
                    if output.count + produced > limit { throw CompressionError.tooLarge(limit: limit) }
                    output.append(contentsOf: chunk[0..<produced])
                    switch status {
                    case Z_OK, Z_STREAM_END, Z_BUF_ERROR: break
                    case Z_NEED_DICT: throw CompressionError.corrupt("needs a preset dictionary")
                    default:
                        let message = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                        throw CompressionError.corrupt(message)
                    }
                    if status == Z_BUF_ERROR && stream.avail_in == 0 { break }
                } while status != Z_STREAM_END && (stream.avail_out == 0 || stream.avail_in > 0)
                consumed = inputBuffer.count - Int(stream.avail_in)
                if status == Z_STREAM_END {
                    // gzip allows several members back to back; anything else after the end is junk.
                    guard format == .gzip, consumed < inputBuffer.count else { return }
                    if !(inputBuffer[consumed] == 0x1f && consumed + 1 < inputBuffer.count
                        && inputBuffer[consumed + 1] == 0x8b)
                    {
                        // Trailing zero padding is tolerated, as gzip(1) does.
                        if inputBuffer[consumed...].allSatisfy({ $0 == 0 }) { return }
                        throw CompressionError.corrupt("unexpected bytes after the end of the gzip stream")
                    }
                    inflateReset(&stream)
                    continue
                }
                if stream.avail_in == 0 { throw CompressionError.truncated }
            }
        }
        return output
    }

    /// Compresses `input` (level 6, zlib's default balance of speed and size).
    public static func deflate(_ input: [UInt8], format: Format, level: Int32 = 6) throws -> [UInt8] {
        var stream = z_stream()
        guard deflateInit2_(&stream, level, Z_DEFLATED, format.windowBits, 8, Z_DEFAULT_STRATEGY,
                             ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK
        else { throw CompressionError.corrupt("zlib could not start the compressor") }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, UInt(input.count))) + 64
        var output = [UInt8](repeating: 0, count: bound)
        let written: Int = try input.withUnsafeBufferPointer { inputBuffer in
            try output.withUnsafeMutableBufferPointer { out in
                stream.next_in = inputBuffer.baseAddress.map { UnsafeMutablePointer(mutating: $0) }
                stream.avail_in = UInt32(inputBuffer.count)
                stream.next_out = out.baseAddress
                stream.avail_out = UInt32(bound)
                guard CZlib.deflate(&stream, Z_FINISH) == Z_STREAM_END else {
                    throw CompressionError.corrupt("zlib could not finish the stream")
                }
                return bound - Int(stream.avail_out)
            }
        }
        output.removeLast(bound - written)
        return output
    }
}
