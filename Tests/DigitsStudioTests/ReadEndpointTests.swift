// POST /api/read (whole numbers) and "not a digit" in POST /api/predict: every class of bad input, the
// 20-digit limit, strokes and pixels, and a model trained to reject answering "not a digit".

import DigitsFiles
import DigitsStudio
import FeedbackStore
import Foundation
import Hummingbird
import HummingbirdTesting
import NeuralNetwork
import Testing

@Suite struct ReadEndpointTests {
    /// A vertical stroke at `x` on a 280-tall canvas, dense like a pen.
    static func bar(_ x: Double) -> [[Double]] { (0...20).map { [x, 40 + Double($0) * 10] } }

    @Test("three separate marks read as three elements, left to right, with boxes, strokes and inputs")
    func threeElements() async throws {
        let fixture = try await StudioFixture.make()
        defer { fixture.remove() }
        try await fixture.test { client in
            let body = JSON.body(["width": 900, "height": 280, "strokes": [Self.bar(600), Self.bar(100), Self.bar(350)]])
            let response = try await client.execute(uri: "/api/read?input=1", method: .post, headers: JSON.headers, body: body)
            #expect(response.status == .ok)
            let answer = JSON.object(response)
            let digits = answer["digits"] as? [[String: Any]] ?? []
            #expect(digits.count == 3 && (answer["text"] as? String)?.count == 3)
            #expect(digits.map { $0["strokes"] as? [Int] ?? [] } == [[1], [2], [0]])
            let lefts = digits.map { ($0["box"] as? [Double])?.first ?? -1 }
            #expect(lefts == lefts.sorted() && lefts[0] > 80 && lefts[0] < 100)
            #expect(digits.allSatisfy { ($0["probabilities"] as? [Double])?.count == 10 && ($0["input"] as? [Double])?.count == 784 })
            #expect(answer["model"] as? String == "base")
        }
    }

    @Test("pixels: two blobs of ink are two elements")
    func pixels() async throws {
        let fixture = try await StudioFixture.make()
        defer { fixture.remove() }
        try await fixture.test { client in
            var pixels = [Int](repeating: 0, count: 120 * 40)
            for y in 5..<35 { for x in 20..<24 { pixels[y * 120 + x] = 255 }; for x in 80..<84 { pixels[y * 120 + x] = 255 } }
            let response = try await client.execute(uri: "/api/read", method: .post, headers: JSON.headers,
                                                    body: JSON.body(["width": 120, "height": 40, "pixels": pixels]))
            #expect(response.status == .ok)
            #expect((JSON.object(response)["digits"] as? [Any])?.count == 2)
        }
    }

    @Test("nothing drawn: empty text, no digits and a reason; bad input: 400 that says what is wrong; over 20: 422")
    func emptyAndBadInput() async throws {
        let fixture = try await StudioFixture.make()
        defer { fixture.remove() }
        try await fixture.test { client in
            var response = try await client.execute(uri: "/api/read", method: .post, headers: JSON.headers,
                                                    body: JSON.body(["width": 900, "height": 280, "strokes": []]))
            var answer = JSON.object(response)
            #expect(response.status == .ok && answer["text"] as? String == "" && (answer["digits"] as? [Any])?.isEmpty == true)
            #expect((answer["reason"] as? String)?.contains("nothing is drawn") == true)
            let cases: [(String, String)] = [
                ("", "the request body is empty"),
                ("{\"width\": 900", "malformed JSON"),
                (#"{"width": 900, "height": 280, "strokes": [], "label": 3}"#, "unknown field \"label\""),
                (#"{"width": 900, "height": 280, "strokes": [[[950, 10]]]}"#, "outside the 900×280 canvas"),
                (#"{"width": 0, "height": 280, "strokes": []}"#, "width is 0"),
                (#"{"width": 900, "height": 280}"#, "neither \"strokes\" nor \"pixels\""),
                (#"{"width": 900, "height": 280, "strokes": [[[1, "a"]]]}"#, "must be a number"),
            ]
            for (body, fragment) in cases {
                response = try await client.execute(uri: "/api/read", method: .post, headers: JSON.headers, body: ByteBuffer(string: body))
                #expect(response.status == .badRequest, "\(body): \(response.status)")
                #expect(JSON.error(response).contains(fragment), "\(body): \(JSON.error(response))")
            }
            // 21 marks, 20 fit (far enough apart, 120 px, never to be read as one digit).
            let twenty = (0..<20).map { Self.bar(40 + Double($0) * 120) }
            response = try await client.execute(uri: "/api/read", method: .post, headers: JSON.headers,
                                                body: JSON.body(["width": 2600, "height": 280, "strokes": twenty]))
            answer = JSON.object(response)
            #expect(response.status == .ok && (answer["digits"] as? [Any])?.count == 20)
            let twentyOne = (0..<21).map { Self.bar(40 + Double($0) * 120) }
            response = try await client.execute(uri: "/api/read", method: .post, headers: JSON.headers,
                                                body: JSON.body(["width": 2600, "height": 280, "strokes": twentyOne]))
            #expect(response.status == .unprocessableContent && JSON.error(response).contains("at most 20 digits"))
        }
    }

    @Test("a model trained to reject answers \"not a digit\" (digit null, probabilities kept) where it is unsure; others never do",
          arguments: [NotADigitRule.energy, .entropy])
    func notADigit(rule: NotADigitRule) async throws {
        // An untrained network is unsure of everything (entropy near log 10, energy near −log 10 with its small
        // logits): marked as trained to reject, by either rule, it rejects everything.
        let fixture = try await StudioFixture.make(modelMetadata: DrawingReader.metadata(for: rule))
        defer { fixture.remove() }
        let stroke = JSON.body(["width": 280, "height": 280, "strokes": [Self.bar(140)]])
        try await fixture.test { client in
            let response = try await client.execute(uri: "/api/predict", method: .post, headers: JSON.headers, body: stroke)
            let answer = JSON.object(response)
            #expect(answer["digit"] is NSNull && answer["reason"] as? String == "not a digit")
            #expect((answer["probabilities"] as? [Double])?.count == 10)
            let read = JSON.object(try await client.execute(uri: "/api/read", method: .post, headers: JSON.headers, body: stroke))
            #expect(read["text"] as? String == "?" && ((read["digits"] as? [[String: Any]])?.first?["digit"] is NSNull))
        }
        let plain = try await StudioFixture.make()
        defer { plain.remove() }
        try await plain.test { client in
            let answer = JSON.object(try await client.execute(uri: "/api/predict", method: .post, headers: JSON.headers, body: stroke))
            #expect(answer["digit"] is Int && answer["reason"] == nil)
        }
    }
}
