// CSVTests.swift — dataset CSV: round trips, header detection, line endings, every error (with line numbers),
// a mutation fuzz, throughput, and a real-MNIST round trip when DIGITS_DATA is set.
//
// Small 2×2 images keep the hand-written rows readable: a row is then `label,p0,p1,p2,p3`.

import DigitsFiles
import NeuralNetwork
import Testing

struct CSVDatasetTests {
    func tiny(_ text: String, path: String? = nil) throws -> LabeledImages {
        try CSVDataset.decode(Array(text.utf8), path: path, height: 2, width: 2)
    }

    func randomImages(count: Int, seed: UInt64) -> LabeledImages {
        var random = FilesTestRandom(seed: seed)
        return LabeledImages(pixels: (0..<(count * 784)).map { _ in UInt8.random(in: 0...255, using: &random) },
                             labels: (0..<count).map { _ in UInt8.random(in: 0...9, using: &random) })
    }

    @Test func roundTripsWithAndWithoutHeader() throws {
        let images = randomImages(count: 5, seed: 1)
        for header in [true, false] {
            #expect(try CSVDataset.decode(CSVDataset.encode(images, header: header)) == images)
        }
        let dir = FilesTestDirectory()
        defer { dir.remove() }
        try CSVDataset.write(images, to: dir.file("d.csv"))
        #expect(try CSVDataset.read(path: dir.file("d.csv")) == images)
        try AtomicFile.write(Zlib.deflate(CSVDataset.encode(images), format: .gzip), to: dir.file("d.csv.gz"))
        #expect(try CSVDataset.read(path: dir.file("d.csv.gz")) == images)
    }

    @Test func writesTheDocumentedLayout() {
        let images = LabeledImages(pixels: [0, 255, 7, 10], labels: [3], height: 2, width: 2)
        #expect(String(decoding: CSVDataset.encode(images, header: true), as: UTF8.self) == "label,1x1,1x2,2x1,2x2\n3,0,255,7,10\n")
        let header = String(decoding: CSVDataset.encode(randomImages(count: 1, seed: 2), header: true), as: UTF8.self)
            .split(separator: "\n")[0]
        #expect(header.hasPrefix("label,1x1,1x2,") && header.hasSuffix(",28x27,28x28"))
        #expect(header.split(separator: ",").count == 785)
    }

    @Test func acceptsCommonVariants() throws {
        let expected = LabeledImages(pixels: [1, 2, 3, 4, 5, 6, 7, 8], labels: [9, 0], height: 2, width: 2)
        #expect(try tiny("9,1,2,3,4\n0,5,6,7,8\n") == expected)
        #expect(try tiny("9,1,2,3,4\n0,5,6,7,8") == expected)  // no final newline
        #expect(try tiny("9,1,2,3,4\r\n0,5,6,7,8\r\n") == expected)  // CRLF
        #expect(try tiny("label,pixel0,pixel1,pixel2,pixel3\n9,1,2,3,4\n0,5,6,7,8\n") == expected)
        #expect(try tiny(" 9 , 1,2 ,\t3,4 \n0,5,6,7,8\n\n\n") == expected)  // spaces, trailing blank lines
        #expect(try tiny("\u{FEFF}label,a,b,c,d\r\n9,1,2,3,4\r\n\r\n0,5,6,7,8") == expected)  // BOM, blank line
        #expect(try tiny("9,001,2,3,4\n0,5,6,7,8") == expected)  // leading zeros
    }

