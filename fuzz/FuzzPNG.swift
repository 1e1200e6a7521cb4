// FuzzPNG.swift — libFuzzer target for PNG through `ImageFile.decode` and `PNGDecoder.decode`.
//
// Inputs that start with the PNG signature are decoded as given and again with every chunk CRC recomputed
// (so mutations inside chunks are not all stopped by the checksum). Other inputs are read as a recipe —
// 6 parameter bytes then raw scanlines — and turned into a PNG with valid CRCs and a valid zlib stream, so
// the filters, bit unpacking, palettes, transparency and Adam7 passes see arbitrary data.
// Thrown errors are the expected outcome for bad input; traps, crashes, hangs and huge allocations are bugs.

import DigitImage
import DigitsFiles

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: start, count: count))
    if bytes.starts(with: PNGDecoder.signature) {
        check(bytes)
        let fixed = withFixedCRCs(bytes)
        if fixed != bytes { check(fixed) }
    } else {
        check(bytes)  // unknown formats, PGM look-alikes, cut signatures
        if let png = pngFromRecipe(bytes) { check(png) }
    }
    return 0
}

private func check(_ bytes: [UInt8]) {
    for decode in [ImageFile.decode(_:path:), PNGDecoder.decode(_:path:)] {
        if let image = try? decode(bytes, "fuzz.png") {
            precondition(image.width > 0 && image.height > 0 && image.pixels.count == image.width * image.height)
            precondition(image.pixels.allSatisfy { $0 >= -1e-4 && $0 <= 1 + 1e-4 }, "luminance outside [0, 1]")
        }
    }
}

private func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
    let body = Array(type.utf8) + data
    return bigEndian(UInt32(data.count)) + body + bigEndian(PNGDecoder.crc32(body))
}

private func bigEndian(_ value: UInt32) -> [UInt8] {
    [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
}

/// Rewrites the CRC of every complete chunk.
private func withFixedCRCs(_ input: [UInt8]) -> [UInt8] {
    var bytes = input
    var offset = 8
    while bytes.count - offset >= 12 {
        let length = Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
        guard length <= bytes.count - offset - 12 else { break }
        let crc = PNGDecoder.crc32(Array(bytes[(offset + 4)..<(offset + 8 + length)]))
        bytes.replaceSubrange((offset + 8 + length)..<(offset + 12 + length), with: bigEndian(crc))
        offset += 12 + length
    }
    return bytes
}

/// Recipe: [width-1 (0–63), height-1 (0–63), depth/colour selector, interlace + flags, palette size, tRNS size]
/// then scanline bytes (filter byte + samples per row, padded or cut to the size the header needs unless
/// flag 0x80 asks to keep the length as given).
private func pngFromRecipe(_ recipe: [UInt8]) -> [UInt8]? {
    guard recipe.count >= 6 else { return nil }
    let combos: [(depth: Int, colour: Int)] = [(1, 0), (2, 0), (4, 0), (8, 0), (16, 0), (8, 2), (16, 2),
                                               (1, 3), (2, 3), (4, 3), (8, 3), (8, 4), (16, 4), (8, 6), (16, 6)]
    let width = Int(recipe[0] & 63) + 1, height = Int(recipe[1] & 63) + 1
    let (depth, colour) = combos[Int(recipe[2]) % combos.count]
    let interlaced = recipe[3] & 1 == 1
    let keepLength = recipe[3] & 0x80 != 0
    let paletteEntries = Int(recipe[4])  // 0 = no PLTE
    let transparencySize = Int(recipe[5] & 0x7F)
    var body = Array(recipe[6...])
    let channels = [0: 1, 2: 3, 3: 1, 4: 2, 6: 4][colour]!
    func rowBytes(_ pixels: Int) -> Int { (pixels * channels * depth + 7) / 8 }
    var expected = 0
    if interlaced {
        for (x0, y0, dx, dy) in [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)] {
            let w = width > x0 ? (width - x0 + dx - 1) / dx : 0, h = height > y0 ? (height - y0 + dy - 1) / dy : 0
            if w > 0 && h > 0 { expected += (1 + rowBytes(w)) * h }
        }
    } else {
        expected = (1 + rowBytes(width)) * height
    }
    if !keepLength {
        if body.count > expected { body.removeLast(body.count - expected) }
        // Repeat the given bytes to fill the image (the filter bytes land where they land).
        let seed = body.isEmpty ? [0] : body
        var index = 0
        while body.count < expected { body.append(seed[index % seed.count]); index += 1 }
    }
    guard let idat = try? Zlib.deflate(body, format: .zlib) else { return nil }
    var png = PNGDecoder.signature
    png += chunk("IHDR", bigEndian(UInt32(width)) + bigEndian(UInt32(height)) + [UInt8(depth), UInt8(colour), 0, 0, interlaced ? 1 : 0])
    if paletteEntries > 0 {
        png += chunk("PLTE", (0..<(3 * paletteEntries)).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ Int(recipe[0])) })
    }
    if transparencySize > 0 {
        png += chunk("tRNS", (0..<transparencySize).map { UInt8(truncatingIfNeeded: $0 &* 91 &+ Int(recipe[1])) })
    }
    // Split the stream over two IDAT chunks when it is long enough, as encoders do.
    let split = idat.count / 2
    png += chunk("IDAT", Array(idat[..<split])) + chunk("IDAT", Array(idat[split...]))
    png += chunk("IEND", [])
    return png
}
