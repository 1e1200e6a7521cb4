// ModelController.swift — which model answers and its versions: the list, making one current, deleting
// one, downloading its file, and going back to the base model. Comparing two is `ModelComparison`.

import DigitImage
import DigitsFiles
import FeedbackStore
import Foundation
import Hummingbird

/// The answer of `GET /api/model`.
struct ModelAnswer: Encodable {
    struct Version: Encodable {
        var id: String
        /// "base", "active" (the current version), "kept-aside" (a retraining that failed the MNIST check),
        /// "retired" (accepted once, no longer current) or "trained" (a new network, not current).
        var status: String
        /// "base", "finetune" or "new".
        var kind: String
        /// A new network's recipe in one line (the base model's too, when its file records one).
        var recipe: String?
        /// The version a retraining started from.
        var parent: String?
        var steps: Int?
        var current: Bool
        var createdAt: Date?
        var mnistAccuracy: Double?
        var samplesAccuracy: Double?
        var note: String

        enum CodingKeys: String, CodingKey { case id, status, kind, recipe, parent, steps, current, createdAt, mnistAccuracy, samplesAccuracy, note }

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(status, forKey: .status)
            try container.encode(kind, forKey: .kind)
            try container.encode(recipe, forKey: .recipe)
            try container.encode(parent, forKey: .parent)
            try container.encode(steps, forKey: .steps)
            try container.encode(current, forKey: .current)
            try container.encode(createdAt, forKey: .createdAt)
            try container.encode(mnistAccuracy, forKey: .mnistAccuracy)
            try container.encode(samplesAccuracy, forKey: .samplesAccuracy)
            try container.encode(note, forKey: .note)
        }
    }

    var version: String
    var architecture: String
    var parameters: Int
    /// How the current version says "not a digit", in words (`NotADigitRule.explanation`).
    var notADigit: String
    var versions: [Version]
}

struct ModelController {
    let studio: Studio

    var routes: StudioRouteCollection {
        var routes = StudioRouteCollection()
        routes.get("/api/model", .open) { _, _ in try await JSONResponse.make(info()) }
        routes.post("/api/model/reset", .writes) { _, _ in
            try await studio.models.reset()
            return try await JSONResponse.make(info())
        }
        routes.post("/api/model/current", .writes) { request, _ in try await makeCurrent(request) }
        routes.delete("/api/model/versions/:version", .writes) { _, context in
            try await studio.models.delete(context.parameters.get("version") ?? "")
            return Response(status: .noContent)
        }
        routes.get("/api/model/versions/:version/file", .open) { _, context in try await download(context.parameters.get("version") ?? "") }
        routes.get("/api/model/compare", .expensive) { request, _ in
            let query = request.uri.queryParameters
            guard let a = query.get("a"), let b = query.get("b"), !a.isEmpty, !b.isEmpty else {
                throw StudioError(.badRequest, "say which two versions: /api/model/compare?a=base&b=v3 (GET /api/model lists them)")
            }
            return try await JSONResponse.make(ModelComparison.answer(studio: studio, a: a, b: b))
        }
        return routes
    }

    /// `POST /api/model/current` with `{"version": "v3"}` (or "base"): that version answers from now on.
    func makeCurrent(_ request: Request) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: StudioLimits.maximumBodyBytes)
        let json: JSONValue
        do { json = try JSONReader.parse(Array(buffer: body)) } catch {
            throw StudioError(.badRequest, "the body must be JSON like {\"version\": \"v3\"}: \(error)")
        }
        guard case .object(let fields) = json, fields.count == 1, case .string(let name)? = fields["version"] else {
            throw StudioError(.badRequest, "the body must be {\"version\": \"NAME\"} with a name from GET /api/model (\"base\", \"v1\", …) and nothing else")
        }
        try await studio.models.makeCurrent(name)
        return try await JSONResponse.make(info())
    }

    /// `GET /api/model/versions/{v}/file`: the version's safetensors file, as saved.
    func download(_ name: String) async throws -> Response {
        let bytes = try await studio.models.fileBytes(named: name)
        return Response(status: .ok, headers: [
            .contentType: "application/octet-stream", .cacheControl: "no-store",
            .contentDisposition: "attachment; filename=\"digits-\(name).safetensors\"",
        ], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    func info() async throws -> ModelAnswer {
        let current = studio.models.current
        let records = try await studio.models.versions()
        let baseMetadata = studio.models.base.weights.metadata
        let baseRecipe = baseMetadata["recipe"].flatMap { try? TrainingRecipe(json: $0) }
        var versions = [ModelAnswer.Version(
            id: "base", status: "base", kind: "base", recipe: baseRecipe?.summary, parent: nil, steps: nil,
            current: current.version == "base", createdAt: nil, mnistAccuracy: baseMetadata["test_accuracy"].flatMap(Double.init),
            samplesAccuracy: nil, note: "the model the studio was started with: \(studio.models.basePath)")]
        for record in records {
            let isCurrent = record.name == current.version
            let status = isCurrent ? "active" : record.kind == "new" ? "trained" : record.accepted ? "retired" : "kept-aside"
            versions.append(.init(
                id: record.name, status: status, kind: record.kind,
                recipe: record.recipe.flatMap { try? TrainingRecipe(json: $0) }?.summary, parent: record.parent, steps: record.steps,
                current: isCurrent, createdAt: record.createdAt, mnistAccuracy: record.mnistAccuracy,
                samplesAccuracy: record.samplesAccuracy, note: record.note))
        }
        return ModelAnswer(version: current.version, architecture: current.architecture,
                           parameters: current.parameterCount, notADigit: current.notADigitRule.explanation, versions: versions)
    }
}