    @Test func wrongColumnCountNamesTheLine() {
        let error = #expect(throws: CSVError.columnCount(path: "d.csv", line: 3, expected: 5, found: 4)) {
            try tiny("label,a,b,c,d\n9,1,2,3,4\n0,5,6,7\n", path: "d.csv")
        }
        let message = error?.description ?? ""
        #expect(message.contains("d.csv line 3") && message.contains("expected 5 columns") && message.contains("found 4"))
        #expect(throws: CSVError.columnCount(path: nil, line: 1, expected: 5, found: 6)) { try tiny("9,1,2,3,4,5\n") }
        #expect(throws: CSVError.columnCount(path: nil, line: 1, expected: 5, found: 3)) { try tiny("label,a,b\n9,1,2,3,4\n") }
        let mnist = #expect(throws: CSVError.columnCount(path: nil, line: 1, expected: 785, found: 3)) {
            try CSVDataset.decode(Array("5,0,0\n".utf8))
        }
        #expect(mnist?.description.contains("785") == true)
    }

    @Test func nonNumbersAreQuoted() {
        let error = #expect(throws: CSVError.notANumber(path: nil, line: 2, column: 3, text: "abc")) { try tiny("9,1,2,3,4\n0,5,abc,7,8\n") }
        #expect(error?.description.contains("\"abc\"") == true)
        #expect(throws: CSVError.notANumber(path: nil, line: 1, column: 2, text: "0.5")) { try tiny("9,0.5,2,3,4\n") }
        #expect(throws: CSVError.notANumber(path: nil, line: 1, column: 3, text: "")) { try tiny("9,1,,3,4\n") }
        #expect(throws: CSVError.notANumber(path: nil, line: 1, column: 2, text: "1 2")) { try tiny("9,1 2,2,3,4\n") }
        #expect(throws: CSVError.notANumber(path: nil, line: 1, column: 2, text: "\"7\"")) { try tiny("9,\"7\",2,3,4\n") }
        let long = String(repeating: "x", count: 500)
        let cut = #expect(throws: CSVError.notANumber(path: nil, line: 1, column: 2, text: String(repeating: "x", count: 20) + "…")) {
            try tiny("9,\(long),2,3,4\n")
        }
        #expect((cut?.description.count ?? 1000) < 250)
    }

    @Test func valuesOutOfRange() {
        let pixel = #expect(throws: CSVError.pixelOutOfRange(path: nil, line: 1, column: 4, text: "256")) { try tiny("9,1,2,256,4\n") }
        #expect(pixel?.description.contains("0–255") == true)
        #expect(throws: CSVError.pixelOutOfRange(path: nil, line: 1, column: 2, text: "-1")) { try tiny("9,-1,2,3,4\n") }
        #expect(throws: CSVError.pixelOutOfRange(path: nil, line: 1, column: 2, text: "99999999999999999999…")) {
            try tiny("9,99999999999999999999999,2,3,4\n")
        }
        let label = #expect(throws: CSVError.labelOutOfRange(path: nil, line: 2, text: "10")) { try tiny("9,1,2,3,4\n10,1,2,3,4\n") }
        #expect(label?.description.contains("0–9") == true)
        #expect(throws: CSVError.labelOutOfRange(path: nil, line: 1, text: "-3")) { try tiny("-3,1,2,3,4\n") }
    }

    @Test func emptyAndHeaderOnly() {
        let empty = #expect(throws: CSVError.empty(path: "e.csv")) { try tiny("", path: "e.csv") }
        #expect(empty?.description.contains("e.csv") == true)
        #expect(throws: CSVError.empty(path: nil)) { try tiny("\n\r\n  \n") }
        #expect(throws: CSVError.noDataRows(path: nil)) { try tiny("label,a,b,c,d\n") }
        #expect(throws: CSVError.self) { try CSVDataset.decode([0x1f, 0x8b, 1, 2]) }
    }

    @Test func mutatedInputsThrowButNeverTrap() {
        var random = FilesTestRandom(seed: 7)
        let seedText = Array("label,a,b,c,d\r\n9,1,2,3,4\n0,5,6,7,8\n".utf8)
        let alphabet = Array("0123456789,\n\r -+.x\"".utf8)
        for _ in 0..<5000 {
            var bytes = seedText
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let at = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: bytes[at] = alphabet.randomElement(using: &random)!
                case 1: bytes.remove(at: at)
                default: bytes.insert(alphabet.randomElement(using: &random)!, at: at)
                }
                if bytes.isEmpty { bytes = [0x30] }
            }
            if let images = try? CSVDataset.decode(bytes, height: 2, width: 2) {
                #expect(images.pixels.count == images.count * 4)
            }
        }
    }

    @Test func parsesQuickly() throws {
        // Pixels 0–255 uniformly: ~3.6 bytes per field, denser than MNIST's mostly-zero rows.
        let images = randomImages(count: 12_000, seed: 3)
        let bytes = CSVDataset.encode(images, header: true)
        let start = ContinuousClock.now
        let decoded = try CSVDataset.decode(bytes)
        let seconds = secondsSince(start)
        let rate = Double(bytes.count) / 1e6 / seconds
        print("CSV parse: \(bytes.count / 1_000_000) MB in \(String(format: "%.3f", seconds)) s = \(Int(rate)) MB/s")
        #expect(decoded == images)
    }

    @Test(.enabled(if: mnistDirectory != nil, "set DIGITS_DATA to the MNIST directory to run"))
    func realMNISTRoundTripsThroughCSV() throws {
        let (train, _) = try MNIST.load(directory: mnistDirectory!)
        let encodeStart = ContinuousClock.now
        let bytes = CSVDataset.encode(train, header: true)
        let encodeSeconds = secondsSince(encodeStart)
        let start = ContinuousClock.now
        let decoded = try CSVDataset.decode(bytes)
        let seconds = secondsSince(start)
        print("CSV (MNIST train, \(bytes.count) bytes): parse \(String(format: "%.3f", seconds)) s = \(Int(Double(bytes.count) / 1e6 / seconds)) MB/s, "
            + "encode \(String(format: "%.3f", encodeSeconds)) s")
        #expect(decoded == train)
    }
}
