// TrainingEndpointTests.swift — retraining jobs, their event stream, model versions, reset and restarts.

import DigitsFiles
import DigitsStudio
import FeedbackStore
import Foundation
import Hummingbird
import HummingbirdTesting
import NeuralNetwork
import Testing

/// The events of a server-sent-events body, in order: (name, JSON object).
func serverSentEvents(_ body: ByteBuffer) -> [(name: String, data: [String: Any])] {
    String(buffer: body).components(separatedBy: "\n\n").compactMap { block in
        var name: String?, data: [String: Any] = [:]
        for line in block.split(separator: "\n") {
            if line.hasPrefix("event: ") { name = String(line.dropFirst(7)) }
            if line.hasPrefix("data: ") {
                data = (try? JSONSerialization.jsonObject(with: Data(line.dropFirst(6).utf8))) as? [String: Any] ?? [:]
            }
        }
        return name.map { ($0, data) }
    }
}

/// Saves `count` samples of the synthetic "band" digits through the API (pixels form).
func saveBandSamples(_ client: any TestClientProtocol, count: Int, headers: HTTPFields = [:]) async throws {
    var headers = headers
    headers[.contentType] = "application/json"
    let sets = syntheticMNIST()
    for index in 0..<count {
        let pixels = sets.train.image(index).map(Int.init)
        let response = try await client.execute(uri: "/api/samples", method: .post, headers: headers,
                                                body: JSON.body(["width": 28, "height": 28, "pixels": pixels, "label": Int(sets.train.labels[index])]))
        #expect(response.status == .created)
    }
}

/// Starts a job and waits for its end through the event stream; returns the events.
func retrain(_ client: any TestClientProtocol, steps: Int) async throws -> [(name: String, data: [String: Any])] {
    let start = try await client.execute(uri: "/api/training", method: .post, headers: JSON.headers, body: JSON.body(["steps": steps]))
    #expect(start.status == .accepted, "\(String(buffer: start.body))")
    #expect(JSON.object(start)["state"] as? String == "running")
    var events: [(name: String, data: [String: Any])] = []
    for _ in 0..<200 {
        events += serverSentEvents(try await client.execute(uri: "/api/training/events", method: .get).body)
        if let last = events.last, ["finished", "failed", "cancelled"].contains(last.name) || last.data["state"] as? String != "running" {
            return events
        }
    }
    Issue.record("the job did not end")
    return events
}

@Suite struct TrainingEndpointTests {
    @Test func retrainingNeedsSamplesAndSaneSteps() async throws {
        let fixture = try await StudioFixture.make()
        defer { fixture.remove() }
        try await fixture.test { client in
            var response = try await client.execute(uri: "/api/training", method: .post)
            #expect(response.status == .unprocessableContent && JSON.error(response).contains("no saved samples"))
            try await saveBandSamples(client, count: 1)
            response = try await client.execute(uri: "/api/training", method: .post, headers: JSON.headers, body: JSON.body(["steps": 5]))
            #expect(response.status == .badRequest && JSON.error(response).contains("steps is 5"))
            response = try await client.execute(uri: "/api/training", method: .post, headers: JSON.headers, body: ByteBuffer(string: "{steps"))
            #expect(response.status == .badRequest)
            response = try await client.execute(uri: "/api/training", method: .delete)
            #expect(response.status == .conflict && JSON.error(response).contains("no training job is running"))
            let idle = JSON.object(try await client.execute(uri: "/api/training", method: .get))
            #expect(idle["state"] as? String == "idle" && idle["result"] is NSNull)
        }
    }

    @Test func twentySamplesTwoPerDigitAreAllTrainedOn() async throws {
        let fixture = try await StudioFixture.make()
        defer { fixture.remove() }
        try await fixture.test { client in
            try await saveBandSamples(client, count: 20)
            let events = try await retrain(client, steps: 20)
            let finished = try #require(events.last { $0.name == "finished" || $0.name == "status" })
            let result = (finished.data["result"] as? [String: Any]) ?? [:]
            #expect(result["heldOut"] as? Int == 0 && result["trainingSamples"] as? Int == 20, "\(result)")
        }
    }

