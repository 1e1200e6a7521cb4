// FuzzCSV.swift — libFuzzer target for `CSVDataset.decode` (plain and gzip-wrapped CSV).
// The same bytes are parsed as 28×28 (MNIST) rows and as 2×2 rows, so short inputs reach the row parser too.
// Thrown errors are the expected outcome for bad input; traps, crashes, hangs and huge allocations are bugs.

import DigitsFiles

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: start, count: count))
    for (height, width) in [(28, 28), (2, 2)] {
        if let images = try? CSVDataset.decode(bytes, path: "fuzz.csv", height: height, width: width) {
            precondition(images.labels.allSatisfy { $0 <= 9 }, "label out of range accepted")
            // Whatever was accepted must round-trip through the writer.
            let again = try? CSVDataset.decode(CSVDataset.encode(images), height: height, width: width)
            precondition(again == images, "CSV round trip differs")
        }
    }
    return 0
}
