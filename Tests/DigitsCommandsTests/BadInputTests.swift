// Every kind of bad file gets one line on stderr saying what is wrong, a non-zero exit, no crash and no
// partial output — checked end to end through the real binary.

import DigitsFiles
import Foundation
import Testing

/// A big-endian IDX header followed by `payload`.
func idxBytes(type: UInt8 = 0x08, dimensions: [UInt32], payload: [UInt8]) -> [UInt8] {
    var bytes: [UInt8] = [0, 0, type, UInt8(dimensions.count)]
    for d in dimensions { bytes += [UInt8(d >> 24), UInt8((d >> 16) & 0xFF), UInt8((d >> 8) & 0xFF), UInt8(d & 0xFF)] }
    return bytes + payload
}

/// A safetensors file with the given header JSON and data bytes.
func safetensorsBytes(header: String, data: [UInt8]) -> [UInt8] {
    let json = Array(header.utf8)
    var length = UInt64(json.count)
    var bytes = [UInt8]()
    for _ in 0..<8 { bytes.append(UInt8(length & 0xFF)); length >>= 8 }
    return bytes + json + data
}

func floatBytes(_ values: [Float]) -> [UInt8] { values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) } }

/// A PNG with one IHDR (as given), one IDAT and IEND, CRCs correct unless `breakCRC`.
func pngBytes(width: UInt32, height: UInt32, bitDepth: UInt8 = 8, colorType: UInt8 = 0, rows: [UInt8]? = nil, breakCRC: Bool = false) -> [UInt8] {
    func be(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }
    func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        var crc = PNGDecoder.crc32(body)
        if breakCRC && type == "IHDR" { crc ^= 1 }
        return be(UInt32(data.count)) + body + be(crc)
    }
    let raw = rows ?? [UInt8](repeating: 0, count: Int(height) * (Int(width) + 1))
    let idat = (try? Zlib.deflate(raw, format: .zlib)) ?? []
    return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        + chunk("IHDR", be(width) + be(height) + [bitDepth, colorType, 0, 0, 0]) + chunk("IDAT", idat) + chunk("IEND", [])
}

let csvHeader = "label," + (1...784).map { "p\($0)" }.joined(separator: ",")
let csvRow = "3," + Array(repeating: "0", count: 784).joined(separator: ",")

/// (file name, contents, a word the message must contain)
let badFiles: [(String, [UInt8], String)] = [
    ("wrong-magic-idx", [0x89, 0x50, 0x4E, 0x47] + [UInt8](repeating: 0, count: 12), "PNG"),
    ("truncated-idx", idxBytes(dimensions: [10, 28, 28], payload: [UInt8](repeating: 0, count: 100)), "7840"),
    ("overflow-idx", idxBytes(dimensions: [0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF], payload: []), "overflow"),
    ("corrupt.gz", [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x12], "corrupt"),
    ("columns.csv", Array((csvHeader + "\n3,1,2\n").utf8), "785"),
    ("word.csv", Array((csvRow.replacingOccurrences(of: "3,0,", with: "3,abc,") + "\n").utf8), "abc"),
    ("pixel.csv", Array((csvRow.replacingOccurrences(of: "3,0,", with: "3,300,") + "\n").utf8), "300"),
    ("label.csv", Array(("11" + csvRow.dropFirst(1) + "\n").utf8), "11"),
    ("empty.csv", [], "empty"),
    ("past-end.safetensors", [0xFF, 0xFF, 0, 0, 0, 0, 0, 0, UInt8(ascii: "{")], "header"),
    ("bad-json.safetensors", safetensorsBytes(header: "{\"a\": [1,", data: []), "JSON"),
    ("dtype.safetensors", safetensorsBytes(header: #"{"w":{"dtype":"Q7","shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]), "Q7"),
    ("offsets.safetensors", safetensorsBytes(header: #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: [0, 0, 0, 0]), "past"),
    ("overlap.safetensors", safetensorsBytes(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]), "overlap"),
    ("nan.safetensors", safetensorsBytes(header: #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, data: floatBytes([.nan])), "nan"),
    ("shape.safetensors", safetensorsBytes(
        header: #"{"__metadata__":{"format":"digits-model","format_version":"1","architecture":"{\"input\":[28,28],\"layers\":[{\"type\":\"dense\",\"in\":784,\"out\":10}]}","normalization":"{\"mean\":0,\"std\":1}"},"layers.0.bias":{"dtype":"F32","shape":[10],"data_offsets":[0,40]},"layers.0.weight":{"dtype":"F32","shape":[10,3],"data_offsets":[40,160]}}"#,
        data: [UInt8](repeating: 0, count: 160)), "[10, 784]"),
    ("truncated.png", Array(pngBytes(width: 4, height: 4).prefix(40)), "truncated"),
    ("crc.png", pngBytes(width: 4, height: 4, breakCRC: true), "CRC"),
    ("depth.png", pngBytes(width: 4, height: 4, bitDepth: 3), "bit depth"),
    ("zero.png", pngBytes(width: 0, height: 4), "0"),
    ("huge.png", pngBytes(width: 100_000, height: 100_000, rows: []), "100000"),
]

@Suite("Bad input through the command line")
struct BadInputTests {
    @Test("inspect refuses each bad file with one clear line", arguments: badFiles.indices)
    func inspectRefuses(index: Int) throws {
        let (name, bytes, mention) = badFiles[index]
        let directory = makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let path = directory + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        let result = try runDigits(["inspect", path], in: directory)
        #expect(result.status != 0, "\(name) was accepted: \(result.standardOutput)")
        let message = result.standardError.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!message.isEmpty && !message.contains("\n"), "\(name): expected one line, got \(message)")
        #expect(message.contains(mention), "\(name): message lacks \"\(mention)\": \(message)")
        #expect(!message.contains("Fatal error") && !message.contains("Stack dump"), "\(name) crashed: \(message)")
    }

    @Test("a failed conversion leaves no output file")
    func noPartialOutput() throws {
        let directory = makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let input = directory + "/bad.csv"
        _ = FileManager.default.createFile(atPath: input, contents: Data((csvHeader + "\n" + csvRow + "\n3,1\n").utf8))
        let result = try runDigits(["data", "convert", input, directory + "/out-images-idx3-ubyte"], in: directory)
        #expect(result.status != 0)
        #expect(result.standardError.contains("line 3"), "\(result.standardError)")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.contains("out-") }
        #expect(leftovers.isEmpty, "partial output left behind: \(leftovers)")
    }

    @Test("a missing model says how to get one")
    func missingModel() throws {
        let directory = makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let result = try runDigits(["evaluate", "--model", directory + "/none.safetensors"], in: directory)
        #expect(result.status != 0)
        #expect(result.standardError.contains("digits train"), "\(result.standardError)")
    }

    @Test("MNIST missing from an explicit directory lists the files to put there")
    func missingData() throws {
        let directory = makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let result = try runDigits(["train", "--data", directory, "--epochs", "1"], in: directory)
        #expect(result.status != 0)
        #expect(result.standardError.contains("train-images-idx3-ubyte"), "\(result.standardError)")
        #expect(result.standardError.contains("digits data download"), "\(result.standardError)")
    }
}
