// RouterTests.swift — the page and prediction endpoints, driven in memory, with every class of bad input.

import DigitsStudio
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct PageAndPredictTests {
    @Test func pageAndItsPartsAreServedWithTheirTypes() async throws {
        let fixture = try await StudioFixture.make()
        defer { fixture.remove() }
        try await fixture.test { client in
            for (path, type, marker) in [("/", "text/html", "<canvas"), ("/studio.css", "text/css", "{"), ("/studio.js", "text/javascript", "use strict")] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix(type) == true, "\(path)")
                #expect(String(buffer: response.body).contains(marker), "\(path)")
            }
            let health = try await client.execute(uri: "/api/health", method: .get)
            #expect(JSON.object(health)["status"] as? String == "ok")
            let config = JSON.object(try await client.execute(uri: "/api/config", method: .get))
            #expect(config["brushFraction"] as? Double == 0.075 && config["tokenRequired"] as? Bool == false)
        }
    }

    @Test func strokesGiveADigitAndProbabilitiesThatSumToOne() async throws {
        let fixture = try await StudioFixture.make()
        defer { fixture.remove() }
        try await fixture.test { client in
            let response = try await client.execute(uri: "/api/predict?input=1&stages=1", method: .post,
                                                    body: JSON.body(["width": 280, "height": 280, "strokes": barStrokes]))
            #expect(response.status == .ok)
            let answer = JSON.object(response)
            let probabilities = answer["probabilities"] as? [Double] ?? []
            #expect(probabilities.count == 10)
            #expect(abs(probabilities.reduce(0, +) - 1) < 1e-4)
            #expect(answer["digit"] as? Int == probabilities.indices.max { probabilities[$0] < probabilities[$1] })
            #expect(answer["model"] as? String == "base")
            #expect((answer["input"] as? [Double])?.count == 784)
            let stages = answer["stages"] as? [[String: Any]] ?? []
            #expect(stages.compactMap { $0["name"] as? String } == ["ink", "smoothed", "thresholded", "cropped", "fitted", "centered"])
            #expect(stages.last?["width"] as? Int == 28 && (stages.last?["pixels"] as? [Int])?.count == 784)

            let plain = JSON.object(try await client.execute(uri: "/api/predict", method: .post,
                                                             body: JSON.body(["width": 280, "height": 280, "strokes": barStrokes])))
            #expect(plain["input"] == nil && plain["stages"] == nil)
            #expect(plain["probabilities"] as? [Double] == probabilities)
        }
    }

    @Test func pixelsGiveTheSameAnswerAsTheStrokesTheyShow() async throws {
        let fixture = try await StudioFixture.make()
        defer { fixture.remove() }
        try await fixture.test { client in
            var pixels = [Int](repeating: 0, count: 28 * 28)
            for row in 4..<24 { pixels[row * 28 + 13] = 255; pixels[row * 28 + 14] = 255 }
            let answer = JSON.object(try await client.execute(uri: "/api/predict", method: .post,
                                                              body: JSON.body(["width": 28, "height": 28, "pixels": pixels])))
            #expect((answer["probabilities"] as? [Double])?.count == 10)
        }
    }

    @Test func anEmptyCanvasGetsAReasonNotAGuess() async throws {
        let fixture = try await StudioFixture.make()
        defer { fixture.remove() }
        try await fixture.test { client in
            for drawing: [String: Any] in [["width": 280, "height": 280, "strokes": [] as [Any]],
                                           ["width": 2, "height": 2, "pixels": [0, 0, 0, 0]]] {
                let response = try await client.execute(uri: "/api/predict", method: .post, body: JSON.body(drawing))
                #expect(response.status == .ok)
                let answer = JSON.object(response)
                #expect(answer["digit"] is NSNull && answer["probabilities"] is NSNull)
                #expect((answer["reason"] as? String)?.contains("draw a digit") == true)
            }
        }
    }

    static let badRequests: [(body: String, status: Int, message: String)] = [
        ("", 400, "the request body is empty"),
        ("{\"width\": 280,", 400, "malformed JSON"),
        ("[1, 2]", 400, "must be a JSON object"),
        ("{\"height\": 280, \"strokes\": []}", 400, "missing field \"width\""),
        ("{\"width\": \"wide\", \"height\": 280, \"strokes\": []}", 400, "width must be an integer"),
        ("{\"width\": 280.5, \"height\": 280, \"strokes\": []}", 400, "width is 280.5; it must be a whole number"),
        ("{\"width\": 280, \"height\": 280, \"strokes\": [[[1, \"x\"]]]}", 400, "strokes[0][0][1] must be a number"),
        ("{\"width\": 280, \"height\": 280, \"strokes\": [[1, 2]]}", 400, "strokes[0][0] must be a point [x, y]"),
        ("{\"width\": 280, \"height\": 280, \"strokes\": [[[1, 2, 3]]]}", 400, "strokes[0][0] has 3 numbers"),
        ("{\"width\": 280, \"height\": 280, \"strokes\": [[[1e999, 2]]]}", 400, "the number 1e999 is too large"),
        ("{\"width\": 280, \"height\": 280, \"strokes\": [[[10, 10], [300, 10]]]}", 400, "outside the 280×280 canvas"),
        ("{\"width\": 280, \"height\": 280, \"strokes\": [[[-1, 10]]]}", 400, "outside the 280×280 canvas"),
        ("{\"width\": 5000, \"height\": 280, \"strokes\": []}", 400, "width is 5000"),
        ("{\"width\": 280, \"height\": 0, \"strokes\": []}", 400, "height is 0"),
        ("{\"width\": 280, \"height\": 280}", 400, "neither \"strokes\" nor \"pixels\""),
        ("{\"width\": 1, \"height\": 1, \"strokes\": [], \"pixels\": [0]}", 400, "both \"strokes\" and \"pixels\""),
        ("{\"width\": 2, \"height\": 1, \"pixels\": [0, 300]}", 400, "pixels[1] is 300"),
        ("{\"width\": 2, \"height\": 2, \"pixels\": [0, 0]}", 400, "needs 4"),
        ("{\"width\": 2, \"height\": 1, \"pixels\": [0, 1.5]}", 400, "pixels[1] is 1.5"),
        ("{\"width\": 280, \"height\": 280, \"strokes\": null}", 400, "neither"),
        ("{\"width\": 280, \"height\": 280, \"strokes\": " + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "}",
         400, "nested more than 64 levels deep"),
        ("{\"width\": 280, \"height\": 280, \"strokes\": [[[01, 2]]]}", 400, "may not start with 0"),
        ("{\"width\": 280, \"height\": 280, \"strokes\": [[[NaN, 2]]]}", 400, "malformed JSON at byte 44: unexpected character 'N'"),
        ("{\"width\": 280, \"height\": 280, \"strokes\": \"abc}", 400, "a string is not closed"),
        ("\u{FF}{\"width\": 280}", 400, "malformed JSON at byte 0: unexpected byte 0xC3"),
        ("{\"width\": 280, \"height\": 280, \"strokes\": [[[140], [140, 240]]]}", 400, "strokes[0][0] has 1 number; a point is [x, y]"),
        ("{\"width\": 280} trailing", 400, "unexpected text after the end"),
        ("{\"width\": 280, \"height\": 280, \"strokes\": {}}", 400, "strokes must be a list of strokes, not an object"),
        ("{\"width\": true, \"height\": 280, \"strokes\": []}", 400, "width must be an integer, not a boolean"),
    ]

    @Test func numbersAndStringsAreReadExactly() async throws {
        let fixture = try await StudioFixture.make()
        defer { fixture.remove() }
        try await fixture.test { client in
            let plain = "{\"width\": 280, \"height\": 280, \"strokes\": [[[140, 50], [140.25, 230.5]]]}"
            let spelled = "{ \"width\":2.8e2,\"height\":28E1,\n\"strokes\":[[[1.4e2,5e1],[14025e-2,2305E-1]]]}"
            let first = JSON.object(try await client.execute(uri: "/api/predict?input=1", method: .post, body: ByteBuffer(string: plain)))
            let second = JSON.object(try await client.execute(uri: "/api/predict?input=1", method: .post, body: ByteBuffer(string: spelled)))
            #expect((first["input"] as? [Double])?.isEmpty == false)
            #expect(first["input"] as? [Double] == second["input"] as? [Double])
            // Strings are read exactly too, and a field the endpoint does not take is named in the refusal.
            let extra = "{ \"note\": \"caf\\u00e9 \\\"quoted\\\" \\n\", \"width\":280,\"height\":280,\"strokes\":[],\"extra\":[true,false,null,{}]}"
            let refused = try await client.execute(uri: "/api/predict", method: .post, body: ByteBuffer(string: extra))
            #expect(refused.status == .badRequest && JSON.error(refused).contains("unknown fields \"extra\", \"note\""), "\(JSON.error(refused))")
        }
    }

    @Test(arguments: badRequests) func badDrawingsGetAJSONErrorThatSaysWhatIsWrong(request: (body: String, status: Int, message: String)) async throws {
        let fixture = try await StudioFixture.make()
        defer { fixture.remove() }
        try await fixture.test { client in
            let response = try await client.execute(uri: "/api/predict", method: .post, body: ByteBuffer(string: request.body))
            #expect(response.status.code == request.status, "\(request.body)")
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(JSON.error(response).contains(request.message), "\(request.body) → \(JSON.error(response))")
            // …and the server keeps serving.
            let next = try await client.execute(uri: "/api/predict", method: .post, body: JSON.body(["width": 280, "height": 280, "strokes": barStrokes]))
            #expect(next.status == .ok)
        }
    }

    @Test func tooManyPointsStrokesAndBytesAreRefused() async throws {
        let fixture = try await StudioFixture.make()
        defer { fixture.remove() }
        try await fixture.test { client in
            let manyPoints = [[[Double]]](repeating: [[Double]](repeating: [1, 1], count: 1000), count: 11)
            var response = try await client.execute(uri: "/api/predict", method: .post, body: JSON.body(["width": 10, "height": 10, "strokes": manyPoints]))
            #expect(response.status == .badRequest && JSON.error(response).contains("too many points"))

            let manyStrokes = [[[Double]]](repeating: [[1, 1]], count: 1001)
            response = try await client.execute(uri: "/api/predict", method: .post, body: JSON.body(["width": 10, "height": 10, "strokes": manyStrokes]))
            #expect(response.status == .badRequest && JSON.error(response).contains("too many strokes"))

            let huge = "{\"width\": 10, \"height\": 10, \"pixels\": [" + String(repeating: "0,", count: 600_000) + "0]}"
            response = try await client.execute(uri: "/api/predict", method: .post, body: ByteBuffer(string: huge))
            #expect(response.status == .contentTooLarge && JSON.error(response).contains("over the limit of 1048576"))
        }
    }

    @Test func unknownEndpointsAnswerJSON404() async throws {
        let fixture = try await StudioFixture.make()
        defer { fixture.remove() }
        try await fixture.test { client in
            let response = try await client.execute(uri: "/api/nothing", method: .get)
            #expect(response.status == .notFound && JSON.error(response).contains("no such endpoint"))
        }
    }
}
