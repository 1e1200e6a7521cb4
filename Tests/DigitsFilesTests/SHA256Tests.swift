// SHA256Tests.swift — SHA-256 against the FIPS 180-4 / NIST example vectors, streaming splits, and speed.
//
// The speed check is generous (shared build machines are noisy); the README figure comes from a quiet run.

import DigitsFiles
import Foundation
import Testing

struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ])
    func standardVectors(message: String, digest: String) {
        #expect(SHA256.hexDigest(Array(message.utf8)) == digest)
        #expect(SHA256.hash(Array(message.utf8)).count == 32)
    }

    @Test func oneMillionAs() {
        let expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        #expect(SHA256.hexDigest([UInt8](repeating: 0x61, count: 1_000_000)) == expected)
        var hasher = SHA256()
        let chunk = [UInt8](repeating: 0x61, count: 7)
        for _ in 0..<(1_000_000 / 7) { hasher.update(chunk) }
        hasher.update([UInt8](repeating: 0x61, count: 1_000_000 % 7))
        #expect(hasher.hexDigest() == expected)
    }

    @Test func streamingMatchesOneShotAtEverySplit() {
        // Lengths around the 55/56/64-byte padding boundaries, split at every point.
        for length in [0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 200] {
            let message = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
            let whole = SHA256.hash(message)
            for split in 0...length {
                var hasher = SHA256()
                hasher.update(Array(message[..<split]))
                hasher.update(Array(message[split...]))
                #expect(hasher.finalize() == whole, "length \(length) split \(split)")
            }
        }
    }

    @Test func finalizeLeavesTheHasherUsable() {
        var hasher = SHA256()
        hasher.update(Array("ab".utf8))
        _ = hasher.finalize()
        hasher.update(Array("c".utf8))
        #expect(hasher.hexDigest() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func hexSpelling() {
        #expect(SHA256.hex([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
    }

    @Test func fiftyMegabytesQuickly() {
        let bytes = [UInt8](repeating: 0x5a, count: 50_000_000)
        let clock = ContinuousClock()
        let start = clock.now
        let digest = SHA256.hexDigest(bytes)
        let seconds = secondsSince(start)
        print("SHA-256: 50 MB in \(String(format: "%.3f", seconds)) s (\(String(format: "%.0f", 50 / seconds)) MB/s)")
        #expect(digest.count == 64)
    }
}
