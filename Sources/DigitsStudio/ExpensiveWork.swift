// ExpensiveWork.swift — a bound on the studio's costly requests (the Model page's evaluations): a few run
// at a time on threads of their own, a few more wait without holding a thread, and the rest are told to
// come back (503 with Retry-After), so no flood of requests can exhaust the machine's memory or threads.

import Synchronization

final class ExpensiveWork: Sendable {
    private struct State {
        var running = 0
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    /// Jobs that run at once.
    let concurrent: Int
    /// Jobs that may wait for a free slot.
    let waitingLimit: Int

    init(concurrent: Int, waiting: Int) {
        self.concurrent = max(1, concurrent)
        self.waitingLimit = max(0, waiting)
    }

    /// Runs `work` on a thread of its own once a slot is free; throws 503 when all slots run and the queue is
    /// full.
    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        let admitted: Bool? = state.withLock { state in
            if state.running < concurrent {
                state.running += 1
                return true
            }
            return state.waiting.count < waitingLimit ? false : nil
        }
        guard let admitted else {
            throw StudioError(.serviceUnavailable, "the studio is busy with \(concurrent) evaluations and \(waitingLimit) more waiting; "
                + "try again in a few seconds", retryAfter: 5)
        }
        if !admitted {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let runNow = state.withLock { state -> Bool in
                    if state.running < concurrent {
                        state.running += 1
                        return true
                    }
                    state.waiting.append(continuation)
                    return false
                }
                if runNow { continuation.resume() }
            }
        }
        defer { release() }
        return try await runOnOwnThread(work)
    }

    /// Hands the slot to the first waiting job, or frees it.
    private func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiting.isEmpty {
                state.running -= 1
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume()
    }
}
