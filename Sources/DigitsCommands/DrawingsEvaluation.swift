// DrawingsEvaluation.swift — a model measured on recorded pen-written digits, each read exactly as the
// studio reads a drawing (`Drawing(replayingPenStrokes:)` → `DrawingReader.read`).

import DigitImage
import DigitsFiles
import DigitsStudio
import Foundation
import NeuralNetwork

/// What the model made of one recorded drawing.
struct DrawingOutcome {
    var label: Int
    /// The digit read, or nil when the preprocessing found no digit or the reader said "not a digit".
    var digit: Int?
    /// True when something was drawn but the reader said "not a digit" (`DrawingReading.isNotADigit`).
    var rejected = false
    /// Ten softmax probabilities; nil when no digit was found.
    var probabilities: [Float]?
    /// The network's energy (`DrawingReading.energy`); nil when no digit was found.
    var energy: Float?
    /// The probability of `digit` (0 when no digit was found).
    var confidence: Float = 0
    /// The 28×28 network input (784 values in [0, 1]); nil when no digit was found or it was not kept.
    var input: [Float]?

    var isCorrect: Bool { digit == label }
}

/// Correct readings out of a group's drawings.
struct GroupAccuracy: Equatable {
    var name: String
    var correct: Int
    var count: Int
    var accuracy: Double { count == 0 ? 0 : Double(correct) / Double(count) }
}

/// A model's readings of a drawings file, with the figures `digits evaluate --drawings` prints.
struct DrawingsEvaluation {
    let drawings: [PenDrawing]
    /// One outcome per drawing, in file order.
    let outcomes: [DrawingOutcome]

    /// Places every recording on the canvas first, so a bad entry stops the run before any work.
    static func canvasDrawings(_ drawings: [PenDrawing], fileName: String) throws -> [Drawing] {
        try drawings.enumerated().map { index, drawing in
            do { return try drawing.canvasDrawing() } catch let error as DrawingError {
                throw UsageError("\(fileName): entry \(index): \"strokes\": \(error.description)")
            }
        }
    }

    /// Reads every drawing with one copy of `network` per thread of `workers` (each copy reads one drawing at
    /// a time, the same call as the studio's). `progress(done)` is called on the calling thread.
    static func run(_ drawings: [PenDrawing], canvas: [Drawing], network: Network, rule: NotADigitRule = .never, workers: WorkerThreads,
                    keepInputs: Bool = false, progress: (Int) -> Void = { _ in }) -> DrawingsEvaluation {
        let threadCount = workers.threadCount
        let networks = [network] + (1..<threadCount).map { _ in copy(network) }
        var outcomes = [DrawingOutcome](repeating: DrawingOutcome(label: 0), count: canvas.count)
        let chunk = 256
        var start = 0
        while start < canvas.count {
            let end = min(canvas.count, start + chunk)
            outcomes.withUnsafeMutableBufferPointer { buffer in
                let slots = buffer   // a copy of the pointer: the workers write disjoint indices
                workers.run { worker in
                    for index in stride(from: start + worker, to: end, by: threadCount) {
                        let reading = DrawingReader.read(canvas[index], with: networks[worker], rule: rule)
                        slots[index] = DrawingOutcome(label: drawings[index].label, digit: reading.digit, rejected: reading.isNotADigit,
                                                      probabilities: reading.probabilities, energy: reading.energy, confidence: reading.confidence ?? 0,
                                                      input: keepInputs ? reading.result.digit?.input : nil)
                    }
                }
            }
            start = end
            progress(start)
        }
        return DrawingsEvaluation(drawings: drawings, outcomes: outcomes)
    }

    /// An independent copy of `network` (same weights, its own scratch buffers).
    static func copy(_ network: Network) -> Network {
        // Encoding a network and decoding it again cannot fail.
        try! ModelFile.decode(ModelFile.encode(network), path: nil)
    }

    var count: Int { outcomes.count }
    var correct: Int { outcomes.reduce(0) { $0 + ($1.isCorrect ? 1 : 0) } }
    var accuracy: Double { count == 0 ? 0 : Double(correct) / Double(count) }
    /// Drawings in which the preprocessing found no digit or the reader said "not a digit" (counted as wrong).
    var unread: Int { outcomes.reduce(0) { $0 + ($1.digit == nil ? 1 : 0) } }
    /// Drawings the reader called "not a digit".
    var rejected: Int { outcomes.reduce(0) { $0 + ($1.rejected ? 1 : 0) } }

