// InsightsEndpointTests.swift — the Model page's data: figures for your handwriting and MNIST test, the
// images behind a confusion cell, bad queries, a missing MNIST, and the curves of a retrained version.

import DigitsFiles
import DigitsStudio
import FeedbackStore
import Foundation
import Hummingbird
import HummingbirdTesting
import NeuralNetwork
import Synchronization
import Testing

/// The set `id` ("samples" or "mnist") of an insights answer.
private func set(_ answer: [String: Any], _ id: String) -> [String: Any] {
    (answer["sets"] as? [[String: Any]] ?? []).first { $0["id"] as? String == id } ?? [:]
}

private func confusion(_ set: [String: Any]) -> [[Int]] {
    set["confusion"] as? [[Int]] ?? []
}

@Suite struct InsightsEndpointTests {
    @Test func withoutSamplesOnlyMNISTIsShownAndTheCountsAreTheModelsOwn() async throws {
        let fixture = try await StudioFixture.make()
        defer { fixture.remove() }
        // The model's own evaluation of the synthetic test set, made here from the model file.
        let (network, _) = try ModelFile.read(path: fixture.modelPath)
        let expected = network.evaluate(syntheticMNIST().test).confusion.counts
        try await fixture.test { client in
            let response = try await client.execute(uri: "/api/model/insights", method: .get)
            #expect(response.status == .ok)
            let answer = JSON.object(response)
            #expect(answer["version"] as? String == "base")
            let samples = set(answer, "samples")
            #expect(samples["available"] as? Bool == false)
            #expect((samples["message"] as? String ?? "").contains("No saved samples yet"))
            let mnist = set(answer, "mnist")
            #expect(mnist["available"] as? Bool == true && mnist["count"] as? Int == 200)
            #expect(confusion(mnist) == expected)
            let diagonal = (0..<10).reduce(0) { $0 + expected[$1][$1] }
            #expect(abs((mnist["accuracy"] as? Double ?? -1) - Double(diagonal) / 200) < 1e-12)
            let sections = mnist["sections"] as? [[String: Any]] ?? []
            #expect(sections.compactMap { $0["id"] as? String } == ["per-digit", "confusion", "predictions", "mistakes"])
            let heatmap = ((sections[1]["figures"] as? [[String: Any]])?.first?["svg"] as? String) ?? ""
            #expect(heatmap.hasPrefix("<svg") && heatmap.components(separatedBy: "<g class=\"cell\"").count - 1 == 100)
            #expect(heatmap.contains("data-truth=\"3\" data-predicted=\"5\" data-count=\"\(expected[3][5])\""))
            let page = (answer["sections"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(page == ["curves", "first-layer"])
        }
    }

    @Test func samplesAreComparedWithMNISTAndEachCellListsItsImages() async throws {
        let fixture = try await StudioFixture.make()
        defer { fixture.remove() }
        try await fixture.test { client in
            try await saveBandSamples(client, count: 12)
            // What the model guessed for each sample when it was saved (same model): an independent confusion matrix.
            let listed = JSON.object(try await client.execute(uri: "/api/samples?limit=100", method: .get))["samples"] as? [[String: Any]] ?? []
            var expected = Array(repeating: Array(repeating: 0, count: 10), count: 10)
            for sample in listed { expected[sample["label"] as? Int ?? 0][sample["prediction"] as? Int ?? 0] += 1 }

            let answer = JSON.object(try await client.execute(uri: "/api/model/insights", method: .get))
            let samples = set(answer, "samples")
            #expect(samples["available"] as? Bool == true && samples["count"] as? Int == 12)
            #expect(confusion(samples) == expected)
            let perDigit = samples["perDigit"] as? [Any] ?? []
            #expect(perDigit.count == 10)
            // Digits 0 and 1 have two samples each, 2 to 9 one each: none is missing.
            #expect(perDigit.allSatisfy { $0 is Double })

            var listedIds = Set<Int>()
            for truth in 0..<10 {
                for predicted in 0..<10 where expected[truth][predicted] > 0 {
                    let response = try await client.execute(
                        uri: "/api/model/examples?set=samples&truth=\(truth)&predicted=\(predicted)", method: .get)
                    let cell = JSON.object(response)
                    #expect(response.status == .ok)
                    #expect(cell["total"] as? Int == expected[truth][predicted])
                    let examples = cell["examples"] as? [[String: Any]] ?? []
                    #expect(examples.count == expected[truth][predicted])
                    for example in examples {
                        let id = example["id"] as? Int ?? -1
                        let sample = listed.first { $0["id"] as? Int == id }
                        #expect(sample?["label"] as? Int == truth && sample?["prediction"] as? Int == predicted, "sample \(id)")
                        #expect((example["image"] as? String ?? "").hasPrefix("data:image/png;base64,iVBORw0KGgo"))
                        listedIds.insert(id)
                    }
                }
            }
            #expect(listedIds == Set(listed.compactMap { $0["id"] as? Int }), "every sample is in exactly one cell")

            // MNIST: a cell's images, capped by limit, most confident first.
            let mnist = confusion(set(answer, "mnist"))
            let (truth, predicted) = (0..<100).map { ($0 / 10, $0 % 10) }.max { mnist[$0.0][$0.1] < mnist[$1.0][$1.1] }!
            let cell = JSON.object(try await client.execute(
                uri: "/api/model/examples?set=mnist&truth=\(truth)&predicted=\(predicted)&limit=3", method: .get))
            #expect(cell["total"] as? Int == mnist[truth][predicted])
            let confidences = (cell["examples"] as? [[String: Any]] ?? []).compactMap { $0["confidence"] as? Double }
            #expect(confidences.count == min(3, mnist[truth][predicted]) && confidences == confidences.sorted(by: >))
        }
    }

    @Test func badQueriesSayWhatIsWrong() async throws {
        let fixture = try await StudioFixture.make()
        defer { fixture.remove() }
        try await fixture.test { client in
            let cases: [(String, String)] = [
                ("/api/model/examples", "say which images"),
                ("/api/model/examples?set=train&truth=1&predicted=1", "set is \"train\""),
                ("/api/model/examples?set=mnist&predicted=1", "truth is missing"),
                ("/api/model/examples?set=mnist&truth=10&predicted=1", "truth=10 is not valid; it must be a whole number from 0 to 9"),
                ("/api/model/examples?set=mnist&truth=1&predicted=x", "predicted=x is not valid; it must be a whole number from 0 to 9"),
                ("/api/model/examples?set=mnist&truth=1&predicted=1&limit=0", "limit=0 is not valid; it must be a whole number from 1 to 500"),
            ]
            for (uri, message) in cases {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .badRequest, "\(uri)")
                #expect(JSON.error(response).contains(message), "\(uri): \(JSON.error(response))")
            }
            // A cell with no images is an empty list, not an error.
            try await saveBandSamples(client, count: 1)
            let empty = JSON.object(try await client.execute(uri: "/api/model/examples?set=samples&truth=9&predicted=9", method: .get))
            #expect(empty["total"] as? Int == 0 && (empty["examples"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func withoutMNISTTheSamplesStillShowAndMNISTSaysHowToGetIt() async throws {
        let directory = NSTemporaryDirectory() + "digits-insights-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var generator = SeededGenerator(seed: 7)
        try ModelFile.write(Network.multilayerPerceptron(sizes: [784, 16, 10], generator: &generator), to: directory + "/model.safetensors")
        struct Missing: Error, CustomStringConvertible { var description: String { "no MNIST files in /nowhere" } }
        let studio = try await Studio(modelPath: directory + "/model.safetensors", store: SampleStore(), modelDirectory: directory + "/versions",
                                      loadMNIST: { throw Missing() })
        try await Application(router: buildRouter(studio)).test(.router) { client in
            try await saveBandSamples(client, count: 3)
            let answer = JSON.object(try await client.execute(uri: "/api/model/insights", method: .get))
            #expect(set(answer, "samples")["count"] as? Int == 3)
            let mnist = set(answer, "mnist")
            #expect(mnist["available"] as? Bool == false)
            #expect((mnist["message"] as? String ?? "").contains("no MNIST files in /nowhere") && (mnist["message"] as? String ?? "").contains("digits data download"))
            let response = try await client.execute(uri: "/api/model/examples?set=mnist&truth=1&predicted=1", method: .get)
            #expect(response.status == .serviceUnavailable && JSON.error(response).contains("digits data download"))
        }
    }

    @Test func aRetrainedVersionKeepsTheCurvesOfItsRetraining() async throws {
        let fixture = try await StudioFixture.make()
        defer { fixture.remove() }
        try await fixture.test { client in
            try await saveBandSamples(client, count: 10)
            _ = try await retrain(client, steps: 30)
            let files = try FileManager.default.contentsOfDirectory(atPath: fixture.directory + "/versions").filter { $0.hasSuffix(".safetensors") }
            #expect(files.count == 1)
            let (_, metadata) = try ModelFile.read(path: fixture.directory + "/versions/" + files[0])
            #expect(metadata["studio_retrained_from"] == "base")
            let steps = try JSONDecoder().decode([StepRecord].self, from: Data((metadata["step_history"] ?? "").utf8))
            #expect(steps.count == 30 && steps.last?.step == 30, "one window per step for a 30-step run")
            let history = try JSONDecoder().decode([EpochRecord].self, from: Data((metadata["history"] ?? "").utf8))
            #expect(history.count == 1)

            let answer = JSON.object(try await client.execute(uri: "/api/model/insights", method: .get))
            #expect(answer["version"] as? String == "v1" && answer["retrainedFrom"] as? String == "base")
            let curves = (answer["sections"] as? [[String: Any]] ?? []).first { $0["id"] as? String == "curves" } ?? [:]
            #expect((curves["text"] as? String ?? "").contains("retrained in the studio from base"))
            #expect((curves["figures"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String } == ["loss", "accuracy", "learning-rate"])
        }
    }
}

@Suite("Expensive requests are shared and bounded")
struct ExpensiveRequestTests {
    @Test("100 concurrent insights requests load MNIST once; the rest wait or are told to come back")
    func concurrentInsights() async throws {
        let loads = Mutex(0)
        let sets = syntheticMNIST()
        let fixture = try await StudioFixture.make(loadMNIST: {
            loads.withLock { $0 += 1 }
            Thread.sleep(forTimeInterval: 0.3)   // a slow disk: every request arrives while it loads
            return sets
        })
        defer { fixture.remove() }
        try await fixture.test { client in
            let statuses = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String?).self) { group in
                for _ in 0..<100 {
                    group.addTask {
                        let response = try await client.execute(uri: "/api/model/insights", method: .get)
                        return (response.status, response.headers[.retryAfter])
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let answered = statuses.filter { $0.0 == .ok }.count
            let busy = statuses.filter { $0.0 == .serviceUnavailable }
            #expect(answered + busy.count == 100, "\(Set(statuses.map(\.0.code)))")
            #expect(answered >= 2, "the first requests are answered")
            #expect(busy.allSatisfy { $0.1 == "5" }, "503 says when to come back")
            let later = try await client.execute(uri: "/api/model/insights", method: .get)
            #expect(later.status == .ok)
        }
        #expect(loads.withLock { $0 } == 1, "MNIST was loaded \(loads.withLock { $0 }) times")
    }
}
