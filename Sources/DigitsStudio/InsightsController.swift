// InsightsController.swift — the Model page's data: `GET /api/model/insights` (figures for the current
// model on your handwriting and on MNIST test) and `GET /api/model/examples` (the images behind one
// confusion-matrix cell).

import Foundation
import Hummingbird

struct InsightsController {
    let studio: Studio

    var routes: StudioRouteCollection {
        var routes = StudioRouteCollection()
        routes.get("/api/model/insights", .expensive) { _, _ in try await JSONResponse.make(ModelInsights.answer(studio: studio)) }
        routes.get("/api/model/examples", .expensive) { request, _ in try await examples(request) }
        return routes
    }

    /// `GET /api/model/examples?set=samples|mnist&truth=T&predicted=P[&limit=N]`.
    func examples(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        let name = query.get("set") ?? ""
        guard let set = InsightsSet(rawValue: name) else {
            throw StudioError(.badRequest, name.isEmpty
                ? "say which images: ?set=samples (your handwriting) or ?set=mnist (MNIST test), with &truth=D&predicted=D"
                : "set is \"\(name)\"; it must be \"samples\" (your handwriting) or \"mnist\" (MNIST test)")
        }
        let truth = try QueryParameter.integer(query.get("truth"), name: "truth", range: 0...9)
        let predicted = try QueryParameter.integer(query.get("predicted"), name: "predicted", range: 0...9)
        let limit = try QueryParameter.integer(query.get("limit"), name: "limit", default: 60, range: 1...500)
        let answer = try await ModelInsights.examples(studio: studio, set: set, truth: truth, predicted: predicted, limit: limit)
        return try JSONResponse.make(answer)
    }
}
