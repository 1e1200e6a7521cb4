// `digits read` on PNG images of numbers made by the test from MNIST test digits: light ink on dark,
// dark ink on light with noise, and bad input. Also `digits predict` and `evaluate --non-digits` with a
// model trained to say "not a digit". Runs when DIGITS_DATA is set, as in CI.

import DigitsFiles
import Foundation
import NeuralNetwork
import Testing

@Suite("Reading numbers from images", .enabled(if: mnistDirectory != nil, "set DIGITS_DATA to the MNIST directory"), .serialized)
struct ReadCommandTests {
    /// A PNG of MNIST test digits side by side (gaps of 8 px, the baseline moved by ±3 px), light on dark or,
    /// with `inverted`, dark on light; `noise` adds ±noise to every pixel (seeded).
    static func numberPNG(_ test: LabeledImages, indices: [Int], inverted: Bool, noise: Int, path: String) throws {
        let (width, height) = (20 + indices.count * 36, 48)
        var gray = [Int](repeating: 0, count: width * height)
        for (position, index) in indices.enumerated() {
            let (left, top) = (10 + position * 36, 10 + (position % 2 == 0 ? -3 : 3))
            for y in 0..<28 { for x in 0..<28 { gray[(top + y) * width + left + x] = Int(test.image(index)[test.image(index).startIndex + y * 28 + x]) } }
        }
        var generator = SeededGenerator(seed: 5)
        var image = RGBImage(width: width, height: height, fill: (0, 0, 0))
        for index in 0..<(width * height) {
            var value = inverted ? 255 - gray[index] : gray[index]
            if noise > 0 { value += Int(generator.next() % UInt64(2 * noise + 1)) - noise }
            let byte = UInt8(max(0, min(255, value)))
            image.bytes[3 * index] = byte
            image.bytes[3 * index + 1] = byte
            image.bytes[3 * index + 2] = byte
        }
        try Data(try PNGEncoder.encode(image)).write(to: URL(fileURLWithPath: path))
    }

    @Test("numbers in images are read digit by digit, light on dark and dark on light with noise; bad files fail cleanly")
    func readImages() throws {
        let directory = makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let model = directory + "/m.safetensors"
        let train = try runDigits(["train", "--preset", "fast", "--epochs", "1", "--non-digits", "0.1", "--output", model, "--data", mnistDirectory!], in: directory)
        #expect(train.status == 0, "\(train.standardError)")
        let test = try MNIST.load(directory: mnistDirectory!).test
        // The first test images of the digits of 2026 and of 19847.
        func first(_ digit: Int, after start: Int = 0) -> Int { (start..<test.count).first { test.labels[$0] == UInt8(digit) }! }
        let numbers: [(String, [Int])] = [("2026", [first(2), first(0), first(2, after: first(2) + 1), first(6)]),
                                          ("19847", [first(1), first(9), first(8), first(4), first(7)])]
        var right = 0, total = 0
        for (text, indices) in numbers {
            for (variant, inverted, noise) in [("light-on-dark", false, 0), ("dark-on-light-noisy", true, 25)] {
                let path = directory + "/\(text)-\(variant).png"
                try Self.numberPNG(test, indices: indices, inverted: inverted, noise: noise, path: path)
                let run = try runDigits(["read", "--model", model, "--json", path], in: directory)
                #expect(run.status == 0, "\(run.standardError)")
                let answer = try #require(jsonObject(run.standardOutput))
                let read = answer["text"] as? String ?? ""
                #expect(read.count == text.count, "\(path): read \(read)")
                #expect((answer["digits"] as? [[String: Any]])?.allSatisfy { ($0["box"] as? [Double])?.count == 4 } == true)
                right += zip(read, text).filter { $0 == $1 }.count
                total += text.count
                let plain = try runDigits(["read", "--model", model, path], in: directory)
                #expect(plain.standardOutput.hasPrefix("\(path): \(read)"))
            }
        }
        #expect(Double(right) / Double(total) >= 0.8, "\(right) of \(total) digits read right")

        let blank = directory + "/blank.png"
        try Data(try PNGEncoder.encode(RGBImage(width: 50, height: 20))).write(to: URL(fileURLWithPath: blank))
        let empty = try runDigits(["read", "--model", model, blank], in: directory)
        #expect(empty.status == 0 && empty.standardOutput.contains("no number found"))
        let missing = try runDigits(["read", "--model", model, directory + "/none.png"], in: directory)
        #expect(missing.status == 1 && missing.standardError.contains("none.png"))
        let noModel = try runDigits(["read", "--model", directory + "/none.safetensors", blank], in: directory)
        #expect(noModel.status != 0 && noModel.standardError.contains("no model at"))
    }
}
