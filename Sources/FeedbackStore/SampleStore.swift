// SampleStore.swift — the studio's SQLite database: saved samples, model versions, settings.
//
// One small type in front of GRDB. On disk it is a WAL-mode database with `synchronous = FULL`, so a write
// that has returned is on disk and survives the process being killed at any moment (or a power cut).
// Tests open it in memory.

import Foundation
import GRDB

/// Why the database could not be opened or used; says which file and what to do.
public struct SampleStoreError: Error, CustomStringConvertible {
    public let description: String
}

/// Saved samples and model versions, behind async methods that are safe to call from any task.
public final class SampleStore: Sendable {
    private let database: any DatabaseWriter
    /// The database file, or nil in memory.
    public let path: String?

    /// Opens (creating if needed) the database at `path`, checks it, and applies any pending migrations.
    ///
    /// A damaged file (SQLite's `quick_check` finds a problem, or it is not a database at all) stops the open
    /// with a one-line error that names the file and how to recover; nothing is written into it.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            // WAL (DatabasePool's mode) with FULL sync: every commit is fsynced before it returns.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT {
            throw Self.damaged(path, error.message ?? "SQLite error \(error.resultCode)")
        } catch {
            throw SampleStoreError(description: "cannot open the studio database \(path): \(error); "
                + "check the path is writable, or choose another file with --database")
        }
        try Self.checkIntegrity(pool, path: path)
        do {
            try Self.useIncrementalVacuum(pool)
            try Migrations.migrator.migrate(pool)
        } catch {
            throw SampleStoreError(description: "cannot prepare the studio database \(path): \(error); "
                + "check the path is writable, or choose another file with --database")
        }
        database = pool
        self.path = path
    }

    /// Throws when SQLite's `PRAGMA quick_check` finds the file damaged, or cannot read it at all.
    static func checkIntegrity(_ pool: DatabasePool, path: String) throws {
        let problems: [String]
        do {
            problems = try pool.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check") }
        } catch {
            try? pool.close()
            throw damaged(path, "\(error)".split(whereSeparator: \.isNewline).joined(separator: " "))
        }
        guard problems == ["ok"] else {
            try? pool.close()
            let detail = problems.prefix(3).joined(separator: "; ").split(whereSeparator: \.isNewline).joined(separator: " ")
            throw damaged(path, detail)
        }
    }

    private static func damaged(_ path: String, _ detail: String) -> SampleStoreError {
        SampleStoreError(description: "the studio database \(path) is damaged (\(detail)); nothing was written to it. "
            + "Move it aside (mv \(path) \(path).damaged) to start with an empty one, or restore a backup of it, "
            + "or start with another file: --database FILE")
    }

    /// Makes deleted rows give their space back to the file: `auto_vacuum = INCREMENTAL` (set on a new file;
    /// an older file is rebuilt once with VACUUM), then `PRAGMA incremental_vacuum` after each delete.
    static func useIncrementalVacuum(_ writer: any DatabaseWriter) throws {
        try writer.writeWithoutTransaction { db in
            let mode = try Int.fetchOne(db, sql: "PRAGMA auto_vacuum") ?? 0
            guard mode != 2 else { return }
            try db.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL")
            let tables = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0
            if tables > 0 { try db.execute(sql: "VACUUM") }
        }
    }

    /// A fresh database in memory (tests).
    public init() throws {
        database = try DatabaseQueue()
        try Self.useIncrementalVacuum(database)
        try Migrations.migrator.migrate(database)
        path = nil
    }

    /// Closes the database (folding the write-ahead log into the file); the store cannot be used afterwards.
    public func close() throws {
        if database is DatabasePool {
            try database.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        }
        try database.close()
    }

    /// Pages in the database file.
    public func pageCount() async throws -> Int {
        try await database.read { db in try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0 }
    }

    /// Pages of the file that hold nothing (0 after a delete: they are given back at once).
    public func freePages() async throws -> Int {
        try await database.read { db in try Int.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0 }
    }

    /// The names of the migrations applied, in order.
    public func appliedMigrations() async throws -> [String] {
        try await database.read { db in try Migrations.migrator.appliedMigrations(db) }
    }

    // MARK: Samples

    /// Stores `sample` and returns it with its id. When this returns, the sample is committed to disk.
    public func add(_ sample: Sample) async throws -> Sample {
        try await database.write { db in
            var stored = sample
            try stored.insert(db)
            return stored
        }
    }

    /// Samples newest first, `limit` of them after skipping `offset`.
    public func samples(limit: Int, offset: Int = 0) async throws -> [Sample] {
        try await database.read { db in
            try Sample.order(Sample.Columns.id.desc).limit(limit, offset: offset).fetchAll(db)
        }
    }

    /// Every sample, oldest first.
    public func allSamples() async throws -> [Sample] {
        try await database.read { db in try Sample.order(Sample.Columns.id).fetchAll(db) }
    }

    /// How many samples are stored.
    public func sampleCount() async throws -> Int {
        try await database.read { db in try Sample.fetchCount(db) }
    }

    /// Deletes the sample with `id`; false when there was none.
    public func deleteSample(id: Int64) async throws -> Bool {
        let deleted = try await database.write { db in try Sample.deleteOne(db, key: id) }
        if deleted {
            try await database.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA incremental_vacuum") }
        }
        return deleted
    }

    // MARK: Model versions

    /// Stores a new model version; when `makeCurrent`, it becomes the current version of its base in the
    /// same transaction (all or nothing).
    public func add(_ version: ModelVersion, makeCurrent: Bool) async throws -> ModelVersion {
        try await database.write { db in
            var stored = version
            try stored.insert(db)
            if makeCurrent {
                try StudioSetting(key: Self.currentKey(stored.baseDigest), value: stored.name).save(db)
            }
            return stored
        }
    }

    /// Versions fine-tuned from the base model with SHA-256 `baseDigest`, oldest first.
    public func modelVersions(baseDigest: String) async throws -> [ModelVersion] {
        try await database.read { db in
            try ModelVersion.filter(ModelVersion.Columns.baseDigest == baseDigest).order(ModelVersion.Columns.id).fetchAll(db)
        }
    }

    /// The file names of every version of every base model.
    public func allVersionFileNames() async throws -> Set<String> {
        try await database.read { db in Set(try String.fetchAll(db, sql: "SELECT fileName FROM modelVersion")) }
    }

    /// The name of the current version for `baseDigest` ("v3"), or nil for the base model itself.
    public func currentVersionName(baseDigest: String) async throws -> String? {
        try await database.read { db in
            try StudioSetting.fetchOne(db, key: Self.currentKey(baseDigest))?.value
        }
    }

    /// Makes version `name` current for `baseDigest`, or the base model when `name` is nil.
    public func setCurrentVersion(_ name: String?, baseDigest: String) async throws {
        try await database.write { db in
            if let name {
                try StudioSetting(key: Self.currentKey(baseDigest), value: name).save(db)
            } else {
                _ = try StudioSetting.deleteOne(db, key: Self.currentKey(baseDigest))
            }
        }
    }

    /// The version named `name` ("v3") of `baseDigest`, or nil when there is none.
    public func modelVersion(named name: String, baseDigest: String) async throws -> ModelVersion? {
        guard let id = ModelVersion.id(named: name) else { return nil }
        return try await database.read { db in
            try ModelVersion.filter(ModelVersion.Columns.baseDigest == baseDigest).filter(ModelVersion.Columns.id == id).fetchOne(db)
        }
    }

    /// Deletes the row of version `name`; false when there was none. The caller removes its file afterwards
    /// (a file without a row is removed at the next start anyway).
    public func deleteModelVersion(named name: String, baseDigest: String) async throws -> Bool {
        guard let id = ModelVersion.id(named: name) else { return false }
        return try await database.write { db in
            try ModelVersion.filter(ModelVersion.Columns.baseDigest == baseDigest).filter(ModelVersion.Columns.id == id).deleteAll(db) > 0
        }
    }

    // MARK: Training jobs

    /// Records a job that starts now; returns it with its id.
    public func startJob(kind: String) async throws -> TrainingJobRecord {
        try await database.write { db in
            var job = TrainingJobRecord(kind: kind)
            try job.insert(db)
            return job
        }
    }

    /// Records how job `id` ended.
    public func endJob(id: Int64, state: String, message: String?) async throws {
        try await database.write { db in
            try db.execute(sql: "UPDATE trainingJob SET state = ?, endedAt = ?, message = ? WHERE id = ?",
                           arguments: [state, Date(), message, id])
        }
    }

    /// Marks every job still "running" as "interrupted" (call once at start, before any job runs) and
    /// returns them.
    public func interruptRunningJobs() async throws -> [TrainingJobRecord] {
        try await database.write { db in
            let running = try TrainingJobRecord.filter(Column("state") == "running").fetchAll(db)
            try db.execute(sql: "UPDATE trainingJob SET state = 'interrupted', message = ? WHERE state = 'running'",
                           arguments: ["the studio stopped while this job ran (killed or crashed); the model in use did not change"])
            return running.map { var job = $0; job.state = "interrupted"; return job }
        }
    }

    /// The most recent job, or nil when none ever ran.
    public func lastJob() async throws -> TrainingJobRecord? {
        try await database.read { db in try TrainingJobRecord.order(Column("id").desc).fetchOne(db) }
    }

    private static func currentKey(_ baseDigest: String) -> String { "current-version:\(baseDigest)" }
}
