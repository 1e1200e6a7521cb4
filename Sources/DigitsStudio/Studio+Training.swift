// Studio+Training.swift — starting a training job: a retraining of the current model (`Retraining`) or a new
// network from the Train page (`NewNetworkTraining`), and recording how it ended.
//
// The job runs on a task of its own and its CPU work on a thread of its own (training is seconds of work), so
// the server keeps answering predictions meanwhile; its progress reaches clients through `jobs`.

import FeedbackStore
import Foundation

extension Studio {
    /// Starts the job `request` asks for and returns once it is recorded and running. Throws 409 while another
    /// job runs and 422 when there is nothing to learn from.
    func startTraining(_ request: TrainingRequest) async throws {
        let samples = try await store.allSamples()
        let images = SampleExport.labeledImages(samples)
        let conflict = StudioError(.conflict, "a training job is already running; wait for it (GET /api/training/events) or cancel it (DELETE /api/training)")
        switch request {
        case .fineTune(let steps):
            var settings = FineTuningSettings()
            settings.steps = steps ?? defaultSteps
            settings.augmentation = fineTuningAugmentation
            guard !samples.isEmpty else {
                throw StudioError(.unprocessableContent, "there are no saved samples to learn from: draw digits and save them with Right or Wrong first")
            }
            settings.seed = UInt64(samples.count)
            let jobSettings = settings
            guard jobs.begin(kind: "finetune", steps: settings.steps) else { throw conflict }
            let job = try await recordStart(kind: "finetune")
            Task.detached { [self] in
                await finish(job: job) { try await Retraining.run(studio: self, samples: images, settings: jobSettings) }
            }
        case .newNetwork(let options):
            if options.includeSamples && samples.isEmpty {
                throw StudioError(.unprocessableContent, "includeSamples is true but there are no saved samples: draw digits and save them first, or set includeSamples to false")
            }
            guard jobs.begin(kind: "new", steps: 0, epochs: options.steps == nil ? options.recipe.epochs : 1) else { throw conflict }
            let job = try await recordStart(kind: "new")
            Task.detached { [self] in
                await finish(job: job) { try await NewNetworkTraining.run(studio: self, options: options, samples: images) }
            }
        }
    }

    /// Writes the job's row (so a killed process leaves it "running", shown as interrupted on restart);
    /// when that fails, the job is marked failed before it starts.
    private func recordStart(kind: String) async throws -> TrainingJobRecord {
        do {
            return try await store.startJob(kind: kind)
        } catch {
            jobs.publish(.failed("the job could not be recorded in the database: \(error)"))
            throw error
        }
    }

    /// Runs a job's body and publishes and records how it ended: finished with a result, cancelled (nil),
    /// or failed.
    private func finish(job: TrainingJobRecord, _ body: @Sendable () async throws -> JobResult?) async {
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
        if let id = job.id { try? await store.endJob(id: id, state: state, message: message) }
        jobs.publish(event)
    }
}

/// Runs `work` on a new thread, so long CPU work does not hold up the server's tasks.
func runOnOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread {
            continuation.resume(with: Result { try work() })
        }
    }
}
