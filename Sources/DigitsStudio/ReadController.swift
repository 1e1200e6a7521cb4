// ReadController.swift — `POST /api/read`: a drawing of a whole number in, the number out, with each
// digit's probabilities, box and strokes (`NumberReader`).

import DigitImage
import Foundation
import Hummingbird

/// The answer of `POST /api/read`.
struct ReadAnswer: Encodable {
    struct Element: Encodable {
        var digit: Int?
        var probabilities: [Float]
        var box: [Double]
        var strokes: [Int]
        var input: [Float]?
        /// Encoded as null rather than left out.
        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(digit, forKey: .digit)
            try container.encode(probabilities, forKey: .probabilities)
            try container.encode(box, forKey: .box)
            try container.encode(strokes, forKey: .strokes)
            try container.encodeIfPresent(input, forKey: .input)
        }
        enum CodingKeys: String, CodingKey { case digit, probabilities, box, strokes, input }
    }

    var text: String
    var digits: [Element]
    var reason: String?
    var model: String
}

struct ReadController {
    let studio: Studio

    var routes: StudioRouteCollection {
        var routes = StudioRouteCollection()
        routes.post("/api/read", .open) { request, _ in try await read(request) }
        return routes
    }

    /// `POST /api/read[?input=1]` with the body of `/api/predict` (strokes or pixels, any size within the
    /// limits). More than `NumberReader.maximumElements` elements → 422.
    func read(_ request: Request) async throws -> Response {
        let body = try await DrawingRequest.read(from: request, allowed: DrawingRequest.drawingFields)
        let drawing = try body.drawing()
        let answer = studio.readNumber(drawing)
        let reading = answer.reading
        guard reading.elements.count <= NumberReader.maximumElements else {
            throw StudioError(.unprocessableContent, "the drawing holds more than \(NumberReader.maximumElements) elements; "
                + "a number has at most \(NumberReader.maximumElements) digits: write fewer, or read it in parts")
        }
        let withInput = QueryParameter.flag(request.uri.queryParameters.get("input"))
        let elements = reading.elements.map { element in
            ReadAnswer.Element(digit: element.digit, probabilities: element.probabilities, box: element.box.map { ($0 * 10).rounded() / 10 },
                               strokes: element.strokes, input: withInput ? element.input : nil)
        }
        return try JSONResponse.make(ReadAnswer(text: reading.text, digits: elements, reason: reading.reason, model: answer.model))
    }
}
