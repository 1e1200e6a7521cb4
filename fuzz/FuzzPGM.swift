// FuzzPGM.swift — libFuzzer target for PGM (P2 and P5) through `ImageFile.decode` and `PGMDecoder.decode`.
// Thrown errors are the expected outcome for bad input; traps, crashes, hangs and huge allocations are bugs.

import DigitImage
import DigitsFiles

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: start, count: count))
    for decode in [ImageFile.decode(_:path:), PGMDecoder.decode(_:path:)] {
        if let image = try? decode(bytes, "fuzz.pgm") {
            precondition(image.width > 0 && image.height > 0 && image.pixels.count == image.width * image.height)
            precondition(image.pixels.allSatisfy { $0 >= 0 && $0 <= 1 }, "luminance outside [0, 1]")
        }
    }
    return 0
}
