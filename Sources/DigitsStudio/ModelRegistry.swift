// ModelRegistry.swift — which model answers now, the versions made by retraining, and safe swaps.
//
// The base model is the file `digits serve` was started with. Retraining writes a new version to the
// studio's model directory (atomically: a temporary file renamed into place), and only then records it in
// the database, in one transaction that also makes it current. A crash at any point leaves either the old
// current model or the new one, never a half-written file in use. Versions remember their base by SHA-256,
// so starting the studio with a different base model starts from that model.

import DigitsFiles
import FeedbackStore
import Foundation
import NeuralNetwork
import Synchronization

/// The studio's models: the base, the retrained versions, and the current one.
final class ModelRegistry: Sendable {
    let store: SampleStore
    let basePath: String
    /// SHA-256 (hex) of the base model file's bytes.
    let baseDigest: String
    /// Where retrained versions are written.
    let directory: String
    let base: Predictor
    private let currentPredictor: Mutex<Predictor>
    /// Problems met while opening (a missing or damaged version file), for the terminal.
    let warnings: [String]

    /// Reads the base model and the current version recorded in `store`. A current version whose file is
    /// missing or damaged is reported in `warnings` and the base model is used instead.
    init(basePath: String, directory: String, store: SampleStore) async throws {
        let bytes = try FileBytes.read(path: basePath)
        let weights = try SafeTensors.decode(bytes, path: basePath)
        self.base = try Predictor(version: "base", weights: weights, path: basePath)
        self.basePath = basePath
        self.baseDigest = SHA256.hexDigest(bytes)
        self.directory = directory
        self.store = store

        var warnings = Self.removeUnnamedFiles(in: directory, named: try await store.allVersionFileNames())
        var current = base
        if let name = try await store.currentVersionName(baseDigest: baseDigest) {
            let versions = try await store.modelVersions(baseDigest: baseDigest)
            if let version = versions.first(where: { $0.name == name }) {
                let path = (directory as NSString).appendingPathComponent(version.fileName)
                do {
                    let bytes = try FileBytes.read(path: path)
                    if let expected = version.sha256, SHA256.hexDigest(bytes) != expected {
                        throw ModelFileError(path: path, problem: "its bytes changed since it was saved (SHA-256 \(SHA256.hexDigest(bytes).prefix(12))…, "
                            + "recorded \(expected.prefix(12))…)")
                    }
                    current = try Predictor(version: name, weights: SafeTensors.decode(bytes, path: path), path: path)
                } catch {
                    warnings.append("model version \(name) could not be loaded (\(error)); using the base model instead")
                    try await store.setCurrentVersion(nil, baseDigest: baseDigest)
                }
            } else {
                warnings.append("model version \(name) is not recorded; using the base model instead")
                try await store.setCurrentVersion(nil, baseDigest: baseDigest)
            }
        }
        self.currentPredictor = Mutex(current)
        self.warnings = warnings
    }

