// FuzzSafeTensors.swift — libFuzzer target for `SafeTensors.decode`.
// Each input is decoded as given, and again with its 8-byte header length rewritten to end at the close of
// the leading JSON object, so mutations of the JSON are not all lost to a stale length.
// Thrown errors are the expected outcome for bad input; traps, crashes, hangs and huge allocations are bugs.

import DigitsFiles

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: start, count: count))
    check(bytes)
    if let fixed = withFixedLength(bytes), fixed != bytes { check(fixed) }
    return 0
}

private func check(_ bytes: [UInt8]) {
    guard let file = try? SafeTensors.decode(bytes, path: "fuzz.safetensors") else { return }
    for (_, tensor) in file.tensors {
        precondition(tensor.values.allSatisfy { $0.isFinite }, "non-finite value accepted")
    }
    // Whatever was accepted must survive encode → decode.
    precondition((try? SafeTensors.decode(file.encode())) == file, "safetensors round trip differs")
}

/// `bytes` with the little-endian length prefix set to the end of the first balanced `{…}` after it.
private func withFixedLength(_ bytes: [UInt8]) -> [UInt8]? {
    guard bytes.count > 8, bytes[8] == UInt8(ascii: "{") else { return nil }
    var depth = 0, inString = false, escaped = false
    for index in 8..<bytes.count {
        let byte = bytes[index]
        if inString {
            if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
            continue
        }
        switch byte {
        case UInt8(ascii: "\""): inString = true
        case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
            depth -= 1
            if depth == 0 {
                var out = bytes
                let length = UInt64(index - 8 + 1)
                for shift in 0..<8 { out[shift] = UInt8(truncatingIfNeeded: length >> UInt64(8 * shift)) }
                return out
            }
        default: break
        }
    }
    return nil
}
