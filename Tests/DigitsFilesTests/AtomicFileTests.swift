// AtomicFileTests.swift — whole-file reads and atomic writes, and the temp-directory helper other suites use.
//
// Covers round trips, overwrite, leftover temp files, and every FileError path that a test can provoke.

import DigitsFiles
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A fresh, uniquely named directory under the system temp directory, removed by `remove()`.
struct FilesTestDirectory {
    let path: String

    init(_ label: String = #function) {
        let safe = label.filter { $0.isLetter || $0.isNumber }
        path = FileManager.default.temporaryDirectory.path + "/digits-files-\(safe)-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }
    func names() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() }
    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// The MNIST directory from `DIGITS_DATA`, when set and holding the files.
let mnistDirectory: String? = {
    guard let directory = ProcessInfo.processInfo.environment["DIGITS_DATA"], !directory.isEmpty else { return nil }
    return FileManager.default.fileExists(atPath: directory + "/train-labels-idx1-ubyte.gz") ? directory : nil
}()

/// Seconds elapsed since `start` on the continuous clock.
func secondsSince(_ start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

/// True when running as root (permission tests cannot fail for root).
let isRoot = getuid() == 0

struct AtomicFileTests {
    @Test func writeThenReadRoundTrips() throws {
        let dir = FilesTestDirectory()
        defer { dir.remove() }
        let bytes = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try AtomicFile.write(bytes, to: dir.file("a.bin"))
        #expect(try FileBytes.read(path: dir.file("a.bin")) == bytes)
        try AtomicFile.write([1, 2, 3], to: dir.file("a.bin"))  // overwrite, shorter
        #expect(try FileBytes.read(path: dir.file("a.bin")) == [1, 2, 3])
        try AtomicFile.write([], to: dir.file("empty"))
        #expect(try FileBytes.read(path: dir.file("empty")) == [])
        #expect(dir.names() == ["a.bin", "empty"])  // no temp files left behind
    }

    @Test func missingDirectoryIsNamed() throws {
        let dir = FilesTestDirectory()
        defer { dir.remove() }
        let target = dir.file("nope/sub/x.bin")
        let error = #expect(throws: FileError.self) { try AtomicFile.write([1], to: target) }
        #expect(error == .directoryMissing(path: target, directory: dir.file("nope/sub")))
        #expect(error?.description.contains(dir.file("nope/sub")) == true)
        #expect(error?.description.contains("create it") == true)
    }

    @Test func writingOverADirectoryFails() throws {
        let dir = FilesTestDirectory()
        defer { dir.remove() }
        try AtomicFile.createDirectories(dir.file("sub"))
        #expect(throws: FileError.isDirectory(path: dir.file("sub"))) { try AtomicFile.write([1], to: dir.file("sub")) }
        #expect(throws: FileError.isDirectory(path: dir.file("sub/"))) { try AtomicFile.write([1], to: dir.file("sub/")) }
        #expect(dir.names() == ["sub"])  // temp file removed
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.file("sub")).isEmpty)
    }

    @Test(.enabled(if: !isRoot, "root ignores file permissions"))
    func permissionDeniedSaysSo() throws {
        let dir = FilesTestDirectory()
        defer {
            chmod(dir.file("locked"), 0o755)
            dir.remove()
        }
        try AtomicFile.createDirectories(dir.file("locked"))
        try AtomicFile.write([1], to: dir.file("secret"))
        chmod(dir.file("locked"), 0o555)
        chmod(dir.file("secret"), 0o000)
        let writeError = #expect(throws: FileError.self) { try AtomicFile.write([1], to: dir.file("locked/x")) }
        #expect(writeError?.description.contains("permission denied") == true)
        let readError = #expect(throws: FileError.self) { try FileBytes.read(path: dir.file("secret")) }
        #expect(readError?.description.contains(dir.file("secret")) == true)
        chmod(dir.file("secret"), 0o644)
    }

    @Test func readErrors() throws {
        let dir = FilesTestDirectory()
        defer { dir.remove() }
        let missing = dir.file("missing.gz")
        let error = #expect(throws: FileError.self) { try FileBytes.read(path: missing) }
        #expect(error == .notFound(path: missing))
        #expect(error?.description.contains(missing) == true)
        #expect(throws: FileError.isDirectory(path: dir.path)) { try FileBytes.read(path: dir.path) }
        #expect(throws: FileError.notFound(path: dir.file("missing.gz/x"))) { try FileBytes.read(path: dir.file("missing.gz/x")) }
    }

    #if os(Linux)
    @Test func readsFilesWhoseSizeIsUnknown() throws {
        // /proc files report size 0; the reader must keep reading to the end.
        let bytes = try FileBytes.read(path: "/proc/self/status")
        #expect(String(decoding: bytes, as: UTF8.self).contains("Name:"))
        // An endless device stops at the size cap instead of eating memory.
        #expect(throws: FileError.self) { try FileBytes.read(path: "/dev/zero", maximumSize: 1000) }
    }
    #endif

    @Test func createDirectoriesMakesParentsAndToleratesExisting() throws {
        let dir = FilesTestDirectory()
        defer { dir.remove() }
        try AtomicFile.createDirectories(dir.file("a/b/c"))
        try AtomicFile.createDirectories(dir.file("a/b/c"))
        try AtomicFile.write([1], to: dir.file("a/b/c/f"))
        #expect(throws: FileError.self) { try AtomicFile.createDirectories(dir.file("a/b/c/f")) }
    }

    @Test func errorMessagesAreOneLine() {
        let errors: [FileError] = [
            .notFound(path: "/x"), .isDirectory(path: "/x"), .permissionDenied(path: "/x", reason: "Permission denied"),
            .directoryMissing(path: "/x/y", directory: "/x"), .readFailed(path: "/x", reason: "I/O error"),
            .writeFailed(path: "/x", reason: "No space left on device"),
        ]
        for error in errors {
            #expect(!error.description.contains("\n"))
            #expect(error.description.contains("/x"))
        }
    }
}
