// SamplesEndpointTests.swift — saving, listing, deleting and exporting samples; the token on writes.

import DigitsFiles
import DigitsStudio
import FeedbackStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct SamplesEndpointTests {
    let drawing: [String: Any] = ["width": 280, "height": 280, "strokes": barStrokes]

    func sample(label: Any, prediction: Any? = nil) -> ByteBuffer {
        var body = drawing
        body["label"] = label
        if let prediction { body["prediction"] = prediction }
        return JSON.body(body)
    }

    @Test func savedSamplesAreListedNewestFirstAndStored() async throws {
        let fixture = try await StudioFixture.make()
        defer { fixture.remove() }
        try await fixture.test { client in
            let first = try await client.execute(uri: "/api/samples", method: .post, headers: JSON.headers, body: sample(label: 1, prediction: 7))
            #expect(first.status == .created)
            #expect(JSON.object(first)["id"] as? Int == 1 && JSON.object(first)["prediction"] as? Int == 7)
            let second = try await client.execute(uri: "/api/samples", method: .post, headers: JSON.headers, body: sample(label: 4))
            #expect(JSON.object(second)["id"] as? Int == 2)
            #expect(JSON.object(second)["prediction"] is Int)   // computed when not sent

            let listing = JSON.object(try await client.execute(uri: "/api/samples?limit=1", method: .get))
            #expect(listing["total"] as? Int == 2)
            let samples = listing["samples"] as? [[String: Any]] ?? []
            #expect(samples.count == 1 && samples[0]["id"] as? Int == 2 && samples[0]["label"] as? Int == 4)
            #expect((samples[0]["image"] as? [Int])?.count == 784 && samples[0]["createdAt"] is String)
            let page2 = JSON.object(try await client.execute(uri: "/api/samples?limit=1&offset=1", method: .get))
            #expect((page2["samples"] as? [[String: Any]])?.first?["id"] as? Int == 1)
        }
        let stored = try await fixture.store.allSamples()
        #expect(stored.map(\.label) == [1, 4])
        #expect(stored[0].drawing.contains("\"strokes\""))
        #expect(stored[0].image.max()! == 255)
    }

    @Test func badSamplesAreRefused() async throws {
        let fixture = try await StudioFixture.make()
        defer { fixture.remove() }
        try await fixture.test { client in
            var response = try await client.execute(uri: "/api/samples", method: .post, headers: JSON.headers, body: JSON.body(drawing))
            #expect(response.status == .badRequest && JSON.error(response).contains("missing field \"label\""))
            response = try await client.execute(uri: "/api/samples", method: .post, headers: JSON.headers, body: sample(label: 12))
            #expect(response.status == .badRequest && JSON.error(response).contains("label is 12"))
            response = try await client.execute(uri: "/api/samples", method: .post, headers: JSON.headers, body: sample(label: "seven"))
            #expect(response.status == .badRequest && JSON.error(response).contains("label must be an integer"))
            response = try await client.execute(uri: "/api/samples", method: .post, headers: JSON.headers, body: sample(label: 3, prediction: -1))
            #expect(response.status == .badRequest && JSON.error(response).contains("prediction is -1"))
            response = try await client.execute(uri: "/api/samples", method: .post,
                                                headers: JSON.headers, body: JSON.body(["width": 280, "height": 280, "strokes": [] as [Any], "label": 3]))
            #expect(response.status == .unprocessableContent && JSON.error(response).contains("nothing to save"))
            for query in ["limit=0", "limit=abc", "limit=1001", "offset=-1"] {
                response = try await client.execute(uri: "/api/samples?\(query)", method: .get)
                #expect(response.status == .badRequest && JSON.error(response).contains("is not valid"), "\(query)")
            }
        }
        #expect(try await fixture.store.sampleCount() == 0)
    }

    @Test func deleteRemovesASampleOnce() async throws {
        let fixture = try await StudioFixture.make()
        defer { fixture.remove() }
        try await fixture.test { client in
            _ = try await client.execute(uri: "/api/samples", method: .post, headers: JSON.headers, body: sample(label: 1))
            var response = try await client.execute(uri: "/api/samples/1", method: .delete)
            #expect(response.status == .noContent)
            response = try await client.execute(uri: "/api/samples/1", method: .delete)
            #expect(response.status == .notFound && JSON.error(response).contains("there is no sample 1"))
            response = try await client.execute(uri: "/api/samples/abc", method: .delete)
            #expect(response.status == .badRequest && JSON.error(response).contains("not a positive whole number"))
        }
    }

    @Test func exportsReadBackAsDatasets() async throws {
        let fixture = try await StudioFixture.make()
        defer { fixture.remove() }
        try await fixture.test { client in
            _ = try await client.execute(uri: "/api/samples", method: .post, headers: JSON.headers, body: sample(label: 1))
            _ = try await client.execute(uri: "/api/samples", method: .post, headers: JSON.headers, body: sample(label: 7))
            let csv = try await client.execute(uri: "/api/samples/export?format=csv", method: .get)
            #expect(csv.status == .ok && csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv.headers[.contentDisposition]?.contains("digits-samples.csv") == true)
            #expect(try CSVDataset.decode(Array(buffer: csv.body)).labels == [1, 7])
            let tar = try await client.execute(uri: "/api/samples/export?format=idx", method: .get)
            #expect(tar.headers[.contentType] == "application/x-tar" && tar.body.readableBytes % 512 == 0)
            let labels = try await client.execute(uri: "/api/samples/export?format=idx&part=labels", method: .get)
            #expect(try IDXFile.read(bytes: Array(buffer: labels.body)).bytes == [1, 7])
            let images = try await client.execute(uri: "/api/samples/export?format=idx&part=images", method: .get)
            #expect(try IDXFile.read(bytes: Array(buffer: images.body)).shape == [2, 28, 28])
            for query in ["", "?format=png", "?format=idx&part=all", "?format=csv&part=labels"] {
                let response = try await client.execute(uri: "/api/samples/export\(query)", method: .get)
                #expect(response.status == .badRequest && !JSON.error(response).isEmpty, "\(query)")
            }
        }
    }

    @Test func writesNeedTheTokenWhenOneIsSet() async throws {
        let fixture = try await StudioFixture.make(token: "s3cret")
        defer { fixture.remove() }
        try await fixture.test { client in
            var response = try await client.execute(uri: "/api/samples", method: .post, headers: JSON.headers, body: sample(label: 1))
            #expect(response.status == .unauthorized && JSON.error(response).contains("Authorization: Bearer TOKEN"))
            response = try await client.execute(uri: "/api/samples", method: .post, headers: [.authorization: "Bearer wrong", .contentType: "application/json"], body: sample(label: 1))
            #expect(response.status == .unauthorized && JSON.error(response).contains("the token is wrong"))
            for (uri, method) in [("/api/samples/1", HTTPRequest.Method.delete), ("/api/training", .post), ("/api/training", .delete), ("/api/model/reset", .post)] {
                response = try await client.execute(uri: uri, method: method)
                #expect(response.status == .unauthorized, "\(method) \(uri)")
            }
            response = try await client.execute(uri: "/api/samples", method: .post, headers: [.authorization: "Bearer s3cret", .contentType: "application/json"], body: sample(label: 1))
            #expect(response.status == .created)
            // Reading and predicting need no token.
            response = try await client.execute(uri: "/api/predict", method: .post, body: JSON.body(drawing))
            #expect(response.status == .ok)
            response = try await client.execute(uri: "/api/samples", method: .get)
            #expect(response.status == .ok)
            #expect(JSON.object(try await client.execute(uri: "/api/config", method: .get))["tokenRequired"] as? Bool == true)
        }
    }

    @Test func onlyTheParsedDrawingIsStoredAndUnknownFieldsAreRefused() async throws {
        let fixture = try await StudioFixture.make()
        defer { fixture.remove() }
        try await fixture.test { client in
            let padded = "{ \"label\": 1,  \"width\" : 280, \"height\":280, \"strokes\": [[ [140, 50.5] , [1.4e2, 230] ]] }"
            let saved = try await client.execute(uri: "/api/samples", method: .post, headers: JSON.headers, body: ByteBuffer(string: padded))
            #expect(saved.status == .created)
            let big = String(repeating: "x", count: 500_000)
            let stuffed = try await client.execute(uri: "/api/samples", method: .post, headers: JSON.headers,
                                                   body: JSON.body(["width": 280, "height": 280, "strokes": barStrokes, "label": 1, "comment": big]))
            #expect(stuffed.status == .badRequest && JSON.error(stuffed).contains("unknown field \"comment\""), "\(JSON.error(stuffed))")
        }
        let stored = try await fixture.store.allSamples()
        #expect(stored.count == 1)
        #expect(stored.first?.drawing == "{\"width\":280,\"height\":280,\"strokes\":[[[140,50.5],[140,230]]]}")
    }
}
