// Records.swift — the rows of the studio's database: user-drawn samples and model versions.
//
// Each record is a Codable struct whose properties are the table's columns (GRDB maps them by name);
// ids are nil until the row is inserted.

import Foundation
import GRDB

/// A digit drawn by a user and labelled by them: the network's 28×28 input and the drawing it came from.
public struct Sample: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "sample"

    /// Row id, assigned on insert.
    public var id: Int64?
    /// When it was saved (UTC).
    public var createdAt: Date
    /// The digit the user says it is, 0–9.
    public var label: Int
    /// What the model answered when it was saved, 0–9, or nil if unknown.
    public var prediction: Int?
    /// The preprocessed 28×28 image, row-major, 0 = paper, 255 = full ink (784 bytes).
    public var image: Data
    /// The drawing as it was sent (JSON), so it can be preprocessed again by a better pipeline.
    public var drawing: String

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let createdAt = Column(CodingKeys.createdAt)
        public static let label = Column(CodingKeys.label)
    }

    public init(id: Int64? = nil, createdAt: Date = Date(), label: Int, prediction: Int?, image: Data, drawing: String) {
        self.id = id
        self.createdAt = createdAt
        self.label = label
        self.prediction = prediction
        self.image = image
        self.drawing = drawing
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// A model made by retraining in the studio. The file lives in the studio's model directory; the row says
/// where it came from and how it scored. Whether it is the one in use is kept in `StudioSetting`.
public struct ModelVersion: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "modelVersion"

    /// Row id, assigned on insert; the version's name is "v" + id.
    public var id: Int64?
    public var createdAt: Date
    /// SHA-256 (hex) of the base model file it was fine-tuned from: versions of another base are not offered.
    public var baseDigest: String
    /// The model file's name inside the studio's model directory.
    public var fileName: String
    /// True when it passed the MNIST check and was made current; false when it was kept aside.
    public var accepted: Bool
    /// MNIST test accuracy, a fraction.
    public var mnistAccuracy: Double?
    /// Accuracy on the held-back user samples, a fraction; nil when none were held back.
    public var samplesAccuracy: Double?
    /// Why it was accepted or kept aside, in words.
    public var note: String
    /// SHA-256 (hex) of the model file's bytes when it was saved; nil for versions saved before checksums.
    public var sha256: String?
    /// How it was made: "finetune" (retrained from `parent` on the user's samples) or "new" (trained from
    /// scratch on the Train page).
    public var kind: String
    /// The training recipe as JSON (`TrainingRecipe.json`) for a new network; nil for a fine-tuning.
    public var recipe: String?
    /// The version it started from ("base", "v2"); nil for a new network.
    public var parent: String?
    /// Training steps (batches) it was trained for; nil for versions saved before steps were recorded.
    public var steps: Int?

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let baseDigest = Column(CodingKeys.baseDigest)
    }

    /// The row id named by "v3", or nil when `name` is not of that form.
    public static func id(named name: String) -> Int64? {
        guard name.hasPrefix("v"), let id = Int64(name.dropFirst()), id > 0, "v\(id)" == name else { return nil }
        return id
    }

    public init(id: Int64? = nil, createdAt: Date = Date(), baseDigest: String, fileName: String, accepted: Bool,
                mnistAccuracy: Double?, samplesAccuracy: Double?, note: String, sha256: String? = nil,
                kind: String = "finetune", recipe: String? = nil, parent: String? = nil, steps: Int? = nil) {
        self.id = id
        self.createdAt = createdAt
        self.baseDigest = baseDigest
        self.fileName = fileName
        self.accepted = accepted
        self.mnistAccuracy = mnistAccuracy
        self.samplesAccuracy = samplesAccuracy
        self.note = note
        self.sha256 = sha256
        self.kind = kind
        self.recipe = recipe
        self.parent = parent
        self.steps = steps
    }

    /// "v" followed by the row id ("v3"); "v?" before insertion.
    public var name: String { id.map { "v\($0)" } ?? "v?" }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// A named value that survives restarts (the current model version of each base model).
struct StudioSetting: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "setting"
    var key: String
    var value: String
}

/// One training job of the studio (a retraining or a new network): written when it starts and when it
/// ends, so that a job cut off by a killed process shows as "interrupted" on the next start.
public struct TrainingJobRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "trainingJob"

    public var id: Int64?
    /// "finetune" or "new".
    public var kind: String
    /// "running", "finished", "failed", "cancelled" or "interrupted".
    public var state: String
    public var startedAt: Date
    public var endedAt: Date?
    /// The version it made, or why it failed or was interrupted.
    public var message: String?

    public init(id: Int64? = nil, kind: String, state: String = "running", startedAt: Date = Date(), endedAt: Date? = nil, message: String? = nil) {
        self.id = id
        self.kind = kind
        self.state = state
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.message = message
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
