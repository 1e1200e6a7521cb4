// TrainingHistoryMetadata.swift — a run's history in a model file's or checkpoint's metadata: `history`
// (one JSON record per epoch) and `step_history` (the step windows), both JSON arrays.

import Foundation
import NeuralNetwork

/// The training history kept in safetensors metadata, written by `digits train` and the studio, read by
/// `digits report`, the studio's Model page and resumed checkpoints.
public enum TrainingHistoryMetadata {
    /// `["history": JSON, "step_history": JSON]` for the given records.
    public static func entries(history: [EpochRecord], stepHistory: [StepRecord]) -> [String: String] {
        func json<T: Encodable>(_ value: T) -> String {
            (try? JSONEncoder().encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
        }
        return ["history": json(history), "step_history": json(stepHistory)]
    }

    /// The epoch records in `metadata`; nil when the key is missing or not a valid list.
    public static func history(in metadata: [String: String]) -> [EpochRecord]? {
        metadata["history"].flatMap { try? JSONDecoder().decode([EpochRecord].self, from: Data($0.utf8)) }
    }

    /// The step windows in `metadata`; empty when missing (files written before step records existed).
    public static func stepHistory(in metadata: [String: String]) -> [StepRecord] {
        metadata["step_history"].flatMap { try? JSONDecoder().decode([StepRecord].self, from: Data($0.utf8)) } ?? []
    }
}
