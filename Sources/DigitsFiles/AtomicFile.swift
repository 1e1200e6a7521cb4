// AtomicFile.swift — whole-file reads and crash-safe whole-file writes, with errors that name the path.
//
// Writes go to a temporary file in the target's directory, are fsync'ed, then renamed over the target, so a
// reader sees either the old file or the new one, never a partial file. Not a streaming or locking API.

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Errors from reading or writing files. Every message names the path and the operating system's reason.
public enum FileError: Error, CustomStringConvertible, Equatable {
    /// No file at `path`.
    case notFound(path: String)
    /// `path` is a directory where a file was expected.
    case isDirectory(path: String)
    /// The operating system refused access (`reason` is its message).
    case permissionDenied(path: String, reason: String)
    /// The directory that should hold `path` does not exist.
    case directoryMissing(path: String, directory: String)
    /// Reading failed for another reason (`reason` is the operating system's message).
    case readFailed(path: String, reason: String)
    /// Writing failed for another reason (`reason` is the operating system's message).
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .notFound(let path):
            return "\(path): no such file; check the path"
        case .isDirectory(let path):
            return "\(path): expected a file, found a directory; give the path of a file inside it"
        case .permissionDenied(let path, let reason):
            return "\(path): permission denied (\(reason)); check the file's and directory's permissions"
        case .directoryMissing(let path, let directory):
            return "cannot write \(path): directory \(directory) does not exist; create it first"
        case .readFailed(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .writeFailed(let path, let reason):
            return "cannot write \(path): \(reason); check free disk space and permissions"
        }
    }
}

/// The operating system's message for `code` (strerror).
func systemReason(_ code: Int32) -> String { String(cString: strerror(code)) }

/// Reads whole files into memory.
public enum FileBytes {
    /// Returns the bytes of the file at `path` (at most `maximumSize` bytes, 4 GiB by default, so that a
    /// device such as /dev/zero cannot exhaust memory).
    ///
    /// Throws `FileError.notFound`, `.isDirectory`, `.permissionDenied` or `.readFailed`.
    public static func read(path: String, maximumSize: Int = 1 << 32) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            switch code {
            case ENOENT, ENOTDIR: throw FileError.notFound(path: path)
            case EACCES, EPERM: throw FileError.permissionDenied(path: path, reason: systemReason(code))
            case EISDIR: throw FileError.isDirectory(path: path)
            default: throw FileError.readFailed(path: path, reason: systemReason(code))
            }
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FileError.readFailed(path: path, reason: systemReason(errno)) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw FileError.isDirectory(path: path) }
        // st_size is a hint (0 for pipes and /proc files): read until end of file, growing as needed.
        var capacity = min(max(Int(info.st_size), 0), maximumSize) + 1
        var bytes = [UInt8]()
        var count = 0
        while true {
            if count == capacity {
                guard capacity <= maximumSize else {
                    throw FileError.readFailed(path: path, reason: "larger than \(maximumSize) bytes, too large to be a digits data file")
                }
                capacity = min(capacity * 2, maximumSize + 1)
            }
            bytes.reserveCapacity(capacity)
            bytes.append(contentsOf: repeatElement(0, count: capacity - bytes.count))
            let got = bytes.withUnsafeMutableBytes { buffer -> Int in
                Glibc_read(fd, buffer.baseAddress! + count, capacity - count)
            }
            if got < 0 {
                if errno == EINTR { continue }
                let code = errno
                if code == EISDIR { throw FileError.isDirectory(path: path) }
                throw FileError.readFailed(path: path, reason: systemReason(code))
            }
            if got == 0 { break }
            count += got
        }
        bytes.removeLast(bytes.count - count)
        return bytes
    }
}

/// `read(2)` under a name that does not clash with `FileBytes.read`.
@inline(__always)
private func Glibc_read(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    #if canImport(Darwin)
    return Darwin.read(fd, buffer, count)
    #elseif canImport(Musl)
    return Musl.read(fd, buffer, count)
    #else
    return Glibc.read(fd, buffer, count)
    #endif
}

