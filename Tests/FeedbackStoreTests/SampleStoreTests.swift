// SampleStoreTests.swift — the samples database: add, list, delete, versions, durability across reopen.

import DigitsFiles
import FeedbackStore
import Foundation
import Testing

/// A sample whose image is all `value` (784 bytes).
func makeSample(label: Int, prediction: Int? = nil, value: UInt8 = 0) -> Sample {
    Sample(label: label, prediction: prediction, image: Data(repeating: value, count: 784), drawing: #"{"width":28,"height":28}"#)
}

/// A fresh temporary directory, removed by the caller.
func temporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "digits-store-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

@Suite struct SampleStoreTests {
    @Test func migrationsAreNamedAndApplied() async throws {
        let store = try SampleStore()
        #expect(try await store.appliedMigrations() == ["1-samples", "2-model-versions", "3-version-checksums", "4-version-recipes-and-jobs"])
    }

    @Test func addAssignsIdsAndListsNewestFirst() async throws {
        let store = try SampleStore()
        let first = try await store.add(makeSample(label: 3, prediction: 5))
        let second = try await store.add(makeSample(label: 7))
        #expect(first.id == 1 && second.id == 2)
        #expect(try await store.sampleCount() == 2)
        let listed = try await store.samples(limit: 10)
        #expect(listed.map(\.id) == [2, 1])
        #expect(listed[1].label == 3 && listed[1].prediction == 5 && listed[0].prediction == nil)
        #expect(try await store.samples(limit: 1, offset: 1).map(\.id) == [1])
        #expect(try await store.allSamples().map(\.id) == [1, 2])
    }

    @Test func deleteRemovesOnlyThatSample() async throws {
        let store = try SampleStore()
        _ = try await store.add(makeSample(label: 1))
        let second = try await store.add(makeSample(label: 2))
        #expect(try await store.deleteSample(id: second.id!))
        #expect(try await !store.deleteSample(id: second.id!))
        #expect(try await store.allSamples().map(\.label) == [1])
    }

    @Test func schemaRefusesImpossibleRows() async throws {
        let store = try SampleStore()
        await #expect(throws: (any Error).self) { _ = try await store.add(makeSample(label: 10)) }
        var short = makeSample(label: 1)
        short.image = Data(count: 100)
        await #expect(throws: (any Error).self) { _ = try await store.add(short) }
        #expect(try await store.sampleCount() == 0)
    }

    @Test func modelVersionsAndTheCurrentOnePerBase() async throws {
        let store = try SampleStore()
        #expect(try await store.currentVersionName(baseDigest: "aa") == nil)
        let accepted = try await store.add(
            ModelVersion(baseDigest: "aa", fileName: "one.safetensors", accepted: true, mnistAccuracy: 0.98, samplesAccuracy: nil, note: "ok"),
            makeCurrent: true)
        #expect(accepted.name == "v1")
        let rejected = try await store.add(
            ModelVersion(baseDigest: "aa", fileName: "two.safetensors", accepted: false, mnistAccuracy: 0.5, samplesAccuracy: 1, note: "worse"),
            makeCurrent: false)
        #expect(rejected.name == "v2")
        #expect(try await store.currentVersionName(baseDigest: "aa") == "v1")
        #expect(try await store.currentVersionName(baseDigest: "bb") == nil)
        #expect(try await store.modelVersions(baseDigest: "aa").map(\.name) == ["v1", "v2"])
        #expect(try await store.modelVersions(baseDigest: "bb").isEmpty)
        try await store.setCurrentVersion(nil, baseDigest: "aa")
        #expect(try await store.currentVersionName(baseDigest: "aa") == nil)
    }

    @Test func samplesSurviveClosingAndReopeningTheFile() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/studio.sqlite"
        do {
            let store = try SampleStore(path: path)
            _ = try await store.add(makeSample(label: 4, value: 9))
        }
        let reopened = try SampleStore(path: path)
        let samples = try await reopened.allSamples()
        #expect(samples.count == 1 && samples[0].label == 4 && samples[0].image == Data(repeating: 9, count: 784))
        #expect(try await reopened.appliedMigrations().count == 4)
    }

    @Test func unwritableLocationGivesAClearError() {
        #expect {
            _ = try SampleStore(path: "/proc/digits-no-such-dir/studio.sqlite")
        } throws: { error in
            "\(error)".contains("cannot open the studio database /proc/digits-no-such-dir/studio.sqlite")
        }
    }
}