    @Test func aJobStreamsProgressAndAnImprovedModelBecomesCurrent() async throws {
        let fixture = try await StudioFixture.make()
        defer { fixture.remove() }
        try await fixture.test { client in
            // 0…9 five times: the fifth sample of each digit is held back, one per digit.
            try await saveBandSamples(client, count: 50)
            let events = try await retrain(client, steps: 40)
            let progress = events.filter { $0.name == "progress" }
            // On a busy machine the client can subscribe after the job's steps are done: its first status then
            // holds the progress (the step reached) instead of the stream.
            let firstStatus = events.first?.data ?? [:]
            #expect(!progress.isEmpty || (firstStatus["step"] as? Int ?? 0) > 0, "progress is streamed, or was in the first status: \(firstStatus)")
            #expect(progress.allSatisfy { ($0.data["steps"] as? Int) == 40 && ($0.data["loss"] as? Double ?? -1) >= 0 })
            let finished = try #require(events.last { $0.name == "finished" || $0.name == "status" })
            let result = (finished.data["result"] as? [String: Any]) ?? [:]
            #expect(result["accepted"] as? Bool == true, "\(result)")
            #expect(result["heldOut"] as? Int == 10 && result["trainingSamples"] as? Int == 40)
            #expect((result["mnistAfter"] as? Double ?? 0) > 0.9, "synthetic bands are easy")
            #expect(result["samplesAfter"] as? Double != nil && result["samplesBefore"] as? Double != nil)
            #expect(result["version"] as? String == "v1")

            let status = JSON.object(try await client.execute(uri: "/api/training", method: .get))
            #expect(status["state"] as? String == "finished" && status["step"] as? Int == 40)
            let model = JSON.object(try await client.execute(uri: "/api/model", method: .get))
            #expect(model["version"] as? String == "v1")
            let versions = model["versions"] as? [[String: Any]] ?? []
            #expect(versions.compactMap { $0["status"] as? String } == ["base", "active"])
            let predict = JSON.object(try await client.execute(uri: "/api/predict", method: .post,
                                                               body: JSON.body(["width": 280, "height": 280, "strokes": barStrokes])))
            #expect(predict["model"] as? String == "v1")

            let reset = JSON.object(try await client.execute(uri: "/api/model/reset", method: .post))
            #expect(reset["version"] as? String == "base")
            #expect((reset["versions"] as? [[String: Any]])?.compactMap { $0["status"] as? String } == ["base", "retired"])
        }
    }

    @Test("a retrained version says \"not a digit\" as its parent did: the rule is kept in its file", arguments: NotADigitRule.allCases)
    func aRetrainingKeepsTheRule(rule: NotADigitRule) async throws {
        let fixture = try await StudioFixture.make(modelMetadata: DrawingReader.metadata(for: rule))
        defer { fixture.remove() }
        try await fixture.test { client in
            try await saveBandSamples(client, count: 20)
            let events = try await retrain(client, steps: 20)
            let result = (events.last?.data["result"] as? [String: Any]) ?? [:]
            #expect(result["version"] as? String == "v1", "\(result)")
            // The Model page says how the current version rejects.
            let model = JSON.object(try await client.execute(uri: "/api/model", method: .get))
            #expect(model["version"] as? String == "v1" || result["accepted"] as? Bool == false)
            #expect(model["notADigit"] as? String == rule.explanation, "\(model)")
        }
        let versions = try FileManager.default.contentsOfDirectory(atPath: fixture.directory + "/versions").filter { $0.hasSuffix(".safetensors") }
        #expect(versions.count == 1)
        for name in versions {
            let (_, metadata) = try ModelFile.read(path: fixture.directory + "/versions/" + name)
            #expect(DrawingReader.rule(metadata: metadata) == rule, "\(metadata)")
        }
    }

    @Test func aModelThatForgetsMNISTIsKeptAside() async throws {
        // The base model reads the "band" digits perfectly. The user's samples give the bands wrong labels
        // and the "MNIST" images mixed in are noise, so fine-tuning unlearns the test set.
        let directory = NSTemporaryDirectory() + "digits-studio-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let bands = syntheticMNIST()
        var generator = SeededGenerator(seed: 3)
        let base = Network.multilayerPerceptron(sizes: [784, 32, 10], generator: &generator)
        _ = Trainer(network: base, optimizer: SGD(momentum: 0.9), settings: TrainingSettings(epochs: 3, batchSize: 20, learningRate: 0.05),
                    trainingSet: bands.train).run(clock: { 0 })
        try ModelFile.write(base, to: directory + "/model.safetensors")
        let noise = LabeledImages(pixels: (0..<500 * 784).map { _ in UInt8.random(in: 0...255, using: &generator) },
                                  labels: (0..<500).map { UInt8($0 % 10) })
        let fixture = try await StudioFixture.make(directory: directory, mnist: (noise, bands.test))
        defer { fixture.remove() }
        try await fixture.test { client in
            for index in 0..<10 {
                let pixels = bands.train.image(index).map(Int.init)
                let wrongLabel = (Int(bands.train.labels[index]) + 1) % 10
                let saved = try await client.execute(uri: "/api/samples", method: .post,
                                                     headers: JSON.headers, body: JSON.body(["width": 28, "height": 28, "pixels": pixels, "label": wrongLabel]))
                #expect(saved.status == .created)
            }
            let events = try await retrain(client, steps: 100)
            let result = (events.last?.data["result"] as? [String: Any]) ?? [:]
            #expect(result["mnistBefore"] as? Double == 1, "\(result)")
            #expect(result["accepted"] as? Bool == false, "\(result)")
            #expect((result["reason"] as? String)?.contains("kept aside: MNIST test accuracy fell from 100.00%") == true, "\(result)")
            let model = JSON.object(try await client.execute(uri: "/api/model", method: .get))
            #expect(model["version"] as? String == "base")
            #expect((model["versions"] as? [[String: Any]])?.last?["status"] as? String == "kept-aside")
        }
    }

