// PredictController.swift — `POST /api/predict`: a drawing in, the digit and ten probabilities out.
//
// drawing → `Drawing.preprocessed()` (the MNIST pipeline) → the current model → softmax. Runs inline on
// the request's task: the whole path takes a fraction of a millisecond.

import DigitImage
import Foundation
import Hummingbird

/// The answer of `POST /api/predict`.
struct PredictAnswer: Encodable {
    /// One preprocessing stage, as 0–255 pixels (ink bright).
    struct Stage: Encodable {
        var name: String
        var width: Int
        var height: Int
        var pixels: [UInt8]

        init(_ name: String, _ image: GrayImage) {
            self.name = name
            width = image.width
            height = image.height
            pixels = image.bytes
        }
    }

    var digit: Int?
    var probabilities: [Float]?
    var reason: String?
    var model: String
    var input: [Float]?
    var stages: [Stage]?

    enum CodingKeys: String, CodingKey { case digit, probabilities, reason, model, input, stages }

    /// `digit` and `probabilities` are always present (null for an empty drawing); the rest only when set.
    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(digit, forKey: .digit)
        try container.encode(probabilities, forKey: .probabilities)
        try container.encodeIfPresent(reason, forKey: .reason)
        try container.encode(model, forKey: .model)
        try container.encodeIfPresent(input, forKey: .input)
        try container.encodeIfPresent(stages, forKey: .stages)
    }
}

struct PredictController {
    let studio: Studio

    var routes: StudioRouteCollection {
        var routes = StudioRouteCollection()
        routes.post("/api/predict", .open) { request, _ in try await predict(request) }
        return routes
    }

    func predict(_ request: Request) async throws -> Response {
        let body = try await DrawingRequest.read(from: request)
        let prediction = studio.predict(try body.drawing())
        let query = request.uri.queryParameters
        var answer = PredictAnswer(digit: prediction.digit, probabilities: prediction.probabilities, model: prediction.model)
        switch prediction.result {
        case .empty(let reason):
            answer.reason = reason
        case .digit(let digit):
            answer.reason = prediction.reading.reason
            if QueryParameter.flag(query.get("input")) { answer.input = digit.input }
            if QueryParameter.flag(query.get("stages")) {
                let stages = digit.stages
                answer.stages = [
                    .init("ink", stages.ink), .init("smoothed", stages.smoothed), .init("thresholded", stages.thresholded),
                    .init("cropped", stages.cropped), .init("fitted", stages.fitted), .init("centered", stages.centered),
                ]
            }
        }
        return try JSONResponse.make(answer)
    }
}
