// TrainingController.swift — the HTTP side of training jobs: starting one (`Studio.startTraining`), following
// it as server-sent events, cancelling it, and the Train page's presets and architecture check.

import DigitsFiles
import FeedbackStore
import Foundation
import Hummingbird
import NeuralNetwork

struct TrainingController {
    let studio: Studio

    var routes: StudioRouteCollection {
        var routes = StudioRouteCollection()
        routes.post("/api/training", .writes) { request, _ in try await start(request) }
        routes.get("/api/training", .open) { _, _ in try JSONResponse.make(studio.jobs.status) }
        routes.delete("/api/training", .writes) { request, _ in try cancel(request) }
        routes.get("/api/training/events", .open) { _, _ in events() }
        routes.get("/api/training/presets", .open) { _, _ in try JSONResponse.make(presets()) }
        routes.get("/api/training/architecture", .open) { request, _ in try JSONResponse.make(architecture(request.uri.queryParameters.get("text") ?? "")) }
        return routes
    }

    /// A preset as the Train page shows it and fills its form from.
    struct PresetAnswer: Encodable {
        var name: String
        var architecture: String
        var epochs: Int
        var batchSize: Int
        var optimizer: String
        var learningRate: Double
        var augment: String
        var validation: Int
        var seed: UInt64
        var summary: String
        var parameters: Int
        var multiplyAdds: Int
    }

    /// `GET /api/training/presets`: every preset's settings and cost, by name.
    func presets() -> [PresetAnswer] {
        TrainingRecipe.presets.keys.sorted().compactMap { name in
            let recipe = TrainingRecipe.presets[name]!
            guard let cost = try? NetworkArchitecture(parsing: recipe.architectureText).cost() else { return nil }
            return PresetAnswer(name: name, architecture: recipe.architectureText, epochs: recipe.epochs,
                                batchSize: recipe.batchSize == 0 ? 128 : recipe.batchSize, optimizer: recipe.optimizer.rawValue,
                                learningRate: recipe.learningRate, augment: recipe.augmentationSettings.specification,
                                validation: recipe.validation, seed: recipe.seed, summary: recipe.summary,
                                parameters: cost.parameters, multiplyAdds: cost.multiplyAdds)
        }
    }

    /// What the architecture check answers: valid with its cost and canonical form, or the error.
    struct ArchitectureAnswer: Encodable {
        var valid: Bool
        var error: String?
        var canonical: String?
        var parameters: Int?
        var multiplyAdds: Int?
    }

    /// `GET /api/training/architecture?text=…`: the messages `POST /api/training` (and `--architecture`)
    /// would give, checked as the person types.
    func architecture(_ text: String) -> ArchitectureAnswer {
        guard text.utf8.count <= 2000 else { return ArchitectureAnswer(valid: false, error: "the architecture is longer than 2000 characters") }
        do {
            let cost = try TrainingRequest.checkArchitecture(text)
            let canonical = (try? NetworkArchitecture(parsing: text))?.description
            return ArchitectureAnswer(valid: true, canonical: canonical, parameters: cost.parameters, multiplyAdds: cost.multiplyAdds)
        } catch let error as StudioError {
            return ArchitectureAnswer(valid: false, error: error.message)
        } catch {
            return ArchitectureAnswer(valid: false, error: "\(error)")
        }
    }

    /// `POST /api/training`: a retraining (empty body, `{"steps": N}` or `{"kind": "finetune", …}`) or a new
    /// network (`{"kind": "new", …}`, see `TrainingRequest`) → 202 and the job's status; 409 while a job runs.
    func start(_ request: Request) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: StudioLimits.maximumBodyBytes)
        try await studio.startTraining(try TrainingRequest.parse(Data(buffer: body)))
        return try JSONResponse.make(studio.jobs.status, status: .accepted)
    }

    /// `DELETE /api/training`: asks the running job to stop.
    func cancel(_ request: Request) throws -> Response {
        guard studio.jobs.requestCancel() else {
            throw StudioError(.conflict, "no training job is running")
        }
        return Response(status: .noContent)
    }

    /// `GET /api/training/events`: the job's events as `text/event-stream`, ending after the last one.
    func events() -> Response {
        let stream = studio.jobs.subscribe()
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-store"],
            body: ResponseBody { writer in
                for await event in stream {
                    try await writer.write(ByteBuffer(string: event.serverSentEvent))
                }
                try await writer.finish(nil)
            })
    }
}
