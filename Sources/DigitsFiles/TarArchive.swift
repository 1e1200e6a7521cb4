// TarArchive.swift — writing and reading a plain (ustar) tar archive: several files in one download.
//
// Layout: for each file a 512-byte header (name, mode, size and mtime in octal ASCII, a checksum, the
// "ustar" magic), then its bytes padded to a multiple of 512; two zero blocks end the archive.
// `tar xf` and Python's `tarfile` read it.

import Foundation

/// Builds uncompressed ustar archives in memory.
public enum TarArchive {
    /// One member: a regular file.
    public struct Member: Sendable {
        public var name: String
        public var bytes: [UInt8]
        /// Modification time, seconds since 1970.
        public var modified: Int

        /// `name` must be at most 100 bytes of UTF-8.
        public init(name: String, bytes: [UInt8], modified: Int = 0) {
            precondition(name.utf8.count <= 100, "tar member names are at most 100 bytes")
            self.name = name
            self.bytes = bytes
            self.modified = modified
        }
    }

    static let blockSize = 512

    /// The archive holding `members` in order.
    public static func encode(_ members: [Member]) -> [UInt8] {
        var archive: [UInt8] = []
        for member in members {
            archive += header(for: member)
            archive += member.bytes
            archive += [UInt8](repeating: 0, count: (blockSize - member.bytes.count % blockSize) % blockSize)
        }
        archive += [UInt8](repeating: 0, count: 2 * blockSize)
        return archive
    }

    static func header(for member: Member) -> [UInt8] {
        var header = [UInt8](repeating: 0, count: blockSize)
        func put(_ text: String, at offset: Int) {
            for (index, byte) in text.utf8.enumerated() { header[offset + index] = byte }
        }
        func octal(_ value: Int, width: Int) -> String {
            let digits = String(value, radix: 8)
            return String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits   // then a NUL
        }
        put(member.name, at: 0)
        put(octal(0o644, width: 8), at: 100)               // mode
        put(octal(0, width: 8), at: 108)                   // uid
        put(octal(0, width: 8), at: 116)                   // gid
        put(octal(member.bytes.count, width: 12), at: 124) // size
        put(octal(member.modified, width: 12), at: 136)    // mtime
        put("        ", at: 148)                           // checksum field counts as spaces while summing
        put("0", at: 156)                                  // type: regular file
        put("ustar", at: 257)                              // magic "ustar\0"
        put("00", at: 263)                                 // version
        let checksum = header.reduce(0) { $0 + Int($1) }
        put(octal(checksum, width: 7), at: 148)            // six digits, NUL, then the space already there
        return header
    }
}

/// Why bytes are not a tar archive this reader accepts.
public struct TarError: Error, CustomStringConvertible, Equatable {
    public let description: String
}

extension TarArchive {
    /// The regular files of an uncompressed tar archive, in order (directories and other entries are
    /// skipped). Throws `TarError` for a truncated archive, a bad header checksum or a non-octal size.
    public static func decode(_ bytes: [UInt8], path: String? = nil) throws -> [Member] {
        let name = path ?? "the archive"
        var members: [Member] = []
        var offset = 0
        while offset + blockSize <= bytes.count {
            let header = Array(bytes[offset..<offset + blockSize])
            if header.allSatisfy({ $0 == 0 }) { return members }   // the end-of-archive blocks
            func field(_ start: Int, _ length: Int) -> String {
                String(decoding: header[start..<start + length].prefix { $0 != 0 }, as: UTF8.self)
            }
            func octal(_ start: Int, _ length: Int, _ what: String) throws -> Int {
                let text = field(start, length).trimmingCharacters(in: .whitespaces)
                guard let value = Int(text.isEmpty ? "0" : text, radix: 8), value >= 0 else {
                    throw TarError(description: "\(name) is not a tar archive: the \(what) at byte \(offset + start) is \"\(text)\", not an octal number")
                }
                return value
            }
            let recorded = try octal(148, 8, "header checksum")
            var sum = 0
            for (index, byte) in header.enumerated() { sum += (148..<156).contains(index) ? 32 : Int(byte) }
            guard sum == recorded else {
                throw TarError(description: "\(name) is not a tar archive (or is damaged): the header at byte \(offset) has checksum \(recorded), its bytes sum to \(sum)")
            }
            let size = try octal(124, 12, "size")
            let start = offset + blockSize
            guard size <= bytes.count - start else {
                throw TarError(description: "\(name) is truncated: \"\(field(0, 100))\" needs \(size) bytes, \(bytes.count - start) are left")
            }
            let type = header[156]
            if type == 0 || type == UInt8(ascii: "0") {
                members.append(Member(name: field(0, 100), bytes: Array(bytes[start..<start + size])))
            }
            offset = start + (size + blockSize - 1) / blockSize * blockSize
        }
        guard offset == bytes.count || bytes.count == 0 else {
            throw TarError(description: "\(name) is truncated: \(bytes.count - offset) bytes at the end do not make a 512-byte block")
        }
        return members
    }
}