/// Crash-safe whole-file writes: temp file in the same directory, fsync, rename, fsync the directory.
public enum AtomicFile {
    /// Replaces (or creates) the file at `path` with `bytes`, atomically.
    ///
    /// The data goes to `.NAME.tmp-PID-RANDOM` beside the target, is flushed to disk, and is renamed over
    /// `path`; the directory is then flushed so the rename survives a crash. On any failure the temporary
    /// file is removed and a `FileError` naming the path and the reason is thrown. The parent directory
    /// must exist (see `createDirectories(_:)`). New files get mode 0644 (less the umask).
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let (directory, name) = split(path)
        guard !name.isEmpty, name != ".", name != ".." else { throw FileError.isDirectory(path: path) }
        let temp = (directory == "" ? "" : directory + "/") + ".\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if fd < 0 {
            let code = errno
            let shownDirectory = directory.isEmpty ? "." : directory
            switch code {
            case ENOENT, ENOTDIR: throw FileError.directoryMissing(path: path, directory: shownDirectory)
            case EACCES, EPERM, EROFS:
                throw FileError.permissionDenied(path: path, reason: systemReason(code) + " in directory \(shownDirectory)")
            default: throw FileError.writeFailed(path: path, reason: systemReason(code))
            }
        }
        var closed = false
        do {
            try bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let wrote = Glibc_write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                    if wrote < 0 {
                        if errno == EINTR { continue }
                        throw FileError.writeFailed(path: path, reason: systemReason(errno))
                    }
                    offset += wrote
                }
            }
            if fsync(fd) != 0 { throw FileError.writeFailed(path: path, reason: systemReason(errno)) }
            closed = true
            if close(fd) != 0 { throw FileError.writeFailed(path: path, reason: systemReason(errno)) }
            if rename(temp, path) != 0 {
                let code = errno
                if code == EISDIR || code == ENOTEMPTY || code == EEXIST { throw FileError.isDirectory(path: path) }
                if code == EACCES || code == EPERM { throw FileError.permissionDenied(path: path, reason: systemReason(code)) }
                throw FileError.writeFailed(path: path, reason: systemReason(code))
            }
        } catch {
            if !closed { close(fd) }
            unlink(temp)
            throw error
        }
        // Flush the directory entry; some file systems refuse fsync on directories, which is harmless.
        let directoryFD = open(directory.isEmpty ? "." : directory, O_RDONLY | O_CLOEXEC)
        if directoryFD >= 0 {
            _ = fsync(directoryFD)
            close(directoryFD)
        }
    }

    /// Creates `directory` and any missing parents (like `mkdir -p`); does nothing if it exists.
    /// Throws `FileError.writeFailed` or `.permissionDenied` naming the directory.
    public static func createDirectories(_ directory: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            if isDirectory.boolValue { return }
            throw FileError.writeFailed(path: directory, reason: "a file with that name exists where a directory is needed")
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            if access(parentOf(directory), W_OK) != 0 && errno == EACCES {
                throw FileError.permissionDenied(path: directory, reason: systemReason(EACCES))
            }
            throw FileError.writeFailed(path: directory, reason: "could not create the directory (\(error.localizedDescription))")
        }
    }

    /// Splits "a/b/c" into ("a/b", "c"); "c" into ("", "c"); "/c" into ("/", "c").
    static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        let name = String(path[path.index(after: slash)...])
        let directory = String(path[..<slash])
        return (directory.isEmpty ? "/" : directory, name)
    }

    /// The nearest existing-looking parent of `path` for permission messages.
    private static func parentOf(_ path: String) -> String {
        let directory = split(path).directory
        return directory.isEmpty ? "." : directory
    }
}

/// `write(2)` under a name that does not clash with `AtomicFile.write`.
@inline(__always)
private func Glibc_write(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Darwin)
    return Darwin.write(fd, buffer, count)
    #elseif canImport(Musl)
    return Musl.write(fd, buffer, count)
    #else
    return Glibc.write(fd, buffer, count)
    #endif
}