    /// Deletes files in the version directory that no database row names: versions whose save was cut off
    /// after the file was written but before the database named it, and leftover temporary files. Returns a
    /// line for each, for the terminal.
    static func removeUnnamedFiles(in directory: String, named: Set<String>) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        var removed: [String] = []
        for name in names.sorted() where !named.contains(name) {
            let isVersion = name.hasPrefix("version-") && name.hasSuffix(".safetensors")
            let isTemporary = name.hasPrefix(".version-") && name.contains(".tmp-")
            guard isVersion || isTemporary else { continue }
            let path = (directory as NSString).appendingPathComponent(name)
            if (try? FileManager.default.removeItem(atPath: path)) != nil {
                removed.append("removed \(path): no model version names it (a retraining was stopped while saving)")
            }
        }
        return removed
    }

    /// The model that answers predictions now.
    var current: Predictor { currentPredictor.withLock { $0 } }

    /// Saves `network` as a new version and, when `makeCurrent`, makes it current. The file is complete on
    /// disk before the database names it. `history` and `stepHistory` (the training's curves), the version it
    /// was `retrainedFrom` and the `recipe` of a new network are kept in the file's metadata, like
    /// `digits train` keeps them.
    func addVersion(_ network: Network, accepted: Bool, makeCurrent: Bool? = nil, mnistAccuracy: Double?, samplesAccuracy: Double?,
                    note: String, history: [EpochRecord] = [], stepHistory: [StepRecord] = [],
                    retrainedFrom: String? = nil, kind: String = "finetune", recipe: String? = nil, steps: Int? = nil,
                    notADigitRule: NotADigitRule = .never) async throws -> ModelVersion {
        let makeCurrent = makeCurrent ?? accepted
        try AtomicFile.createDirectories(directory)
        let fileName = "version-\(UUID().uuidString.lowercased()).safetensors"
        let path = (directory as NSString).appendingPathComponent(fileName)
        var metadata = TrainingHistoryMetadata.entries(history: history, stepHistory: stepHistory)
        metadata["studio_base_sha256"] = baseDigest
        if let retrainedFrom { metadata["studio_retrained_from"] = retrainedFrom }
        if let recipe { metadata["recipe"] = recipe }
        metadata.merge(DrawingReader.metadata(for: notADigitRule)) { _, new in new }
        if let mnistAccuracy { metadata["test_accuracy"] = String(mnistAccuracy) }
        // Encoded once: these bytes are written, hashed for the record, and served.
        let weights = ModelFile.encode(network, metadata: metadata)
        let bytes = try weights.encode()
        try AtomicFile.write(bytes, to: path)
        let record = ModelVersion(baseDigest: baseDigest, fileName: fileName, accepted: accepted, mnistAccuracy: mnistAccuracy,
                                  samplesAccuracy: samplesAccuracy, note: note, sha256: SHA256.hexDigest(bytes),
                                  kind: kind, recipe: recipe, parent: retrainedFrom, steps: steps)
        let stored = try await store.add(record, makeCurrent: makeCurrent)
        if makeCurrent {
            let predictor = try Predictor(version: stored.name, weights: weights, path: path)
            currentPredictor.withLock { $0 = predictor }
        }
        return stored
    }

    /// The record of version `name` ("v3"); 404 when this base has none of that name.
    func record(named name: String) async throws -> ModelVersion {
        guard let record = try await store.modelVersion(named: name, baseDigest: baseDigest) else {
            throw StudioError(.notFound, "there is no model version \"\(name)\"; GET /api/model lists them (\"base\", \"v1\", …)")
        }
        return record
    }

    /// The bytes of version `name`'s file ("base": the base model's), checked against the SHA-256 recorded
    /// when it was saved.
    func fileBytes(named name: String) async throws -> [UInt8] {
        if name == "base" { return try FileBytes.read(path: basePath) }
        let record = try await record(named: name)
        let path = (directory as NSString).appendingPathComponent(record.fileName)
        let bytes: [UInt8]
        do { bytes = try FileBytes.read(path: path) } catch {
            throw StudioError(.internalServerError, "the file of model version \(name) cannot be read (\(error)); delete the version or restore \(path)")
        }
        if let expected = record.sha256, SHA256.hexDigest(bytes) != expected {
            throw StudioError(.internalServerError, "the file of model version \(name) changed since it was saved (\(path)); delete the version")
        }
        return bytes
    }

    /// A predictor for version `name` ("base" or "v3"): the current one when it is current, else loaded
    /// from its file.
    func predictor(named name: String) async throws -> Predictor {
        if name == current.version { return current }
        if name == "base" { return base }
        let record = try await record(named: name)
        let bytes = try await fileBytes(named: name)
        let path = (directory as NSString).appendingPathComponent(record.fileName)
        return try Predictor(version: name, weights: SafeTensors.decode(bytes, path: path), path: path)
    }

    /// Makes version `name` ("base" or "v3") the one that answers; 404 when there is no such version.
    func makeCurrent(_ name: String) async throws {
        if name == "base" { return try await reset() }
        let predictor = try await predictor(named: name)
        try await store.setCurrentVersion(name, baseDigest: baseDigest)
        currentPredictor.withLock { $0 = predictor }
    }

    /// Deletes version `name`: its row, then its file. The base model and the current version cannot be
    /// deleted (409).
    func delete(_ name: String) async throws {
        guard name != "base" else {
            throw StudioError(.conflict, "the base model cannot be deleted: it is the file the studio was started with")
        }
        guard name != current.version else {
            throw StudioError(.conflict, "\(name) is the current model; make another version current first (POST /api/model/current)")
        }
        let record = try await record(named: name)
        _ = try await store.deleteModelVersion(named: name, baseDigest: baseDigest)
        // A file left behind (the process killed here) has no row and is removed at the next start.
        try? FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent(record.fileName))
    }

    /// Goes back to the base model.
    func reset() async throws {
        try await store.setCurrentVersion(nil, baseDigest: baseDigest)
        currentPredictor.withLock { $0 = base }
    }

    /// The versions of this base, oldest first.
    func versions() async throws -> [ModelVersion] {
        try await store.modelVersions(baseDigest: baseDigest)
    }
}
