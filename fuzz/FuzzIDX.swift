// FuzzIDX.swift — libFuzzer target for `IDXFile.read(bytes:path:)` (raw IDX and gzip-wrapped IDX).
// Thrown errors are the expected outcome for bad input; traps, crashes, hangs and huge allocations are bugs.

import DigitsFiles

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: start, count: count))
    if let array = try? IDXFile.read(bytes: bytes, path: "fuzz.idx") {
        // A decoded array must be self-consistent and survive a round trip.
        var product = 1
        for dimension in array.shape { product = product.multipliedReportingOverflow(by: dimension).partialValue }
        precondition(product == array.bytes.count, "shape/bytes mismatch")
        precondition((try? IDXFile.read(bytes: IDXFile.encode(array))) == array, "IDX round trip differs")
    }
    return 0
}
