// MNISTTests.swift — MNIST.load on synthetic IDX files (every check and the missing-files message), the real
// files when DIGITS_DATA is set (counts, labels, pixel sums, load time), and DataLocation's precedence.
//
// Synthetic sets use 28×28 zero images so they are tiny and fast.

import DigitsFiles
import NeuralNetwork
import Testing

struct MNISTTests {
    /// Writes an images file (N×h×w) and a labels file into `dir` under the names for `prefix` ("train"/"t10k").
    func writeSet(_ dir: FilesTestDirectory, prefix: String, images: [Int], labels: [UInt8], gzip: Bool = true) throws {
        let count = images.reduce(1, *)
        let suffix = gzip ? ".gz" : ""
        try IDXFile.write(IDXArray(shape: images, bytes: (0..<count).map { UInt8(truncatingIfNeeded: $0) }),
                          to: dir.file("\(prefix)-images-idx3-ubyte\(suffix)"), gzip: gzip)
        try IDXFile.write(IDXArray(shape: [labels.count], bytes: labels), to: dir.file("\(prefix)-labels-idx1-ubyte\(suffix)"), gzip: gzip)
    }

    @Test func loadsSyntheticFilesCompressedOrNot() throws {
        let dir = FilesTestDirectory()
        defer { dir.remove() }
        try writeSet(dir, prefix: "train", images: [3, 28, 28], labels: [5, 0, 9])
        try writeSet(dir, prefix: "t10k", images: [2, 28, 28], labels: [1, 2], gzip: false)
        let (train, test) = try MNIST.load(directory: dir.path + "/")
        #expect(train.count == 3 && test.count == 2)
        #expect(train.labels == [5, 0, 9] && test.labels == [1, 2])
        #expect(train.imageShape == (28, 28))
        #expect(Array(train.image(1).prefix(2)) == [UInt8(truncatingIfNeeded: 784), UInt8(truncatingIfNeeded: 785)])
    }

    @Test func missingFilesAreListedWithTheDownloadCommand() throws {
        let dir = FilesTestDirectory()
        defer { dir.remove() }
        let none = #expect(throws: MNISTError.self) { try MNIST.load(directory: dir.path) }
        #expect(none == .missingFiles(directory: dir.path, missing: MNIST.fileNames))
        try writeSet(dir, prefix: "train", images: [1, 28, 28], labels: [1])
        let some = #expect(throws: MNISTError.self) { try MNIST.load(directory: dir.path) }
        #expect(some == .missingFiles(directory: dir.path, missing: ["t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"]))
        let message = some?.description ?? ""
        #expect(message.contains(dir.path) && message.contains("t10k-images-idx3-ubyte.gz") && !message.contains("train-")
            && message.contains("digits data download --to \(dir.path)"))
        #expect(throws: MNISTError.self) { try MNIST.load(directory: "/nonexistent/mnist") }
    }

    @Test func shapeCountAndLabelChecks() throws {
        let dir = FilesTestDirectory()
        defer { dir.remove() }
        try writeSet(dir, prefix: "t10k", images: [1, 28, 28], labels: [1])
        try writeSet(dir, prefix: "train", images: [3, 28, 27], labels: [1, 2, 3])
        let shape = #expect(throws: MNISTError.self) { try MNIST.load(directory: dir.path) }
        #expect(shape == .wrongImageShape(path: dir.file("train-images-idx3-ubyte.gz"), shape: [3, 28, 27]))
        #expect(shape?.description.contains("N×28×28") == true && shape?.description.contains("3×28×27") == true)
        try writeSet(dir, prefix: "train", images: [3, 28, 28], labels: [1, 2])
        let count = #expect(throws: MNISTError.self) { try MNIST.load(directory: dir.path) }
        #expect(count == .countMismatch(imagesPath: dir.file("train-images-idx3-ubyte.gz"), images: 3,
                                        labelsPath: dir.file("train-labels-idx1-ubyte.gz"), labels: 2))
        try writeSet(dir, prefix: "train", images: [3, 28, 28], labels: [1, 12, 3])
        let label = #expect(throws: MNISTError.self) { try MNIST.load(directory: dir.path) }
        #expect(label == .badLabel(path: dir.file("train-labels-idx1-ubyte.gz"), index: 1, value: 12))
        try IDXFile.write(IDXArray(shape: [3, 1], bytes: [1, 2, 3]), to: dir.file("train-labels-idx1-ubyte.gz"), gzip: true)
        #expect(throws: MNISTError.wrongLabelShape(path: dir.file("train-labels-idx1-ubyte.gz"), shape: [3, 1])) {
            try MNIST.load(directory: dir.path)
        }
        try AtomicFile.write([1, 2, 3], to: dir.file("train-labels-idx1-ubyte.gz"))
        #expect(throws: IDXError.notIDX(path: dir.file("train-labels-idx1-ubyte.gz"), found: [1, 2, 3])) {
            try MNIST.load(directory: dir.path)
        }
    }

    @Test(.enabled(if: mnistDirectory != nil, "set DIGITS_DATA to the MNIST directory to run"))
    func loadsTheRealFilesQuickly() throws {
        _ = try MNIST.load(directory: mnistDirectory!)  // warm the page cache
        let start = ContinuousClock.now
        let (train, test) = try MNIST.load(directory: mnistDirectory!)
        let seconds = secondsSince(start)
        print("MNIST.load: \(String(format: "%.3f", seconds)) s for the four .gz files")
        #expect(train.count == 60_000 && test.count == 10_000)
        #expect(Array(train.labels.prefix(10)) == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4])
        #expect(Array(test.labels.prefix(10)) == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9])
        let sum = { (images: LabeledImages, index: Int) in images.image(index).reduce(0) { $0 + Int($1) } }
        #expect(sum(train, 0) == 27525 && sum(train, 1) == 31095 && sum(train, 59999) == 20920)
        #expect(sum(test, 0) == 18454 && sum(test, 9999) == 41833)
        #expect(train.pixels.reduce(0) { $0 + Int($1) } == 1_567_298_545)
        #expect((0...9).map { digit in train.labels.filter { $0 == digit }.count }
            == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949])
    }
}

struct MNISTDataLocationTests {
    @Test func precedence() {
        let env = ["HOME": "/home/ada", "DIGITS_DATA": "/data/mnist", "XDG_CACHE_HOME": "/xdg"]
        #expect(DataLocation.resolve(explicit: "/mine", environment: env) == DataLocation(directory: "/mine", source: .explicit))
        #expect(DataLocation.resolve(explicit: nil, environment: env) == DataLocation(directory: "/data/mnist", source: .environment))
        #expect(DataLocation.resolve(explicit: "", environment: env).source == .environment)
        #expect(DataLocation.resolve(explicit: "~/m", environment: env).directory == "/home/ada/m")
        #if os(macOS)
        #expect(DataLocation.resolve(explicit: nil, environment: ["HOME": "/home/ada"]).directory == "/home/ada/Library/Caches/digits/mnist")
        #else
        #expect(DataLocation.resolve(explicit: nil, environment: ["HOME": "/home/ada", "XDG_CACHE_HOME": "/xdg"])
            == DataLocation(directory: "/xdg/digits/mnist", source: .userCache))
        #expect(DataLocation.resolve(explicit: nil, environment: ["HOME": "/home/ada", "XDG_CACHE_HOME": "relative", "DIGITS_DATA": ""])
            == DataLocation(directory: "/home/ada/.cache/digits/mnist", source: .userCache))
        #expect(DataLocation.resolve(explicit: nil, environment: ["HOME": "/home/ada/"]).directory == "/home/ada/.cache/digits/mnist")
        #endif
    }
}
