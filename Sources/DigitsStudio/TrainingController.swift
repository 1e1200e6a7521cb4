// TrainingController.swift — starting, following and cancelling a training job: a retraining of the
// current model, or a new network from the Train page (`NewNetworkTraining`).
//
// The job itself runs on a thread of its own (training is seconds of CPU work), so the server keeps
// answering predictions meanwhile; its progress reaches clients as server-sent events.

import DigitsFiles
import FeedbackStore
import Foundation
import Hummingbird
import NeuralNetwork

struct TrainingController {
    let studio: Studio

    func register(on routes: StudioRoutes) {
        routes.post("/api/training", .writes) { request, _ in try await start(request) }
        routes.get("/api/training", .open) { _, _ in try JSONResponse.make(studio.jobs.status) }
        routes.delete("/api/training", .writes) { request, _ in try cancel(request) }
        routes.get("/api/training/events", .open) { _, _ in events() }
        routes.get("/api/training/presets", .open) { _, _ in try JSONResponse.make(presets()) }
        routes.get("/api/training/architecture", .open) { request, _ in try JSONResponse.make(architecture(request.uri.queryParameters.get("text") ?? "")) }
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
        let parsed = try TrainingRequest.parse(Data(buffer: body))
        let samples = try await studio.store.allSamples()
        let images = SampleExport.labeledImages(samples)
        let conflict = StudioError(.conflict, "a training job is already running; wait for it (GET /api/training/events) or cancel it (DELETE /api/training)")
        switch parsed {
        case .fineTune(let steps):
            var settings = FineTuningSettings()
            settings.steps = steps ?? studio.defaultSteps
            settings.augmentation = studio.fineTuningAugmentation
            guard !samples.isEmpty else {
                throw StudioError(.unprocessableContent, "there are no saved samples to learn from: draw digits and save them with Right or Wrong first")
            }
            settings.seed = UInt64(samples.count)
            let jobSettings = settings
            guard studio.jobs.begin(kind: "finetune", steps: settings.steps) else { throw conflict }
            let job = try await recordStart(kind: "finetune")
            Task.detached { [studio] in
                await Self.finish(studio: studio, job: job) { try await Self.runFineTuning(studio: studio, samples: images, settings: jobSettings) }
            }
        case .newNetwork(let options):
            if options.includeSamples && samples.isEmpty {
                throw StudioError(.unprocessableContent, "includeSamples is true but there are no saved samples: draw digits and save them first, or set includeSamples to false")
            }
            guard studio.jobs.begin(kind: "new", steps: 0, epochs: options.steps == nil ? options.recipe.epochs : 1) else { throw conflict }
            let job = try await recordStart(kind: "new")
            Task.detached { [studio] in
                await Self.finish(studio: studio, job: job) { try await NewNetworkTraining.run(studio: studio, options: options, samples: images) }
            }
        }
        return try JSONResponse.make(studio.jobs.status, status: .accepted)
    }

    /// Writes the job's row (so a killed process leaves it "running", shown as interrupted on restart);
    /// when that fails, the job is marked failed before it starts.
    private func recordStart(kind: String) async throws -> TrainingJobRecord {
        do {
            return try await studio.store.startJob(kind: kind)
        } catch {
            studio.jobs.publish(.failed("the job could not be recorded in the database: \(error)"))
            throw error
        }
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

    /// Runs a job's body and publishes and records how it ended: finished with a result, cancelled (nil),
    /// or failed.
    static func finish(studio: Studio, job: TrainingJobRecord, _ body: @Sendable () async throws -> JobResult?) async {
        let (event, state, message): (TrainingEvent, String, String?)
        do {
            if let result = try await body() {
                (event, state, message) = (.finished(result), "finished", result.version.map { "made \($0)" })
            } else {
                (event, state, message) = (.cancelled, "cancelled", nil)
            }
        } catch {
            let text = "training failed: \(error)"
            (event, state, message) = (.failed(text), "failed", text)
        }
        // Recorded before it is announced: a client that saw the end finds the database done with the job.
        if let id = job.id { try? await studio.store.endJob(id: id, state: state, message: message) }
        studio.jobs.publish(event)
    }

    /// The retraining: load MNIST, fine-tune a copy of the current model, save it as a new version.
    static func runFineTuning(studio: Studio, samples: LabeledImages, settings: FineTuningSettings) async throws -> JobResult? {
        let jobs = studio.jobs
        jobs.publish(.phase("loading MNIST"))
        let mnist = try await onOwnThread { try studio.mnist() }
        let parent = studio.models.current
        let network = parent.makeNetwork()
        var adjusted = settings
        if parent.rejectsNonDigits { adjusted.nonDigitShare = 0.1 }
        let settings = adjusted
        let start = Date()
        let run = try await onOwnThread {
            FineTuning.run(
                network: network, samples: samples, mnist: mnist, settings: settings,
                clock: { Date().timeIntervalSince(start) }, shouldStop: { jobs.cancelRequested },
                onPhase: { jobs.publish(.phase($0)) }, onProgress: { jobs.publish(.progress($0)) })
        }
        guard let run else { return nil }
        var result = run.result
        jobs.publish(.phase("saving"))
        let version = try await studio.models.addVersion(
            network, accepted: result.accepted, mnistAccuracy: result.mnistAfter,
            samplesAccuracy: result.samplesAfter, note: result.reason,
            history: run.history, stepHistory: run.stepHistory, retrainedFrom: parent.version, steps: settings.steps,
            rejectsNonDigits: parent.rejectsNonDigits)
        result.version = version.name
        return .fineTuning(result)
    }

    /// Runs `work` on a new thread, so long CPU work does not hold up the server's tasks.
    static func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try work() })
            }
        }
    }
}
