// NumberComposition.swift — numbers made of real pen-written digits, to measure reading whole numbers:
// `digits evaluate --drawings dev.json --numbers N`.
//
// Each number takes N digits of one writer (a seeded random choice), scales each to a height of 180 px ±10 %,
// places them left to right with gaps of 5–50 % of the height and a baseline that wobbles by ±8 %, on a
// canvas 280 px tall (the single-digit canvas's height, so the brush is the same), and reads it with
// `NumberReader`. The same digits read one by one (each alone on the 280 × 280 canvas) give the baseline.

import DigitImage
import DigitsFiles
import DigitsStudio
import Foundation
import NeuralNetwork

struct ComposedNumber {
    var labels: [Int]
    var drawing: Drawing
    /// The file entries of its digits, in order.
    var entries: [Int]
}

enum NumberComposition {
    static let canvasHeight = 280.0
    static let digitHeight = 180.0

    /// `count` numbers of `length` digits, each from one writer with at least `length` drawings.
    static func compose(_ drawings: [PenDrawing], length: Int, count: Int, seed: UInt64) throws -> [ComposedNumber] {
        var byWriter: [String: [Int]] = [:]
        for (index, drawing) in drawings.enumerated() where drawing.label < 10 { byWriter[drawing.writer, default: []].append(index) }
        let writers = byWriter.keys.sorted().filter { byWriter[$0]!.count >= length }
        guard !writers.isEmpty else { throw UsageError("no writer has \(length) drawings to make a number of") }
        var generator = SeededGenerator(seed: seed, stream: 7000)
        func unit() -> Double { Double(generator.next() >> 11) * 0x1p-53 }
        var numbers: [ComposedNumber] = []
        for _ in 0..<count {
            let writer = writers[Int(generator.next() % UInt64(writers.count))]
            var pool = byWriter[writer]!
            var entries: [Int] = []
            for _ in 0..<length { entries.append(pool.remove(at: Int(generator.next() % UInt64(pool.count)))) }
            var strokes: [[CanvasPoint]] = []
            var x = 40.0
            for (position, entry) in entries.enumerated() {
                let pen = drawings[entry].tabletStrokes
                let points = pen.joined()
                let (left, right) = (points.map(\.x).min()!, points.map(\.x).max()!)
                let (low, high) = (points.map(\.y).min()!, points.map(\.y).max()!)
                let height = digitHeight * (0.9 + 0.2 * unit())
                let scale = height / max(high - low, 1)
                let baseline = (canvasHeight + height) / 2 + digitHeight * 0.08 * (2 * unit() - 1)
                if position > 0 { x += digitHeight * (0.05 + 0.45 * unit()) }
                for stroke in pen {
                    // Tablet y grows upward: flip it.
                    strokes.append(stroke.map { CanvasPoint(x: x + ($0.x - left) * scale, y: baseline - ($0.y - low) * scale) })
                }
                x += (right - left) * scale
            }
            let width = Int((x + 40).rounded(.up))
            let clamped = strokes.map { $0.map { CanvasPoint(x: min(Double(width), max(0, $0.x)), y: min(canvasHeight, max(0, $0.y))) } }
            numbers.append(ComposedNumber(labels: entries.map { drawings[$0].label }, drawing: try Drawing(width: width, height: Int(canvasHeight), strokes: clamped),
                                          entries: entries))
        }
        return numbers
    }

    /// Edits (insertions, deletions, substitutions) between two digit strings: the errors of a reading.
    static func editDistance(_ a: [Int?], _ b: [Int?]) -> Int {
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }

    struct Result {
        var numbers: Int
        var exact: Int
        var digits: Int
        var digitErrors: Int
        var segmentationErrors: Int
        var seconds: Double
        var exactRate: Double { Double(exact) / Double(max(numbers, 1)) }
        var digitAccuracy: Double { 1 - Double(digitErrors) / Double(max(digits, 1)) }
    }

    /// Reads every number on `workers` threads (a network copy each).
    static func read(_ numbers: [ComposedNumber], network: Network, rule: NotADigitRule, workers: WorkerThreads, progress: (Int) -> Void) -> (Result, [String]) {
        let threadCount = workers.threadCount
        let networks = [network] + (1..<threadCount).map { _ in DrawingsEvaluation.copy(network) }
        var texts = [String](repeating: "", count: numbers.count)
        var errors = [Int](repeating: 0, count: numbers.count)
        var counts = [Int](repeating: 0, count: numbers.count)
        let started = monotonicSeconds()
        var start = 0
        while start < numbers.count {
            let end = min(numbers.count, start + 64)
            texts.withUnsafeMutableBufferPointer { textSlots in
                errors.withUnsafeMutableBufferPointer { errorSlots in
                    counts.withUnsafeMutableBufferPointer { countSlots in
                        let (t, e, c) = (textSlots, errorSlots, countSlots)
                        workers.run { worker in
                            for index in stride(from: start + worker, to: end, by: threadCount) {
                                let reading = NumberReader.read(numbers[index].drawing, with: networks[worker], rule: rule)
                                t[index] = reading.text
                                e[index] = editDistance(reading.elements.map(\.digit), numbers[index].labels.map { $0 })
                                c[index] = reading.elements.count
                            }
                        }
                    }
                }
            }
            start = end
            progress(start)
        }
        let digits = numbers.reduce(0) { $0 + $1.labels.count }
        let result = Result(numbers: numbers.count, exact: errors.filter { $0 == 0 }.count, digits: digits, digitErrors: errors.reduce(0, +),
                            segmentationErrors: zip(counts, numbers).filter { $0.0 != $0.1.labels.count }.count,
                            seconds: monotonicSeconds() - started)
        return (result, texts)
    }
}
