// TrainingJobs.swift — the one training job at a time (a retraining, or a new network from the Train page):
// its status, cancellation, and live events.
//
// The job runs on a thread of its own and reports through `publish`, which updates the status and hands
// the event to every subscriber (each `GET /api/training/events` stream) in order, under one lock.

import Foundation
import Synchronization

/// The status of the current or last job, as `GET /api/training` answers it.
struct TrainingStatus: Codable, Sendable, Equatable {
    /// `interrupted`: the studio was stopped (killed) while the last job ran; it is shown until a new job.
    enum State: String, Codable, Sendable { case idle, running, finished, failed, cancelled, interrupted }
    var state: State = .idle
    /// "finetune" or "new"; nil before any job.
    var kind: String?
    var phase: String?
    var step = 0
    var steps = 0
    /// 1-based epoch in progress and the total, for a new network (nil for a retraining).
    var epoch: Int?
    var epochs: Int?
    var loss: Double?
    var accuracy: Double?
    var imagesPerSecond: Double?
    var secondsLeft: Double?
    /// One row per finished epoch (new networks).
    var epochRows: [JobEpochRow] = []
    var result: JobResult?
    var error: String?
    /// Encoded as null rather than left out, so clients can rely on every field being there.
    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(state, forKey: .state)
        try container.encode(kind, forKey: .kind)
        try container.encode(phase, forKey: .phase)
        try container.encode(step, forKey: .step)
        try container.encode(steps, forKey: .steps)
        try container.encode(epoch, forKey: .epoch)
        try container.encode(epochs, forKey: .epochs)
        try container.encode(loss, forKey: .loss)
        try container.encode(accuracy, forKey: .accuracy)
        try container.encode(imagesPerSecond, forKey: .imagesPerSecond)
        try container.encode(secondsLeft, forKey: .secondsLeft)
        try container.encode(epochRows, forKey: .epochRows)
        try container.encode(result, forKey: .result)
        try container.encode(error, forKey: .error)
    }
}

/// One finished epoch of a new network: what `digits train` prints per epoch.
struct JobEpochRow: Codable, Sendable, Equatable {
    var epoch: Int
    var trainLoss: Double
    var trainAccuracy: Double
    var validationAccuracy: Double?
    var learningRate: Double
    var seconds: Double
}

/// What a job produced: a retraining's result or a new network's; both carry `kind` and `version`.
enum JobResult: Codable, Sendable, Equatable {
    case fineTuning(FineTuningResult)
    case newNetwork(NewNetworkResult)

    var version: String? {
        switch self {
        case .fineTuning(let result): return result.version
        case .newNetwork(let result): return result.version
        }
    }

    func encode(to encoder: Encoder) throws {
        switch self {
        case .fineTuning(let result): try result.encode(to: encoder)
        case .newNetwork(let result): try result.encode(to: encoder)
        }
    }

    init(from decoder: Decoder) throws {
        struct Kind: Decodable { var kind: String? }
        if try Kind(from: decoder).kind == "new" {
            self = .newNetwork(try NewNetworkResult(from: decoder))
        } else {
            self = .fineTuning(try FineTuningResult(from: decoder))
        }
    }
}

/// Something that happened to the job, sent to event-stream subscribers.
enum TrainingEvent: Sendable, Equatable {
    case status(TrainingStatus)
    case phase(String)
    case progress(FineTuningProgress)
    case epoch(JobEpochRow)
    case finished(JobResult)
    case failed(String)
    case cancelled

    /// The last event of a job.
    var isTerminal: Bool {
        switch self {
        case .finished, .failed, .cancelled: return true
        case .status(let status): return status.state != .running
        default: return false
        }
    }

