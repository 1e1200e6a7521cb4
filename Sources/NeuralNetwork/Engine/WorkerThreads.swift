// WorkerThreads.swift — a tiny fork–join pool: run part 0 of a job on the caller, parts 1… on workers.
//
// The matrix multiply calls this thousands of times per epoch on small matrices, so waking a worker
// must cost microseconds: workers spin briefly on an atomic counter before sleeping on a condition
// variable. Results never depend on which thread finishes first: either the caller fixes the split of the
// work into parts, or (`forEachChunk`) threads take chunks as they come free, for work whose results are
// the same however the chunks are shared — which keeps a core slowed down by the machine from holding up
// the other.

import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fixed set of helper threads that run the parts of a job alongside the calling thread.
public final class WorkerThreads: @unchecked Sendable {
    /// Total threads taking part in a job, the caller included.
    public let threadCount: Int

    private let generation = Atomic<Int>(0)      // incremented to publish a job
    private let remaining = Atomic<Int>(0)       // parts not yet finished by workers
    private var job: ((Int) -> Void)?            // written before `generation` is bumped
    // pthread objects must not move in memory, so they live in their own allocations.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let jobLock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)  // serializes callers of `run`
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var sleepers = 0
    private var shuttingDown = false

    /// A pool with `threadCount - 1` helper threads (`threadCount` ≥ 1).
    public init(threadCount: Int) {
        precondition(threadCount >= 1, "thread count must be at least 1")
        self.threadCount = threadCount
        pthread_mutex_init(mutex, nil)
        pthread_mutex_init(jobLock, nil)
        pthread_cond_init(condition, nil)
        for part in 1..<threadCount {
            let context = Unmanaged.passRetained(WorkerStart(pool: self, part: part)).toOpaque()
            var thread = pthread_t()
            let status = pthread_create(&thread, nil, { raw in
                let start = Unmanaged<WorkerStart>.fromOpaque(raw!).takeRetainedValue()
                start.pool.workerLoop(part: start.part)
                return nil
            }, context)
            precondition(status == 0, "could not start a worker thread (error \(status))")
            pthread_detach(thread)
        }
    }

    /// Shuts the workers down; call it when done (the workers keep the pool alive until then).
    /// The pool must not be used afterwards.
    public func stop() {
        pthread_mutex_lock(mutex)
        shuttingDown = true
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }

    /// Runs `body(part)` for every part in `0..<threadCount` and returns when all are done.
    /// Part 0 runs on the calling thread. Calls from several threads at once are run one after another.
    public func run(_ body: @escaping (Int) -> Void) {
        if threadCount == 1 {
            body(0)
            return
        }
        pthread_mutex_lock(jobLock)
        defer { pthread_mutex_unlock(jobLock) }
        job = body
        remaining.store(threadCount - 1, ordering: .relaxed)
        generation.add(1, ordering: .releasing)
        pthread_mutex_lock(mutex)
        if sleepers > 0 { pthread_cond_broadcast(condition) }
        pthread_mutex_unlock(mutex)
        body(0)
        var spins = 0
        while remaining.load(ordering: .acquiring) > 0 {
            spins += 1
            if spins > 1_000_000 { sched_yield() }
        }
        job = nil
    }

    private func workerLoop(part: Int) {
        // No job can have been published before the pool existed: generation 0 is "nothing yet". (Reading
        // the counter here instead would miss a job published before this thread got to run.)
        var seen = 0
        while true {
            // Spin a little (jobs come back to back during training), then sleep.
            var spins = 0
            while generation.load(ordering: .acquiring) == seen {
                spins += 1
                if spins > 5_000_000 {
                    pthread_mutex_lock(mutex)
                    sleepers += 1
                    while generation.load(ordering: .acquiring) == seen && !shuttingDown {
                        pthread_cond_wait(condition, mutex)
                    }
                    sleepers -= 1
                    let stop = shuttingDown
                    pthread_mutex_unlock(mutex)
                    if stop { return }
                    break
                }
            }
            seen = generation.load(ordering: .acquiring)
            job?(part)
            remaining.subtract(1, ordering: .releasing)
        }
    }
}

private final class WorkerStart {
    let pool: WorkerThreads
    let part: Int
    init(pool: WorkerThreads, part: Int) {
        self.pool = pool
        self.part = part
    }
}

/// Runs `body` on consecutive ranges of `0..<count` elements, one per worker thread, when each thread gets
/// at least `minimumPerThread` of them; otherwise on the caller alone, as waking a thread costs more than
/// a short element-wise loop. Each element is handled by exactly one thread.
func forEachElementRange(count: Int, workers: WorkerThreads?, minimumPerThread: Int = 16_384, _ body: @escaping (Range<Int>) -> Void) {
    guard let workers, workers.threadCount > 1, count >= 2 * minimumPerThread else {
        body(0..<count)
        return
    }
    let parts = min(workers.threadCount, count / minimumPerThread)
    workers.run { part in
        guard part < parts else { return }
        let range = count * part / parts..<count * (part + 1) / parts
        if !range.isEmpty { body(range) }
    }
}

/// Runs `body` on the chunks `i·chunkSize ..< (i + 1)·chunkSize` of `0..<count` (the last one shorter), handed
/// out one at a time to whichever thread is free first, so a thread slowed down by the machine takes fewer.
/// Each index is handled by exactly one thread, but which one depends on timing: use it only where the
/// results do not depend on how the chunks are shared out.
func forEachChunk(count: Int, chunkSize: Int, workers: WorkerThreads?, _ body: @escaping (Range<Int>) -> Void) {
    precondition(chunkSize >= 1, "chunks need at least one element")
    let chunks = (count + chunkSize - 1) / chunkSize
    guard let workers, workers.threadCount > 1, chunks > 1 else {
        if count > 0 { body(0..<count) }
        return
    }
    let next = ChunkCounter()
    workers.run { _ in
        while true {
            let chunk = next.value.add(1, ordering: .relaxed).oldValue
            guard chunk < chunks else { return }
            body(chunk * chunkSize..<min(count, (chunk + 1) * chunkSize))
        }
    }
}

private final class ChunkCounter: Sendable {
    let value = Atomic<Int>(0)
}

/// Runs `body` on consecutive ranges of `0..<count`, one per worker thread (all on the caller without
/// workers). Each index is handled by exactly one thread, so the split never changes a result.
func forEachExampleRange(count: Int, workers: WorkerThreads?, _ body: @escaping (Range<Int>) -> Void) {
    forEachElementRange(count: count, workers: workers, minimumPerThread: 1, body)
}
