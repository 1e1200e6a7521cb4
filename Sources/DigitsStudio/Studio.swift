// Studio.swift — the studio's shared state and how the HTTP application is put together.
//
// `Studio.open` reads the model and the database; `buildRouter` registers every controller's routes in
// one place; `buildApplication` binds them to an address. The command-line `digits serve` only parses its
// options and calls these.

import DigitsFiles
import FeedbackStore
import Foundation
import Hummingbird
import Logging
import NeuralNetwork
import NIOCore
import NIOPosix
import Synchronization

/// MNIST's training and test sets.
public typealias MNISTSets = (train: LabeledImages, test: LabeledImages)

/// Everything the studio's handlers share: the sample store, the models, the training job.
public final class Studio: Sendable {
    let store: SampleStore
    let models: ModelRegistry
    let jobs = TrainingJobs()
    /// MNIST test evaluations of the versions looked at lately (the Model page, comparisons).
    let mnistEvaluations = EvaluationCache()
    /// Required on writing endpoints when set.
    let token: String?
    /// The `Host` names the studio answers to.
    let hostPolicy: HostPolicy
    /// Steps of a retraining run when the request does not say.
    let defaultSteps: Int
    /// The distortions applied to every image while retraining (none for data whose class is its position).
    let fineTuningAugmentation: AugmentationSettings
    /// At most two evaluations for the Model page at a time, eight more waiting; beyond that, 503.
    let expensiveWork = ExpensiveWork(concurrent: 2, waiting: 8)
    private let loadMNIST: @Sendable () throws -> MNISTSets
    private let mnistCache = Mutex<MNISTSets?>(nil)
    /// Held while MNIST is loading, so that it is loaded once however many callers ask at the same time.
    private let mnistLoading = Mutex(())

    /// Opens the studio on the base model at `modelPath`, keeping retrained versions in `modelDirectory`.
    /// `loadMNIST` is called (once) on the first retraining.
    public init(modelPath: String, store: SampleStore, modelDirectory: String, token: String? = nil,
                hostPolicy: HostPolicy = HostPolicy(boundTo: "127.0.0.1"), defaultSteps: Int = 300, fineTuningAugmentation: AugmentationSettings = FineTuningSettings.defaultAugmentation,
                loadMNIST: @escaping @Sendable () throws -> MNISTSets) async throws {
        self.fineTuningAugmentation = fineTuningAugmentation
        self.store = store
        self.models = try await ModelRegistry(basePath: modelPath, directory: modelDirectory, store: store)
        self.token = token
        self.hostPolicy = hostPolicy
        self.defaultSteps = defaultSteps
        self.loadMNIST = loadMNIST
        // A job still recorded as running was cut off by a killed process: show it as interrupted.
        let interrupted = try await store.interruptRunningJobs()
        let last = try await store.lastJob()
        let inUse = models.current.version
        self.jobWarnings = interrupted.map { job in
            "a \(job.kind == "new" ? "new-network training" : "retraining") job started \(job.startedAt) was interrupted "
                + "(the studio was stopped while it ran); the model in use is \(inUse)"
        }
        if let last, last.state == "interrupted" {
            jobs.restore(TrainingStatus(state: .interrupted, kind: last.kind, error: last.message))
        }
    }

    private let jobWarnings: [String]

    /// Problems met while opening, to print (a damaged model version that was skipped, an interrupted job).
    public var warnings: [String] { models.warnings + jobWarnings }

    /// The name of the model answering now ("base", "v3").
    public var currentVersion: String { models.current.version }

    /// MNIST, loaded on first use and kept. Callers that arrive while it loads wait for that one load; a
    /// failed load is tried again by the next caller.
    func mnist() throws -> MNISTSets {
        if let sets = mnistCache.withLock({ $0 }) { return sets }
        return try mnistLoading.withLock { _ -> MNISTSets in
            if let sets = mnistCache.withLock({ $0 }) { return sets }
            let sets = try loadMNIST()
            mnistCache.withLock { $0 = sets }
            return sets
        }
    }

    /// Throws 401 unless the request carries the token (when one is set).
    func authorize(_ request: Request) throws {
        guard let token else { return }
        let given = request.headers[.authorization] ?? ""
        guard constantTimeEqual(Array(given.utf8), Array("Bearer \(token)".utf8)) else {
            throw StudioError(.unauthorized, given.isEmpty
                ? "this server needs its token for changes: send the header \"Authorization: Bearer TOKEN\" with the token printed when it started (the page takes it from ?token= in its URL)"
                : "the token is wrong: use the one printed when the server started")
        }
    }
}

/// Runs Swift concurrency's tasks on SwiftNIO's event-loop threads instead of a second pool of threads, so
/// a request is read, answered and written without hopping threads (on 2 cores: fewer context switches,
/// shorter tail latency). Call it first thing in the process; false when it was too late to switch.
@discardableResult
public func runTasksOnEventLoops() -> Bool {
    NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
}

/// The studio as a Hummingbird application on `host:port` (port 0 picks a free port). `onRunning` gets the
/// port actually bound once the server accepts connections.
///
/// Every connection is guarded by `limits` (`ConnectionGuard`): time limits on heads, bodies and idle
/// connections, and a cap on open connections.
public func buildApplication(_ studio: Studio, host: String, port: Int, limits: ConnectionLimits = .standard,
                             onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
    var logger = Logger(label: "digits-studio")
    logger.logLevel = .warning
    let registry = ConnectionRegistry(maximum: limits.maximumConnections)
    return Application(
        router: buildRouter(studio),
        server: .http1(configuration: .init(additionalChannelHandlers: [ConnectionGuard(limits: limits, registry: registry)])),
        configuration: .init(address: .hostname(host, port: port), serverName: "digits"),
        onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
        logger: logger)
}

/// Whether `a` equals `b`, in a time that depends only on their lengths, not on where they first differ
/// (so the token cannot be guessed byte by byte from response times).
func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    var difference = UInt8(a.count == b.count ? 0 : 1)
    for index in 0..<max(a.count, b.count) {
        difference |= (index < a.count ? a[index] : 0) ^ (index < b.count ? b[index] : 0)
    }
    return difference == 0
}
