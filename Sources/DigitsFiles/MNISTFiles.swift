// MNISTFiles.swift — load the four MNIST IDX files from a directory, and decide which directory that is.
//
// `MNIST.load` checks shapes, counts and labels and names missing files; `DataLocation` resolves
// --data, then $DIGITS_DATA, then the per-user cache. Downloading lives in MNISTDownload.swift.

import Foundation
import NeuralNetwork

/// Errors from loading MNIST. Malformed files throw `IDXError`, unreadable ones `FileError`.
public enum MNISTError: Error, CustomStringConvertible, Equatable {
    /// Some of the four files are absent from `directory` (`missing` lists their .gz names).
    case missingFiles(directory: String, missing: [String])
    /// An images file whose shape is not N×28×28.
    case wrongImageShape(path: String, shape: [Int])
    /// A labels file whose shape is not N.
    case wrongLabelShape(path: String, shape: [Int])
    /// Images and labels disagree on the count.
    case countMismatch(imagesPath: String, images: Int, labelsPath: String, labels: Int)
    /// A label outside 0–9.
    case badLabel(path: String, index: Int, value: UInt8)

    public var description: String {
        switch self {
        case .missingFiles(let directory, let missing):
            return "MNIST files missing in \(directory): \(missing.joined(separator: ", ")) "
                + "(uncompressed copies without .gz also work); run `digits data download --to \(directory)` to fetch them"
        case .wrongImageShape(let path, let shape):
            return "\(path): expected MNIST images of shape N×28×28, found \(shapeText(shape)); is this the right file?"
        case .wrongLabelShape(let path, let shape):
            return "\(path): expected MNIST labels of shape N, found \(shapeText(shape)); is this the right file?"
        case .countMismatch(let imagesPath, let images, let labelsPath, let labels):
            return "\(imagesPath) has \(images) images but \(labelsPath) has \(labels) labels; "
                + "they must match: download both files again"
        case .badLabel(let path, let index, let value):
            return "\(path): expected labels 0–9, found \(value) at index \(index); the file is damaged: download it again"
        }
    }
}

/// The MNIST file set: names, and loading all four into datasets.
public enum MNIST {
    /// The four files' base names (without .gz), in the order train images, train labels, test images, test labels.
    public static let baseNames = [
        "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
    ]
    /// The four compressed file names as distributed (`train-images-idx3-ubyte.gz`, …).
    public static let fileNames = baseNames.map { $0 + ".gz" }
    /// Image height and width.
    public static let side = 28

    /// Loads the training set (60,000 images) and test set (10,000) from `directory`.
    ///
    /// Each file may be `NAME.gz` or uncompressed `NAME` (the .gz is preferred when both exist).
    /// Images must be N×28×28 unsigned bytes, labels N bytes with values 0–9, and the counts must match.
    /// Throws `MNISTError.missingFiles` naming every absent file, or `IDXError` / `FileError` / `MNISTError`.
    public static func load(directory: String) throws -> (train: LabeledImages, test: LabeledImages) {
        var paths = [String]()
        var missing = [String]()
        for base in baseNames {
            let gz = join(directory, base + ".gz"), raw = join(directory, base)
            if FileManager.default.fileExists(atPath: gz) { paths.append(gz) }
            else if FileManager.default.fileExists(atPath: raw) { paths.append(raw) }
            else { missing.append(base + ".gz") }
        }
        guard missing.isEmpty else { throw MNISTError.missingFiles(directory: directory, missing: missing) }
        // Train images dominate (47 MB inflated); decode them on a second thread while the rest load here.
        let trainImages = Background { try IDXFile.read(path: paths[0]) }
        let testImages = try IDXFile.read(path: paths[2])
        let trainLabels = try IDXFile.read(path: paths[1])
        let testLabels = try IDXFile.read(path: paths[3])
        let train = try dataset(images: trainImages.value(), imagesPath: paths[0], labels: trainLabels, labelsPath: paths[1])
        let test = try dataset(images: testImages, imagesPath: paths[2], labels: testLabels, labelsPath: paths[3])
        return (train, test)
    }

    /// Checks one images/labels pair and joins them into a dataset.
    public static func dataset(images: IDXArray, imagesPath: String, labels: IDXArray, labelsPath: String) throws -> LabeledImages {
        guard images.shape.count == 3, images.shape[1] == side, images.shape[2] == side else {
            throw MNISTError.wrongImageShape(path: imagesPath, shape: images.shape)
        }
        guard labels.shape.count == 1 else { throw MNISTError.wrongLabelShape(path: labelsPath, shape: labels.shape) }
        guard images.shape[0] == labels.shape[0] else {
            throw MNISTError.countMismatch(imagesPath: imagesPath, images: images.shape[0], labelsPath: labelsPath, labels: labels.shape[0])
        }
        if let index = labels.bytes.firstIndex(where: { $0 > 9 }) {
            throw MNISTError.badLabel(path: labelsPath, index: index, value: labels.bytes[index])
        }
        return LabeledImages(pixels: images.bytes, labels: labels.bytes, height: side, width: side)
    }

    /// `directory/name`, without doubling a trailing slash.
    static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}

/// Runs a throwing closure on its own thread; `value()` waits for it.
private final class Background<T>: @unchecked Sendable {
    private var result: Result<T, Error>?
    private let done = DispatchSemaphore(value: 0)

    init(_ work: @escaping () throws -> T) {
        let thread = Thread { [self] in
            result = Result(catching: work)
            done.signal()
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    func value() throws -> T {
        done.wait()
        done.signal()
        return try result!.get()
    }
}

/// Where the MNIST files live, and why that directory was chosen.
public struct DataLocation: Equatable, Sendable {
    /// How the directory was chosen, in order of precedence.
    public enum Source: Equatable, Sendable {
        /// From the command line (`--data DIR`).
        case explicit
        /// From the `DIGITS_DATA` environment variable.
        case environment
        /// The per-user cache: `$XDG_CACHE_HOME/digits/mnist`, `~/.cache/digits/mnist`, or on macOS
        /// `~/Library/Caches/digits/mnist`. The CLI downloads there on first use.
        case userCache
    }

    /// The directory holding (or to hold) the four MNIST files.
    public var directory: String
    /// Which rule chose `directory`.
    public var source: Source

    /// Creates a location.
    public init(directory: String, source: Source) {
        self.directory = directory
        self.source = source
    }

    /// Resolves the MNIST directory: `explicit` (a `--data` value) if given and non-empty, else
    /// `environment["DIGITS_DATA"]` if non-empty, else the per-user cache directory. A leading `~/` is
    /// expanded with `$HOME`. `XDG_CACHE_HOME` is used only when absolute, as the XDG spec says.
    public static func resolve(explicit: String?,
                               environment: [String: String] = ProcessInfo.processInfo.environment) -> DataLocation {
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        func expand(_ path: String) -> String {
            if path == "~" { return home }
            if path.hasPrefix("~/") { return MNIST.join(home, String(path.dropFirst(2))) }
            return path
        }
        if let explicit, !explicit.isEmpty { return DataLocation(directory: expand(explicit), source: .explicit) }
        if let value = environment["DIGITS_DATA"], !value.isEmpty {
            return DataLocation(directory: expand(value), source: .environment)
        }
        #if os(macOS)
        return DataLocation(directory: MNIST.join(home, "Library/Caches/digits/mnist"), source: .userCache)
        #else
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            return DataLocation(directory: MNIST.join(xdg, "digits/mnist"), source: .userCache)
        }
        return DataLocation(directory: MNIST.join(home, ".cache/digits/mnist"), source: .userCache)
        #endif
    }
}
