// TrainingController.swift — starting, following and cancelling a retraining job.
//
// The job itself runs on a thread of its own (training is seconds of CPU work), so the server keeps
// answering predictions meanwhile; its progress reaches clients as server-sent events.

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
    }

    /// `POST /api/training` with an optional `{"steps": N}`: 202 and the job's status.
    func start(_ request: Request) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: StudioLimits.maximumBodyBytes)
        var settings = FineTuningSettings()
        settings.steps = studio.defaultSteps
        settings.augmentation = studio.fineTuningAugmentation
        if body.readableBytes > 0 {
            struct Options: Decodable { var steps: Int? }
            let options: Options
            do {
                options = try JSONDecoder().decode(Options.self, from: Data(buffer: body))
            } catch {
                throw StudioError(.badRequest, "the body must be empty or JSON like {\"steps\": 300} (steps a whole number)")
            }
            if let steps = options.steps {
                guard FineTuningSettings.stepRange.contains(steps) else {
                    throw StudioError(.badRequest, "steps is \(steps); it must be from \(FineTuningSettings.stepRange.lowerBound) to \(FineTuningSettings.stepRange.upperBound)")
                }
                settings.steps = steps
            }
        }
        let samples = try await studio.store.allSamples()
        guard !samples.isEmpty else {
            throw StudioError(.unprocessableContent, "there are no saved samples to learn from: draw digits and save them with Right or Wrong first")
        }
        settings.seed = UInt64(samples.count)
        guard studio.jobs.begin(steps: settings.steps) else {
            throw StudioError(.conflict, "a retraining job is already running; wait for it (GET /api/training/events) or cancel it (DELETE /api/training)")
        }
        let images = SampleExport.labeledImages(samples)
        Task.detached { [studio] in await Self.runJob(studio: studio, samples: images, settings: settings) }
        return try JSONResponse.make(studio.jobs.status, status: .accepted)
    }

    /// `DELETE /api/training`: asks the running job to stop.
    func cancel(_ request: Request) throws -> Response {
        guard studio.jobs.requestCancel() else {
            throw StudioError(.conflict, "no retraining job is running")
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

    /// The whole job: load MNIST, fine-tune a copy of the current model, save it as a new version.
    static func runJob(studio: Studio, samples: LabeledImages, settings: FineTuningSettings) async {
        let jobs = studio.jobs
        do {
            jobs.publish(.phase("loading MNIST"))
            let mnist = try await onOwnThread { try studio.mnist() }
            let network = studio.models.current.makeNetwork()
            let start = Date()
            let run = try await onOwnThread {
                FineTuning.run(
                    network: network, samples: samples, mnist: mnist, settings: settings,
                    clock: { Date().timeIntervalSince(start) }, shouldStop: { jobs.cancelRequested },
                    onPhase: { jobs.publish(.phase($0)) }, onProgress: { jobs.publish(.progress($0)) })
            }
            guard let run else {
                jobs.publish(.cancelled)
                return
            }
            var result = run.result
            jobs.publish(.phase("saving"))
            let version = try await studio.models.addVersion(
                network, accepted: result.accepted, mnistAccuracy: result.mnistAfter,
                samplesAccuracy: result.samplesAfter, note: result.reason,
                history: run.history, stepHistory: run.stepHistory, retrainedFrom: studio.models.current.version)
            result.version = version.name
            jobs.publish(.finished(result))
        } catch {
            jobs.publish(.failed("retraining failed: \(error)"))
        }
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
