// WriterAdaptation.swift — `digits evaluate --drawings FILE --adapt N`: does the studio's Retrain learn a
// person's hand? For each writer, N of their drawings (N/10 of each digit, the first in the file) become
// saved samples, a copy of the model is retrained on them with the studio's own fine-tuning code and
// settings, and the writer's other drawings are read before and after.

import DigitImage
import DigitsFiles
import DigitsStudio
import Foundation
import NeuralNetwork

enum WriterAdaptation {
    /// One writer's figures. Accuracies are fractions.
    struct WriterResult {
        var writer: String
        var samples: Int
        var measured: Int
        var before: Double
        var after: Double
        var mnistBefore: Double
        var mnistAfter: Double
        /// Whether the studio would make the retrained model current (the MNIST gate).
        var accepted: Bool
        var seconds: Double
        /// Entries (file indices) of the writer's measured drawings still misread after the retraining.
        var misreadAfter: [Int]
    }

    struct Summary {
        var writers: [WriterResult]
        /// Writers left out: too few drawings of some digit.
        var skipped: [String]
        var perDigit: Int
        /// How the model says "not a digit" (the drawings are read with it, before and after).
        var rule: NotADigitRule
        /// The retraining's settings, the studio's (seeded per writer as the studio seeds a retraining).
        var settings: FineTuningSettings

        var meanBefore: Double { mean(writers.map(\.before)) }
        var meanAfter: Double { mean(writers.map(\.after)) }
        var worstAfter: Double { writers.map(\.after).min() ?? 0 }

        private func mean(_ values: [Double]) -> Double { values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count) }

        var json: [String: Any] {
            [
                "samples_per_writer": perDigit * 10, "steps": settings.steps, "mean_before": meanBefore, "mean_after": meanAfter,
                "rejecting_non_digits": rule.rejects, "not_a_digit_rule": rule.rawValue, "non_digit_share": settings.nonDigitShare,
                "worst_after": worstAfter, "skipped": skipped,
                "writers": writers.map { result -> [String: Any] in
                    ["writer": result.writer, "samples": result.samples, "measured": result.measured, "before": result.before,
                     "after": result.after, "mnist_before": result.mnistBefore, "mnist_after": result.mnistAfter,
                     "accepted": result.accepted, "misread_after": result.misreadAfter]
                },
            ]
        }