    /// For a file of non-digits: the share rejected of each character, most rejected first, then by name.
    var perCharacterRejection: [GroupAccuracy] {
        var groups: [String: (rejected: Int, count: Int)] = [:]
        for (drawing, outcome) in zip(drawings, outcomes) {
            let key = drawing.character ?? String(drawing.label)
            groups[key, default: (0, 0)].count += 1
            if outcome.rejected { groups[key]!.rejected += 1 }
        }
        return groups.map { GroupAccuracy(name: $0.key, correct: $0.value.rejected, count: $0.value.count) }
            .sorted { ($0.accuracy, $1.name) > ($1.accuracy, $0.name) }
    }

    /// `counts[truth][read]` over the drawings read as some digit.
    var confusion: ConfusionMatrix {
        var matrix = ConfusionMatrix(classes: 10)
        for outcome in outcomes { if let digit = outcome.digit { matrix.add(truth: outcome.label, prediction: digit) } }
        return matrix
    }

    /// Accuracy of each true digit 0–9, all ten in order (count 0 for a digit with no drawings).
    var perDigit: [GroupAccuracy] {
        let found = groups { "\(drawings[$0].label)" }
        return (0..<10).map { digit in found.first { $0.name == "\(digit)" } ?? GroupAccuracy(name: "\(digit)", correct: 0, count: 0) }
    }
    /// Per source, most drawings first.
    var perSource: [GroupAccuracy] { groups { drawings[$0].source }.sorted { ($0.count, $1.name) > ($1.count, $0.name) } }
    /// Per writer, lowest accuracy first (ties: more drawings first).
    var perWriter: [GroupAccuracy] {
        groups { drawings[$0].writer }.sorted { ($0.accuracy, -$0.count, $0.name) < ($1.accuracy, -$1.count, $1.name) }
    }

    private func groups(_ key: (Int) -> String) -> [GroupAccuracy] {
        var table: [String: GroupAccuracy] = [:]
        for (index, outcome) in outcomes.enumerated() {
            let name = key(index)
            table[name, default: GroupAccuracy(name: name, correct: 0, count: 0)].count += 1
            if outcome.isCorrect { table[name]!.correct += 1 }
        }
        return Array(table.values)
    }

    /// The misreads "truth → read", most frequent first; a drawing with no digit found reads as "none".
    var misreads: [(truth: Int, read: String, count: Int)] {
        var counts: [String: (Int, String, Int)] = [:]
        for outcome in outcomes where !outcome.isCorrect {
            let read = outcome.digit.map(String.init) ?? "none"
            counts["\(outcome.label)>\(read)", default: (outcome.label, read, 0)].2 += 1
        }
        return counts.values.map { (truth: $0.0, read: $0.1, count: $0.2) }
            .sorted { ($0.count, -$0.truth, $1.read) > ($1.count, -$1.truth, $0.read) }
    }

    /// Indices of misread drawings, the most confident misreading first.
    var mostConfidentMisreads: [Int] {
        outcomes.indices.filter { !outcomes[$0].isCorrect && outcomes[$0].digit != nil }
            .sorted { (outcomes[$0].confidence, -$0) > (outcomes[$1].confidence, -$1) }
    }

    /// Expected calibration error over `bins` equal-width confidence bins:
    /// ECE = Σ_b (|B_b| / n) · |accuracy(B_b) − mean confidence(B_b)|. 0 means the stated confidence
    /// matches how often the model is right.
    func expectedCalibrationError(bins: Int = 15) -> Double {
        var totals = [(count: Int, correct: Int, confidence: Double)](repeating: (0, 0, 0), count: bins)
        for outcome in outcomes where outcome.digit != nil {
            let confidence = Double(outcome.confidence)
            let bin = min(bins - 1, Int(confidence * Double(bins)))
            totals[bin].count += 1
            totals[bin].correct += outcome.isCorrect ? 1 : 0
            totals[bin].confidence += confidence
        }
        let n = Double(totals.reduce(0) { $0 + $1.count })
        guard n > 0 else { return 0 }
        return totals.reduce(0.0) { sum, bin in
            guard bin.count > 0 else { return sum }
            let accuracy = Double(bin.correct) / Double(bin.count)
            return sum + Double(bin.count) / n * abs(accuracy - bin.confidence / Double(bin.count))
        }
    }
}
