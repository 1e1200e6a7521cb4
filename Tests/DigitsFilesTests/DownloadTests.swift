// DownloadTests.swift — MNISTDownload with file:// mirrors (synthetic files always, the real MNIST files when
// DIGITS_DATA is set), corrupted mirrors, a refused http connection, and the offline error message.
//
// No test touches the internet; http is exercised only against 127.0.0.1:1, which refuses at once.

import DigitsFiles
import Foundation
import Testing

/// Collects progress reports from the download callback (which may run on another thread).
final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items = [MNISTDownload.Progress]()
    func add(_ item: MNISTDownload.Progress) { lock.lock(); items.append(item); lock.unlock() }
    var all: [MNISTDownload.Progress] { lock.lock(); defer { lock.unlock() }; return items }
}

struct DownloadTests {
    /// A synthetic file list: two small files with their real checksums, placed in a mirror directory.
    func syntheticMirror(_ dir: FilesTestDirectory) throws -> [MNISTDownload.File] {
        try AtomicFile.createDirectories(dir.file("good"))
        var files = [MNISTDownload.File]()
        for (name, seed) in [("a.gz", 1), ("b.gz", 2)] {
            let bytes = (0..<5000).map { UInt8(truncatingIfNeeded: $0 * seed + $0 / 7) }
            try AtomicFile.write(bytes, to: dir.file("good/\(name)"))
            files.append(.init(name: name, sha256: SHA256.hexDigest(bytes)))
        }
        return files
    }

    @Test func fetchesFromAFileMirrorVerifiesAndSkipsPresentFiles() throws {
        let dir = FilesTestDirectory()
        defer { dir.remove() }
        let files = try syntheticMirror(dir)
        let log = ProgressLog()
        let outcomes = try MNISTDownload.download(to: dir.file("out"), mirrors: ["file://" + dir.file("good")], files: files,
                                                  progress: { log.add($0) })
        #expect(outcomes.map(\.1) == [.downloaded(mirror: "file://" + dir.file("good/")), .downloaded(mirror: "file://" + dir.file("good/"))])
        #expect(try FileBytes.read(path: dir.file("out/a.gz")) == FileBytes.read(path: dir.file("good/a.gz")))
        #expect(log.all.last?.received == 5000 && log.all.last?.total == 5000 && log.all.last?.fileIndex == 1)
        let again = try MNISTDownload.download(to: dir.file("out"), mirrors: [], files: files)
        #expect(again.map(\.1) == [.alreadyPresent, .alreadyPresent])
        #expect(dir.names() == ["good", "out"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.file("out")).sorted() == ["a.gz", "b.gz"])
    }

    @Test func corruptedMirrorFallsThroughToTheNext() throws {
        let dir = FilesTestDirectory()
        defer { dir.remove() }
        let files = try syntheticMirror(dir)
        try AtomicFile.createDirectories(dir.file("bad"))
        var damaged = try FileBytes.read(path: dir.file("good/a.gz"))
        damaged[100] ^= 1
        try AtomicFile.write(damaged, to: dir.file("bad/a.gz"))
        // A wrong local copy is replaced, not trusted.
        try AtomicFile.createDirectories(dir.file("out"))
        try AtomicFile.write(damaged, to: dir.file("out/a.gz"))
        let outcomes = try MNISTDownload.download(
            to: dir.file("out"), mirrors: ["file://" + dir.file("bad"), "file://" + dir.file("good")], files: files)
        #expect(outcomes.map(\.1) == [.downloaded(mirror: "file://" + dir.file("good/")), .downloaded(mirror: "file://" + dir.file("good/"))])
        #expect(try SHA256.hexDigest(FileBytes.read(path: dir.file("out/a.gz"))) == files[0].sha256)
    }

    @Test func refusedHTTPConnectionFailsFastAndFallsThrough() throws {
        let dir = FilesTestDirectory()
        defer { dir.remove() }
        let files = try syntheticMirror(dir)
        let start = ContinuousClock.now
        let outcomes = try MNISTDownload.download(to: dir.file("out"), mirrors: ["http://127.0.0.1:1/mnist/", "file://" + dir.file("good")],
                                                  files: files, timeout: 10)
        #expect(secondsSince(start) < 8)
        #expect(outcomes.map(\.1) == [.downloaded(mirror: "file://" + dir.file("good/")), .downloaded(mirror: "file://" + dir.file("good/"))])
    }

    @Test func everyMirrorFailingGivesTheOfflineInstructions() throws {
        let dir = FilesTestDirectory()
        defer { dir.remove() }
        try AtomicFile.createDirectories(dir.file("emptymirror"))
        let target = dir.file("mnist")
        let error = #expect(throws: DownloadError.self) {
            try MNISTDownload.download(to: target, mirrors: ["file://" + dir.file("emptymirror"), "http://127.0.0.1:1/", "ftp://x/"], timeout: 5)
        }
        guard case .allMirrorsFailed(let directory, let missing, let attempts) = error else { Issue.record("no error"); return }
        #expect(directory == target && missing == MNISTDownload.files && attempts.count == 12)
        let message = error?.description ?? ""
        #expect(message.hasPrefix("could not download MNIST (no network?). Put these files in \(target): "))
        for file in MNISTDownload.files { #expect(message.contains("\(file.name) (sha256 \(file.sha256))")) }
        #expect(message.contains("DIGITS_DATA") && !message.contains("\n"))
        #expect(message.contains("unsupported URL scheme ftp"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: target).isEmpty)  // nothing partial left behind
    }

    @Test func checksumsMatchTheDistribution() {
        #expect(MNISTDownload.files.map(\.name) == MNIST.fileNames)
        #expect(MNISTDownload.files.allSatisfy { $0.sha256.count == 64 })
    }

    @Test(.enabled(if: mnistDirectory != nil, "set DIGITS_DATA to the MNIST directory to run"))
    func realFilesFromAFileMirror() throws {
        let dir = FilesTestDirectory()
        defer { dir.remove() }
        // Mirror 1 holds a truncated train-labels file; mirror 2 is the real directory.
        try AtomicFile.createDirectories(dir.file("bad"))
        let labels = try FileBytes.read(path: mnistDirectory! + "/train-labels-idx1-ubyte.gz")
        try AtomicFile.write(Array(labels.prefix(1000)), to: dir.file("bad/train-labels-idx1-ubyte.gz"))
        let log = ProgressLog()
        let outcomes = try MNISTDownload.download(to: dir.file("mnist"), mirrors: ["file://" + dir.file("bad"), "file://" + mnistDirectory!],
                                                  progress: { log.add($0) })
        #expect(outcomes.count == 4)
        #expect(Set(log.all.map(\.file)) == Set(MNIST.fileNames))
        let (train, test) = try MNIST.load(directory: dir.file("mnist"))
        #expect(train.count == 60_000 && test.count == 10_000)
    }
}