        var report: String {
            var lines = ["personalization: \(perDigit * 10) drawings of each writer (\(perDigit) per digit) saved as samples, "
                + "one retraining of \(settings.steps) steps (the studio's"
                + (settings.nonDigitShare > 0 ? String(format: ", %.0f %% synthetic non-digits", settings.nonDigitShare * 100)
                   + (settings.energyMargin != nil ? " by energy margin" : "") : "")
                + "), the writer's other drawings read before and after" + (rule.rejects ? " (\"not a digit\" counts as a misread)" : ""),
                "writer                 measured   before    after    MNIST after   gate"]
            for result in writers {
                lines.append(result.writer.padding(toLength: 22, withPad: " ", startingAt: 0)
                    + String(format: " %8d  %6.2f%%  %6.2f%%      %6.2f%%    ", result.measured, result.before * 100, result.after * 100,
                             result.mnistAfter * 100)
                    + (result.accepted ? "pass" : "FAIL"))
            }
            lines.append(String(format: "mean over %d writers: %.2f%% → %.2f%%; lowest after %.2f%%; %d of %d at ≥ 98%%; %d pass the MNIST gate",
                                writers.count, meanBefore * 100, meanAfter * 100, worstAfter * 100,
                                writers.filter { $0.after >= 0.98 }.count, writers.count, writers.filter(\.accepted).count))
            if !skipped.isEmpty { lines.append("skipped (fewer than \(perDigit) drawings of some digit): " + skipped.joined(separator: ", ")) }
            return lines.joined(separator: "\n")
        }
    }

    /// Runs the adaptation for every writer with at least `minimumDrawings` drawings, one writer per thread of
    /// `workers` at a time. The accuracy before comes from `evaluation`, the base model's reading of every drawing.
    /// `rule`: how the model says "not a digit" — for one that does, as in the studio, its retraining sees
    /// synthetic non-digits trained as the model was, and the drawings after it are read with the rule, like those before.
    static func run(evaluation: DrawingsEvaluation, canvas: [Drawing], network: Network, mnist: (train: LabeledImages, test: LabeledImages),
                    perDigit: Int, minimumDrawings: Int, steps: Int, rule: NotADigitRule, workers: WorkerThreads) -> Summary {
        let drawings = evaluation.drawings
        var settings = FineTuningSettings().forModel(rule: rule)
        settings.steps = steps
        var byWriter: [String: [Int]] = [:]
        for (index, drawing) in drawings.enumerated() { byWriter[drawing.writer, default: []].append(index) }
        let writers = byWriter.filter { $0.value.count >= minimumDrawings }.sorted { $0.key < $1.key }
        var plans: [(writer: String, samples: [Int], measured: [Int])] = []
        var skipped: [String] = []
        for (writer, indices) in writers {
            var chosen: [Int] = []
            // Interleaved like a person saving 0…9, then 0…9 again.
            for round in 0..<perDigit {
                for digit in 0..<10 {
                    let ofDigit = indices.filter { drawings[$0].label == digit }
                    if round < ofDigit.count { chosen.append(ofDigit[round]) }
                }
            }
            guard chosen.count == perDigit * 10 else { skipped.append(writer); continue }
            let chosenSet = Set(chosen)
            plans.append((writer, chosen, indices.filter { !chosenSet.contains($0) }))
        }

        var results = [WriterResult?](repeating: nil, count: plans.count)
        var bar = ProgressBar()
        var next = 0
        bar.update(fraction: 0, label: "personalizing", details: "0/\(plans.count) writers", force: true)
        while next < plans.count {
            let batch = Array(next..<min(plans.count, next + workers.threadCount))
            let copies = batch.map { _ in DrawingsEvaluation.copy(network) }   // each retrained on its own thread
            results.withUnsafeMutableBufferPointer { buffer in
                let slots = buffer   // a copy of the pointer: each worker writes its own writer's slot
                workers.run { worker in
                    guard worker < batch.count else { return }
                    let plan = plans[batch[worker]]
                    slots[batch[worker]] = adaptOne(writer: plan.writer, samples: plan.samples, measured: plan.measured,
                                                    evaluation: evaluation, canvas: canvas, network: copies[worker],
                                                    mnist: mnist, settings: settings, rule: rule)
                }
            }
            next += batch.count
            bar.update(fraction: Double(next) / Double(plans.count), label: "personalizing", details: "\(next)/\(plans.count) writers", force: true)
        }
        bar.clear()
        return Summary(writers: results.compactMap { $0 }, skipped: skipped, perDigit: perDigit, rule: rule, settings: settings)
    }

    /// One writer: the studio's fine-tuning of `network` (a copy of the base model) on `samples` with
    /// `settings`, then `measured` read after (with the model's "not a digit" `rule`); before is the base model's
    /// reading in `evaluation`.
    static func adaptOne(writer: String, samples: [Int], measured: [Int], evaluation: DrawingsEvaluation, canvas: [Drawing],
                         network: Network, mnist: (train: LabeledImages, test: LabeledImages), settings: FineTuningSettings,
                         rule: NotADigitRule) -> WriterResult {
        let started = monotonicSeconds()
        let drawings = evaluation.drawings
        func accuracy(_ misread: [Int]) -> Double {
            measured.isEmpty ? 0 : Double(measured.count - misread.count) / Double(measured.count)
        }
        let before = accuracy(measured.filter { !evaluation.outcomes[$0].isCorrect })
        // What the studio stores for a saved sample: the 28×28 input as bytes, with the label.
        var pixels: [UInt8] = []
        var labels: [UInt8] = []
        for index in samples {
            guard let digit = canvas[index].preprocessed().digit else { continue }
            pixels += digit.image.bytes
            labels.append(UInt8(drawings[index].label))
        }
        var settings = settings
        settings.seed = UInt64(labels.count)   // as the studio seeds a retraining
        let run = FineTuning.run(network: network, samples: LabeledImages(pixels: pixels, labels: labels), mnist: mnist,
                                 settings: settings, clock: monotonicSeconds, shouldStop: { false },
                                 onPhase: { _ in }, onProgress: { _ in })!
        let misreadAfter = measured.filter {
            DrawingReader.read(canvas[$0], with: network, rule: rule).digit != drawings[$0].label
        }
        return WriterResult(writer: writer, samples: labels.count, measured: measured.count, before: before, after: accuracy(misreadAfter),
                            mnistBefore: run.result.mnistBefore, mnistAfter: run.result.mnistAfter,
                            accepted: run.result.accepted, seconds: monotonicSeconds() - started, misreadAfter: misreadAfter)
    }
}
