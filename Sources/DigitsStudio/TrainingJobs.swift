// TrainingJobs.swift — the one retraining job at a time: its status, cancellation, and live events.
//
// The job runs on a thread of its own and reports through `publish`, which updates the status and hands
// the event to every subscriber (each `GET /api/training/events` stream) in order, under one lock.

import Foundation
import Synchronization

/// The status of the current or last job, as `GET /api/training` answers it.
struct TrainingStatus: Codable, Sendable, Equatable {
    enum State: String, Codable, Sendable { case idle, running, finished, failed, cancelled }
    var state: State = .idle
    var phase: String?
    var step = 0
    var steps = 0
    var loss: Double?
    var accuracy: Double?
    var result: FineTuningResult?
    var error: String?
    /// Encoded as null rather than left out, so clients can rely on every field being there.
    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(state, forKey: .state)
        try container.encode(phase, forKey: .phase)
        try container.encode(step, forKey: .step)
        try container.encode(steps, forKey: .steps)
        try container.encode(loss, forKey: .loss)
        try container.encode(accuracy, forKey: .accuracy)
        try container.encode(result, forKey: .result)
        try container.encode(error, forKey: .error)
    }
}

/// Something that happened to the job, sent to event-stream subscribers.
enum TrainingEvent: Sendable, Equatable {
    case status(TrainingStatus)
    case phase(String)
    case progress(FineTuningProgress)
    case finished(FineTuningResult)
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

    /// Marks a job as running with `steps` steps; false if one is already running.
    func begin(steps: Int) -> Bool {
        let started = state.withLock { state -> Bool in
            guard state.status.state != .running else { return false }
            state.status = TrainingStatus(state: .running, phase: "starting", step: 0, steps: steps)
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