    /// The event in server-sent-events form: `event: NAME`, `data: JSON`, a blank line.
    var serverSentEvent: String {
        let encoder = JSONResponse.encoder
        func json<T: Encodable>(_ value: T) -> String {
            (try? encoder.encode(value)).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
        }
        let (name, data): (String, String)
        switch self {
        case .status(let status): (name, data) = ("status", json(status))
        case .phase(let phase): (name, data) = ("phase", json(["phase": phase]))
        case .progress(let progress): (name, data) = ("progress", json(progress))
        case .epoch(let row): (name, data) = ("epoch", json(row))
        case .finished(let result): (name, data) = ("finished", json(["result": result]))
        case .failed(let message): (name, data) = ("failed", json(["error": message]))
        case .cancelled: (name, data) = ("cancelled", "{}")
        }
        return "event: \(name)\ndata: \(data)\n\n"
    }
}

/// Holds the job status and its subscribers; starts at most one job at a time.
final class TrainingJobs: Sendable {
    private struct State {
        var status = TrainingStatus()
        var cancelRequested = false
        var subscribers: [Int: AsyncStream<TrainingEvent>.Continuation] = [:]
        var nextSubscriber = 0
    }
    private let state = Mutex(State())

    var status: TrainingStatus { state.withLock { $0.status } }

    /// Shows how the last job of a previous run of the studio ended (at start, before any job).
    func restore(_ status: TrainingStatus) {
        state.withLock { $0.status = status }
    }

    /// Marks a job of `kind` ("finetune" or "new") as running with `steps` steps (and `epochs` epochs for a
    /// new network); false if one is already running.
    func begin(kind: String, steps: Int, epochs: Int? = nil) -> Bool {
        let started = state.withLock { state -> Bool in
            guard state.status.state != .running else { return false }
            state.status = TrainingStatus(state: .running, kind: kind, phase: "starting", step: 0, steps: steps,
                                          epoch: epochs.map { _ in 1 }, epochs: epochs)
            state.cancelRequested = false
            return true
        }
        if started { publish(.status(status)) }
        return started
    }

    /// Asks the running job to stop; false when none runs.
    func requestCancel() -> Bool {
        state.withLock { state in
            guard state.status.state == .running else { return false }
            state.cancelRequested = true
            return true
        }
    }

    var cancelRequested: Bool { state.withLock { $0.cancelRequested } }

    /// Records `event` in the status and sends it to every subscriber; a terminal event ends their streams.
    func publish(_ event: TrainingEvent) {
        let ended = state.withLock { state -> [AsyncStream<TrainingEvent>.Continuation] in
            switch event {
            case .status(let status): state.status = status
            case .phase(let phase): state.status.phase = phase
            case .progress(let progress):
                state.status.step = progress.step
                state.status.steps = progress.steps
                state.status.loss = progress.loss
                state.status.accuracy = progress.accuracy
                if let epoch = progress.epoch { state.status.epoch = epoch }
                state.status.imagesPerSecond = progress.imagesPerSecond
                state.status.secondsLeft = progress.secondsLeft
            case .epoch(let row):
                state.status.epochRows.append(row)
            case .finished(let result):
                state.status.state = .finished
                state.status.phase = nil
                state.status.result = result
            case .failed(let message):
                state.status.state = .failed
                state.status.phase = nil
                state.status.error = message
            case .cancelled:
                state.status.state = .cancelled
                state.status.phase = nil
            }
            for continuation in state.subscribers.values { continuation.yield(event) }
            guard event.isTerminal else { return [] }
            defer { state.subscribers.removeAll() }
            return Array(state.subscribers.values)
        }
        // Finishing runs each stream's termination handler, which takes the lock: do it outside.
        for continuation in ended { continuation.finish() }
    }

    /// A stream of events that starts with the current status; it ends after a terminal event, or at once
    /// when no job is running.
    func subscribe() -> AsyncStream<TrainingEvent> {
        let (stream, continuation) = AsyncStream<TrainingEvent>.makeStream()
        state.withLock { state in
            continuation.yield(.status(state.status))
            if state.status.state == .running {
                let id = state.nextSubscriber
                state.nextSubscriber += 1
                state.subscribers[id] = continuation
                continuation.onTermination = { [weak self] _ in
                    self?.state.withLock { _ = $0.subscribers.removeValue(forKey: id) }
                }
            } else {
                continuation.finish()
            }
        }
        return stream
    }
}
