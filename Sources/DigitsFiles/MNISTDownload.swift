// MNISTDownload.swift — the backend of `digits data download`: fetch the four MNIST .gz files, verify SHA-256.
//
// Tries each mirror in order (http, https or file://), reports progress through a callback, and only ever
// places verified bytes under the final name (atomic write). Not a general HTTP client: no resume, no proxy setup.

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Errors from downloading MNIST.
public enum DownloadError: Error, CustomStringConvertible, Equatable {
    /// Every mirror failed for the files in `missing`; `attempts` says what went wrong at each.
    case allMirrorsFailed(directory: String, missing: [MNISTDownload.File], attempts: [String])

    public var description: String {
        switch self {
        case .allMirrorsFailed(let directory, let missing, let attempts):
            let list = missing.map { "\($0.name) (sha256 \($0.sha256))" }.joined(separator: ", ")
            return "could not download MNIST (no network?). Put these files in \(directory): \(list); "
                + "or set DIGITS_DATA to a directory that has them. Tried: \(attempts.joined(separator: "; "))"
        }
    }
}

/// Downloads and verifies the MNIST distribution files.
public enum MNISTDownload {
    /// One file to fetch: its name on the mirrors and on disk, and the SHA-256 of its bytes (lowercase hex).
    public struct File: Equatable, Sendable {
        public var name: String
        public var sha256: String
        public init(name: String, sha256: String) {
            self.name = name
            self.sha256 = sha256
        }
    }

    /// The four original MNIST .gz files and their SHA-256 checksums.
    public static let files = [
        File(name: "train-images-idx3-ubyte.gz", sha256: "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"),
        File(name: "train-labels-idx1-ubyte.gz", sha256: "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"),
        File(name: "t10k-images-idx3-ubyte.gz", sha256: "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"),
        File(name: "t10k-labels-idx1-ubyte.gz", sha256: "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"),
    ]

    /// Public mirrors, tried in order; each is a base URL to which a file name is appended.
    public static let defaultMirrors = [
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "https://storage.googleapis.com/cvdf-datasets/mnist/",
        "http://yann.lecun.com/exdb/mnist/",
    ]

    /// Progress of one file: `received` bytes so far of `total` (nil when the server did not say).
    public struct Progress: Sendable {
        public var file: String
        /// Position of the file in the list, from 0, and the number of files being fetched.
        public var fileIndex: Int, fileCount: Int
        public var received: Int64
        public var total: Int64?
        /// The mirror base URL in use.
        public var mirror: String
    }

    /// What happened to one file.
    public enum Outcome: Equatable, Sendable {
        /// Already present with the right checksum; left alone.
        case alreadyPresent
        /// Fetched from this mirror base URL and verified.
        case downloaded(mirror: String)
    }

    /// Makes sure `directory` holds all `files` with matching SHA-256, downloading what is missing or wrong.
    ///
    /// For each file: skip it if present and verified; otherwise try `mirrors` in order, verify the bytes,
    /// and write them atomically (a partial download never appears under the final name). A failed request
    /// or checksum mismatch moves on to the next mirror. `timeout` bounds each request's idle time (seconds).
    /// Creates `directory` if needed. Returns each file's outcome, in order.
    /// Throws `DownloadError.allMirrorsFailed` (listing every file still missing and its checksum) or `FileError`.
    public static func download(to directory: String, mirrors: [String] = defaultMirrors, files: [File] = files,
                                timeout: TimeInterval = 30,
                                progress: @escaping @Sendable (Progress) -> Void = { _ in }) throws -> [(File, Outcome)] {
        try AtomicFile.createDirectories(directory)
        var outcomes = [(File, Outcome)]()
        var failed = [File]()
        var attempts = [String]()
        for (index, file) in files.enumerated() {
            let target = MNIST.join(directory, file.name)
            if let bytes = try? FileBytes.read(path: target), SHA256.hexDigest(bytes) == file.sha256 {
                outcomes.append((file, .alreadyPresent))
                continue
            }
            var verified: (bytes: [UInt8], mirror: String)?
            for mirror in mirrors {
                let base = mirror.hasSuffix("/") ? mirror : mirror + "/"
                let url = base + file.name
                do {
                    let bytes = try fetch(url, timeout: timeout) { received, total in
                        progress(Progress(file: file.name, fileIndex: index, fileCount: files.count,
                                          received: received, total: total, mirror: base))
                    }
                    let digest = SHA256.hexDigest(bytes)
                    guard digest == file.sha256 else {
                        attempts.append("\(url): checksum \(digest.prefix(12))… does not match the expected \(file.sha256.prefix(12))…")
                        continue
                    }
                    verified = (bytes, base)
                    break
                } catch {
                    attempts.append("\(url): \(oneLine("\(error)", limit: 200))")
                }
            }
            if let verified {
                // A write failure is the local disk's fault, not the mirror's: it propagates as FileError.
                try AtomicFile.write(verified.bytes, to: target)
                outcomes.append((file, .downloaded(mirror: verified.mirror)))
            } else {
                failed.append(file)
            }
        }
        if !failed.isEmpty { throw DownloadError.allMirrorsFailed(directory: directory, missing: failed, attempts: attempts) }
        return outcomes
    }

    /// The bytes at `url`: `file://` read from disk, http(s) through URLSession with status 200 required.
    static func fetch(_ url: String, timeout: TimeInterval, progress: @escaping @Sendable (Int64, Int64?) -> Void) throws -> [UInt8] {
        if url.lowercased().hasPrefix("file://") {
            // Taken literally (paths with spaces need no escaping); %-escapes are decoded when present.
            let raw = String(url.dropFirst(7))
            let bytes = try FileBytes.read(path: raw.removingPercentEncoding ?? raw)
            progress(Int64(bytes.count), Int64(bytes.count))
            return bytes
        }
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased() else {
            throw FetchError("not a valid URL")
        }
        guard scheme == "http" || scheme == "https" else { throw FetchError("unsupported URL scheme \(scheme)") }
        let delegate = DownloadDelegate(progress: progress)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = max(timeout, 600)
        let session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
        var request = URLRequest(url: parsed)
        request.timeoutInterval = timeout
        session.dataTask(with: request).resume()
        delegate.finished.wait()
        session.finishTasksAndInvalidate()
        return try delegate.result()
    }
}

/// A one-line reason a mirror failed.
struct FetchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Collects a data task's bytes, checks the status, and reports progress.
private final class DownloadDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    let finished = DispatchSemaphore(value: 0)
    private let progress: @Sendable (Int64, Int64?) -> Void
    private let lock = NSLock()
    private var data = [UInt8]()
    private var total: Int64?
    private var failure: String?

    init(progress: @escaping @Sendable (Int64, Int64?) -> Void) { self.progress = progress }

    func result() throws -> [UInt8] {
        lock.lock(); defer { lock.unlock() }
        if let failure { throw FetchError(failure) }
        return data
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard status == 200 else {
            lock.lock(); failure = "HTTP status \(status), expected 200"; lock.unlock()
            completionHandler(.cancel)
            return
        }
        let expected = response.expectedContentLength
        lock.lock()
        total = expected > 0 ? expected : nil
        if let total, total < 1 << 30 { data.reserveCapacity(Int(total)) }
        lock.unlock()
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive chunk: Data) {
        lock.lock()
        data.append(contentsOf: chunk)
        let received = Int64(data.count), total = self.total
        lock.unlock()
        progress(received, total)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        lock.lock()
        if let error, failure == nil { failure = oneLine(error.localizedDescription) }
        lock.unlock()
        finished.signal()
    }
}
