// TarArchive.swift — writing a plain (ustar) tar archive: several files in one download.
//
// Layout: for each file a 512-byte header (name, mode, size and mtime in octal ASCII, a checksum, the
// "ustar" magic), then its bytes padded to a multiple of 512; two zero blocks end the archive.
// `tar xf` and Python's `tarfile` read it.

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
