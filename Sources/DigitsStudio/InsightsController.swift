// InsightsController.swift — the Model page's data: `GET /api/model/insights` (figures for the current
// model on your handwriting and on MNIST test) and `GET /api/model/examples` (the images behind one
// confusion-matrix cell).

import Foundation
import Hummingbird

struct InsightsController {
    let studio: Studio

    func register(on router: Router<BasicRequestContext>) {
        router.get("/api/model/insights") { _, _ in try await JSONResponse.make(ModelInsights.answer(studio: studio)) }
        router.get("/api/model/examples") { request, _ in try await examples(request) }
    }

    /// `GET /api/model/examples?set=samples|mnist&truth=T&predicted=P[&limit=N]`.
    func examples(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        let set = query.get("set") ?? ""
        guard set == "samples" || set == "mnist" else {
            throw StudioError(.badRequest, set.isEmpty
                ? "say which images: ?set=samples (your handwriting) or ?set=mnist (MNIST test), with &truth=D&predicted=D"
                : "set is \"\(set)\"; it must be \"samples\" (your handwriting) or \"mnist\" (MNIST test)")
        }
        let truth = try digit(query.get("truth"), name: "truth")
        let predicted = try digit(query.get("predicted"), name: "predicted")
        var limit = 60
        if let text = query.get("limit") {
            guard let value = Int(text), (1...500).contains(value) else {
                throw StudioError(.badRequest, "limit is \"\(text)\"; it must be a whole number from 1 to 500")
            }
            limit = value
        }
        let answer = try await ModelInsights.examples(studio: studio, set: set, truth: truth, predicted: predicted, limit: limit)
        return try JSONResponse.make(answer)
    }

    func digit(_ text: String?, name: String) throws -> Int {
        guard let text else {
            throw StudioError(.badRequest, "\(name) is missing: add &\(name)=D with D a digit from 0 to 9")
        }
        guard let value = Int(text), (0...9).contains(value) else {
            throw StudioError(.badRequest, "\(name) is \"\(text)\"; it must be a digit from 0 to 9")
        }
        return value
    }
}
