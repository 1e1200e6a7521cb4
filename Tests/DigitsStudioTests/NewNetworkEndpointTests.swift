// NewNetworkEndpointTests.swift — training a new network from the studio (`"kind": "new"`), the version
// list with how each version was made, making one current, deleting, downloading and comparing versions,
// and a job interrupted by a killed process.

import DigitsFiles
import DigitsStudio
import FeedbackStore
import Foundation
import Hummingbird
import HummingbirdTesting
import NeuralNetwork
import Testing

/// Starts a job with `body` and follows its event stream to the end; returns the events.
func runJob(_ client: any TestClientProtocol, _ body: [String: Any]) async throws -> [(name: String, data: [String: Any])] {
    let start = try await client.execute(uri: "/api/training", method: .post, headers: JSON.headers, body: JSON.body(body))
    #expect(start.status == .accepted, "\(String(buffer: start.body))")
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

/// The `result` of a job's last event (the `finished` event or a final status).
func jobResult(_ events: [(name: String, data: [String: Any])]) -> [String: Any] {
    events.last.flatMap { $0.data["result"] as? [String: Any] } ?? [:]
}

@Suite struct NewNetworkEndpointTests {
    @Test("every class of bad request is refused with what to change, and nothing starts")
    func badRequests() async throws {
        let fixture = try await StudioFixture.make()
        defer { fixture.remove() }
        try await fixture.test { client in
            let cases: [(String, HTTPResponse.Status, String)] = [
                (#"{"kind": "new", "preset": "huge"}"#, .badRequest, "unknown preset \"huge\""),
                (#"{"kind": "new", "architecture": "conv32k3-relu-flatten-dense1O"}"#, .unprocessableContent, "unknown layer \"dense1o\""),
                (#"{"kind": "new", "architecture": "flatten-dense10-conv8k3"}"#, .unprocessableContent, "comes after flatten or dense"),
                (#"{"kind": "new", "architecture": "flatten-dense7"}"#, .unprocessableContent, "must end with dense10"),
                (#"{"kind": "new", "architecture": "dense5000-relu-dense5000-relu-dense10"}"#, .unprocessableContent, "at most 20000000"),
                (#"{"kind": "new", "epochs": 0}"#, .badRequest, "epochs is 0"),
                (#"{"kind": "new", "epochs": 2, "steps": 3}"#, .badRequest, "not both"),
                (#"{"kind": "new", "learningRate": 0}"#, .badRequest, "learningRate is 0"),
                (#"{"kind": "new", "learningRate": -0.5}"#, .badRequest, "learningRate is -0.5"),
                (#"{"kind": "new", "learningRate": "fast"}"#, .badRequest, "learningRate must be a number"),
                (#"{"kind": "new", "learningRate": 1e999}"#, .badRequest, "malformed JSON"),
                (#"{"kind": "new", "optimizer": "rmsprop"}"#, .badRequest, "optimizer is \"rmsprop\""),
                (#"{"kind": "new", "batchSize": 0}"#, .badRequest, "batchSize is 0"),
                (#"{"kind": "new", "augment": "spin=3"}"#, .badRequest, "augment:"),
                (#"{"kind": "new", "samplesWeight": 0.9}"#, .badRequest, "samplesWeight is 0.9"),
                (#"{"kind": "new", "includeSamples": "yes"}"#, .badRequest, "includeSamples must be true or false"),
                (#"{"kind": "new", "includeSamples": true}"#, .unprocessableContent, "no saved samples"),
                (#"{"kind": "new", "layers": [784, 10]}"#, .badRequest, "unknown field \"layers\""),
                (#"{"kind": "finetune", "preset": "mlp"}"#, .badRequest, "unknown field \"preset\""),
                (#"{"kind": "retrain"}"#, .badRequest, "kind is \"retrain\""),
                (#"["new"]"#, .badRequest, "must be a JSON object"),
            ]
            for (body, status, fragment) in cases {
                let response = try await client.execute(uri: "/api/training", method: .post, headers: JSON.headers, body: ByteBuffer(string: body))
                #expect(response.status == status, "\(body): \(response.status)")
                #expect(JSON.error(response).contains(fragment), "\(body): \(JSON.error(response))")
            }
            let status = JSON.object(try await client.execute(uri: "/api/training", method: .get))
            #expect(status["state"] as? String == "idle")
        }
    }

    @Test("a new MLP trains from its first status to its result, kept as a version that is not current")
    func newNetworkRunsToTheEnd() async throws {
        let fixture = try await StudioFixture.make()
        defer { fixture.remove() }
        try await fixture.test { client in
            let events = try await runJob(client, ["kind": "new", "preset": "mlp", "epochs": 2, "validation": 100, "seed": 3])
            #expect(events.first?.name == "status")
            // A stream that begins mid-job (on a busy machine this tiny job can be well under way before the
            // client subscribes) starts with a status that holds the progress and the epoch rows so far.
            let snapshot = events.first?.data ?? [:]
            let joinedLate = (snapshot["step"] as? Int ?? 0) > 0
            #expect(events.contains { $0.name == "progress" } || joinedLate, "progress is streamed, or was in the first status: \(snapshot)")
            let rows = (snapshot["epochRows"] as? [[String: Any]] ?? []) + events.filter { $0.name == "epoch" }.map(\.data)
            #expect(rows.count == 2 && rows.last?["epoch"] as? Int == 2 && rows.last?["validationAccuracy"] is Double)
            #expect(events.last?.name == "finished")
            let result = jobResult(events)
            #expect(result["kind"] as? String == "new" && result["version"] as? String == "v1")
            #expect(result["trainingImages"] as? Int == 400 && result["epochs"] as? Int == 2 && result["steps"] as? Int == 14)
            #expect((result["perDigit"] as? [Double])?.count == 10 && (result["confusion"] as? [[Int]])?.count == 10)
            #expect((result["mnistAccuracy"] as? Double ?? 0) > 0.5, "the bands are easy: \(result["mnistAccuracy"] ?? "nil")")

            let model = JSON.object(try await client.execute(uri: "/api/model", method: .get))
            #expect(model["version"] as? String == "base", "a new network becomes current only when asked")
            let versions = model["versions"] as? [[String: Any]] ?? []
            #expect(versions.map { $0["id"] as? String } == ["base", "v1"])
            #expect(versions[1]["kind"] as? String == "new" && versions[1]["status"] as? String == "trained")
            #expect((versions[1]["recipe"] as? String)?.hasPrefix("784-128-64-10, sgd lr 0.1") == true)
            #expect(versions[1]["steps"] as? Int == 14 && versions[1]["parent"] is NSNull && versions[1]["current"] as? Bool == false)
            #expect(versions[0]["kind"] as? String == "base")
            let status = JSON.object(try await client.execute(uri: "/api/training", method: .get))
            #expect(status["state"] as? String == "finished" && (status["epochRows"] as? [Any])?.count == 2)
            #expect(try await fixture.store.lastJob()?.state == "finished")
        }
    }

    @Test("with includeSamples the samples (less the held-back fifth of each digit) join training and are measured")
    func samplesJoinTraining() async throws {
        let fixture = try await StudioFixture.make()
        defer { fixture.remove() }
        try await fixture.test { client in
            try await saveBandSamples(client, count: 50)
            let events = try await runJob(client, ["kind": "new", "preset": "mlp", "steps": 5, "includeSamples": true, "samplesWeight": 0.2])
            let result = jobResult(events)
            #expect(result["trainingSamples"] as? Int == 40 && result["samplesMeasured"] as? Int == 10)
            // 5 steps of 64 MNIST images, then samples making up 20 % of the set: 320 · 0.2 / 0.8 = 80.
            #expect(result["trainingImages"] as? Int == 400)
            #expect(result["samplesAccuracy"] is Double)
        }
    }

    @Test("a running new network refuses a retraining (409) and can be cancelled, leaving no version")
    func conflictAndCancel() async throws {
        // The job waits in its first phase (loading MNIST) until the cancel is sent, so it cannot finish first.
        let gate = DispatchSemaphore(value: 0)
        let fixture = try await StudioFixture.make(loadMNIST: { gate.wait(); return syntheticMNIST() })
        defer { fixture.remove() }
        try await fixture.test { client in
            try await saveBandSamples(client, count: 3)
            let started = try await client.execute(uri: "/api/training", method: .post, headers: JSON.headers,
                                                   body: JSON.body(["kind": "new", "preset": "mlp", "epochs": 100]))
            #expect(started.status == .accepted && JSON.object(started)["kind"] as? String == "new")
            let retraining = try await client.execute(uri: "/api/training", method: .post, headers: JSON.headers, body: JSON.body(["steps": 20]))
            #expect(retraining.status == .conflict && JSON.error(retraining).contains("already running"))
            #expect(try await client.execute(uri: "/api/training", method: .delete).status == .noContent)
            gate.signal()
            let events = serverSentEvents(try await client.execute(uri: "/api/training/events", method: .get).body)
            #expect(events.last?.name == "cancelled" || events.last?.data["state"] as? String == "cancelled")
            let versions = JSON.object(try await client.execute(uri: "/api/model", method: .get))["versions"] as? [[String: Any]]
            #expect(versions?.count == 1, "a cancelled job leaves no version")
            #expect(try await fixture.store.lastJob()?.state == "cancelled")
        }
    }

    @Test("versions: make one current and predict with it, compare two, download, delete; bad names are 404")
    func versionsLifecycle() async throws {
        let fixture = try await StudioFixture.make()
        defer { fixture.remove() }
        try await fixture.test { client in
            try await saveBandSamples(client, count: 10)
            _ = try await runJob(client, ["kind": "new", "preset": "mlp", "epochs": 3, "seed": 5])

            var response = try await client.execute(uri: "/api/model/current", method: .post, headers: JSON.headers, body: JSON.body(["version": "v1"]))
            #expect(response.status == .ok && JSON.object(response)["version"] as? String == "v1")
            let band = syntheticMNIST().test.image(3).map(Int.init)
            response = try await client.execute(uri: "/api/predict", method: .post, headers: JSON.headers,
                                                body: JSON.body(["width": 28, "height": 28, "pixels": band]))
            #expect(JSON.object(response)["model"] as? String == "v1")

            response = try await client.execute(uri: "/api/model/compare?a=base&b=v1", method: .get)
            #expect(response.status == .ok)
            let comparison = JSON.object(response)
            let a = comparison["a"] as? [String: Any] ?? [:], b = comparison["b"] as? [String: Any] ?? [:]
            #expect(a["version"] as? String == "base" && b["version"] as? String == "v1")
            let samplesA = a["samples"] as? [String: Any] ?? [:], samplesB = b["samples"] as? [String: Any] ?? [:]
            #expect(samplesA["count"] as? Int == 10 && (samplesB["perDigit"] as? [Any])?.count == 10)
            let mnistB = b["mnist"] as? [String: Any] ?? [:]
            #expect(mnistB["count"] as? Int == 200)
            // The difference is b − a, cell by cell, and every disagreement is a sample the two read differently.
            let confusionA = (a["mnist"] as? [String: Any])?["confusion"] as? [[Int]] ?? []
            let confusionB = mnistB["confusion"] as? [[Int]] ?? []
            let difference = comparison["mnistConfusionDifference"] as? [[Int]] ?? []
            #expect(difference.count == 10 && difference[3][3] == confusionB[3][3] - confusionA[3][3])
            for disagreement in comparison["disagreements"] as? [[String: Any]] ?? [] {
                #expect(disagreement["a"] as? Int != disagreement["b"] as? Int)
                #expect((disagreement["image"] as? String)?.hasPrefix("data:image/png;base64,") == true)
            }
            response = try await client.execute(uri: "/api/model/compare?a=base&b=v7", method: .get)
            #expect(response.status == .notFound && JSON.error(response).contains("no model version \"v7\""))
            response = try await client.execute(uri: "/api/model/compare?a=base", method: .get)
            #expect(response.status == .badRequest)

            response = try await client.execute(uri: "/api/model/versions/v1/file", method: .get)
            #expect(response.status == .ok && response.headers[.contentDisposition]?.contains("digits-v1.safetensors") == true)
            let downloaded = try ModelFile.decode(try SafeTensors.decode(Array(buffer: response.body), path: nil), path: nil)
            #expect(downloaded.summary.contains("dense(784→128)"))
            response = try await client.execute(uri: "/api/model/versions/base/file", method: .get)
            #expect(Array(buffer: response.body) == (try [UInt8](Data(contentsOf: URL(fileURLWithPath: fixture.modelPath)))))

            response = try await client.execute(uri: "/api/model/versions/v1", method: .delete)
            #expect(response.status == .conflict && JSON.error(response).contains("current model"))
            response = try await client.execute(uri: "/api/model/versions/base", method: .delete)
            #expect(response.status == .conflict && JSON.error(response).contains("base model cannot be deleted"))
            response = try await client.execute(uri: "/api/model/current", method: .post, headers: JSON.headers, body: JSON.body(["version": "base"]))
            #expect(JSON.object(response)["version"] as? String == "base")
            response = try await client.execute(uri: "/api/model/versions/v1", method: .delete)
            #expect(response.status == .noContent)
            #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.directory + "/versions").filter { $0.hasSuffix(".safetensors") }.isEmpty)
            for (method, uri) in [(HTTPRequest.Method.delete, "/api/model/versions/v1"), (.get, "/api/model/versions/v1/file"), (.delete, "/api/model/versions/zzz")] {
                #expect(try await client.execute(uri: uri, method: method).status == .notFound, "\(method) \(uri)")
            }
            for body in [#"{"version": "v9"}"#, #"{"version": 1}"#, #"{}"#, #"{"version": "v1", "x": 1}"#] {
                response = try await client.execute(uri: "/api/model/current", method: .post, headers: JSON.headers, body: ByteBuffer(string: body))
                #expect(response.status == (body.contains("v9") ? .notFound : .badRequest), "\(body): \(response.status)")
            }
        }
    }

    @Test("presets and the architecture check give the parameter count and multiply-adds, or the parse error")
    func presetsAndArchitectureCheck() async throws {
        let fixture = try await StudioFixture.make()
        defer { fixture.remove() }
        try await fixture.test { client in
            let presets = (try? JSONSerialization.jsonObject(with: Data(buffer: try await client.execute(uri: "/api/training/presets", method: .get).body))) as? [[String: Any]] ?? []
            let mlp = try #require(presets.first { $0["name"] as? String == "mlp" })
            #expect(mlp["parameters"] as? Int == 109_386 && mlp["multiplyAdds"] as? Int == 784 * 128 + 128 * 64 + 64 * 10)
            #expect(mlp["architecture"] as? String == "dense128-relu-dense64-relu-dense10")
            let valid = JSON.object(try await client.execute(uri: "/api/training/architecture?text=conv8k3-relu-maxpool2-flatten-dense10", method: .get))
            // conv: 3·3·1·8 weights + 8 biases = 80; 26×26 outputs → 13×13×8 = 1352 → dense10: 13530.
            #expect(valid["valid"] as? Bool == true && valid["parameters"] as? Int == 80 + 13_530)
            #expect(valid["multiplyAdds"] as? Int == 72 * 26 * 26 + 1352 * 10)
            let invalid = JSON.object(try await client.execute(uri: "/api/training/architecture?text=conv8k3-relu-dense", method: .get))
            #expect(invalid["valid"] as? Bool == false && (invalid["error"] as? String)?.contains("unknown layer \"dense\"") == true)
        }
    }

    @Test("a job left running by a killed process shows as interrupted on restart, with the previous model in use")
    func interruptedJobOnRestart() async throws {
        let directory = NSTemporaryDirectory() + "digits-interrupted-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let databasePath = directory + "/studio.sqlite"
        do {
            let store = try SampleStore(path: databasePath)
            _ = try await store.startJob(kind: "new")   // the process "dies" here: the row stays "running"
            try store.close()
        }
        let restarted = try await StudioFixture.make(store: try SampleStore(path: databasePath), directory: directory)
        #expect(restarted.studio.currentVersion == "base")
        #expect(restarted.studio.warnings.contains { $0.contains("was interrupted") })
        try await restarted.test { client in
            let status = JSON.object(try await client.execute(uri: "/api/training", method: .get))
            #expect(status["state"] as? String == "interrupted" && status["kind"] as? String == "new")
            #expect((status["error"] as? String)?.contains("killed or crashed") == true)
        }
        #expect(try await restarted.store.lastJob()?.state == "interrupted")
    }
}