    @Test func aSecondJobWaitsAndARunningJobCanBeCancelled() async throws {
        // The job waits in its first phase (loading MNIST) until the cancel is sent, so on a busy machine it
        // cannot finish before the cancel arrives.
        let gate = DispatchSemaphore(value: 0)
        let fixture = try await StudioFixture.make(loadMNIST: { gate.wait(); return syntheticMNIST() })
        defer { fixture.remove() }
        try await fixture.test { client in
            try await saveBandSamples(client, count: 3)
            let start = try await client.execute(uri: "/api/training", method: .post, headers: JSON.headers, body: JSON.body(["steps": 5000]))
            #expect(start.status == .accepted)
            let second = try await client.execute(uri: "/api/training", method: .post)
            #expect(second.status == .conflict && JSON.error(second).contains("already running"))
            let cancel = try await client.execute(uri: "/api/training", method: .delete)
            #expect(cancel.status == .noContent)
            gate.signal()
            let events = serverSentEvents(try await client.execute(uri: "/api/training/events", method: .get).body)
            #expect(events.last?.name == "cancelled" || events.last?.data["state"] as? String == "cancelled")
            let model = JSON.object(try await client.execute(uri: "/api/model", method: .get))
            #expect((model["versions"] as? [[String: Any]])?.count == 1, "a cancelled job leaves no version")
        }
    }

    @Test func aRestartKeepsTheCurrentVersionAndSurvivesADamagedOne() async throws {
        let (directory, databasePath) = try await studioWithOneRetrainedVersion()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let restarted = try await StudioFixture.make(store: try SampleStore(path: databasePath), directory: directory)
        #expect(restarted.studio.currentVersion == "v1" && restarted.studio.warnings.isEmpty)
        #expect(try await restarted.store.sampleCount() == 5)

        // Damage the version file: the studio starts on the base model and says why.
        let versions = try FileManager.default.contentsOfDirectory(atPath: directory + "/versions")
        #expect(versions.count == 1)
        try Data("not a model".utf8).write(to: URL(fileURLWithPath: directory + "/versions/" + versions[0]))
        let afterDamage = try await StudioFixture.make(store: try SampleStore(path: databasePath), directory: directory)
        #expect(afterDamage.studio.currentVersion == "base")
        #expect(afterDamage.studio.warnings.first?.contains("could not be loaded") == true)
    }

    @Test func changedBytesInAVersionAreCaughtAndUnnamedFilesRemoved() async throws {
        let (directory, databasePath) = try await studioWithOneRetrainedVersion()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let versionsDirectory = directory + "/versions"
        let file = versionsDirectory + "/" + (try FileManager.default.contentsOfDirectory(atPath: versionsDirectory))[0]
        // 64 bytes changed in the middle of the weights: still a readable model, but not the one saved.
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
        for offset in (bytes.count - 2000)..<(bytes.count - 1936) { bytes[offset] ^= 0x01 }
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        // A version file that no row names (a save cut off by kill -9), and a leftover temporary file.
        try Data("orphan".utf8).write(to: URL(fileURLWithPath: versionsDirectory + "/version-orphan.safetensors"))
        try Data("partial".utf8).write(to: URL(fileURLWithPath: versionsDirectory + "/.version-x.safetensors.tmp-1-2"))
        let restarted = try await StudioFixture.make(store: try SampleStore(path: databasePath), directory: directory)
        #expect(restarted.studio.currentVersion == "base")
        let warnings = restarted.studio.warnings.joined(separator: "\n")
        #expect(warnings.contains("bytes changed since it was saved"), "\(warnings)")
        #expect(warnings.contains("version-orphan.safetensors") && warnings.contains(".tmp-1-2"), "\(warnings)")
        let left = try FileManager.default.contentsOfDirectory(atPath: versionsDirectory)
        #expect(left == [(file as NSString).lastPathComponent], "\(left)")
    }
}

/// A studio directory (database and versions) where 5 samples were saved and one retraining was accepted;
/// the caller removes the directory.
func studioWithOneRetrainedVersion() async throws -> (directory: String, databasePath: String) {
    let directory = NSTemporaryDirectory() + "digits-studio-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let databasePath = directory + "/studio.sqlite"
    let fixture = try await StudioFixture.make(store: try SampleStore(path: databasePath), directory: directory)
    try await fixture.test { client in
        try await saveBandSamples(client, count: 5)
        let events = try await retrain(client, steps: 30)
        #expect((events.last?.data["result"] as? [String: Any])?["accepted"] as? Bool == true)
    }
    return (directory, databasePath)
}
