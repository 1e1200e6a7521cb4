// ServeCommand.swift — `digits serve`: the drawing studio in the browser.
//
// Parses options, makes sure there is a model (training the default one on first run), opens the studio
// and serves it. Everything else lives in the DigitsStudio library.

import ArgumentParser
import DigitsFiles
import DigitsStudio
import FeedbackStore
import Foundation
import Hummingbird

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the drawing studio: draw digits in the browser, correct the network, retrain it.",
        discussion: """
            With no --model and no saved model yet, trains the default model first (a few seconds to a \
            minute). Samples and retrained model versions are kept in the database (default: \
            \(userDataDirectory())/studio.sqlite) and a models folder beside it. Bound to an address other \
            than loopback, changes need a token: give --token or one is made up and printed.
            """)

    @Option(help: ArgumentHelp("The model to serve (default: the one `digits train` saved).", valueName: "FILE")) var model: String?
    @Option(help: "Address to listen on; 0.0.0.0 for every interface (then a token guards changes).") var host = "127.0.0.1"
    @Option(help: "Port to listen on; 0 picks a free one.") var port = 8080
    @Option(help: ArgumentHelp("SQLite database for samples and model versions.", valueName: "FILE")) var database: String?
    @Option(help: "Token required by the endpoints that change things (always, when given).") var token: String?
    @Option(help: "Steps of a retraining run (10–5000).") var steps = FineTuningSettings.defaultSteps
    @OptionGroup var dataOptions: DataOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0–65535, not \(port)") }
        guard (10...5000).contains(steps) else { throw ValidationError("--steps must be 10–5000, not \(steps)") }
        if let token, token.isEmpty || token.contains(where: { $0.isWhitespace }) {
            throw ValidationError("--token must be non-empty and without spaces")
        }
    }

    func run() async throws {
        let started = monotonicSeconds()
        let onEventLoops = runTasksOnEventLoops()
        let modelPath = try ensureModel()
        let databasePath = database ?? userDataDirectory() + "/studio.sqlite"
        let databaseDirectory = (databasePath as NSString).deletingLastPathComponent
        try AtomicFile.createDirectories(databaseDirectory.isEmpty ? "." : databaseDirectory)
        let modelDirectory = Self.modelDirectory(forDatabase: databasePath)

        let store = try SampleStore(path: databasePath)
        let token = self.token ?? (Self.isLoopback(host) ? nil : Self.randomToken())
        let dataOptions = self.dataOptions
        let studio = try await Studio(
            modelPath: modelPath, store: store, modelDirectory: modelDirectory, token: token,
            hostPolicy: HostPolicy(boundTo: host), defaultSteps: steps,
            loadMNIST: { try dataOptions.loadMNIST() })
        for warning in studio.warnings { printError("warning: \(warning)") }

        printError("model: \(modelPath) (answering with \(studio.currentVersion))")
        printError("samples and model versions: \(databasePath)")
        if !onEventLoops { printError("note: tasks run on Swift's own thread pool (could not switch to the event loops)") }
        let host = self.host
        let app = buildApplication(studio, host: host, port: port) { boundPort in
            let shownHost = Self.isLoopback(host) || host == "0.0.0.0" || host == "::" ? (host.contains(":") ? "[::1]" : "127.0.0.1") : host
            var url = "http://\(shownHost):\(boundPort)/"
            if let token { url += "?token=\(token)" }
            printError("ready in \(formatDuration(monotonicSeconds() - started)); press Ctrl-C to stop")
            print("digits studio: \(url)")
            fflush(stdout)
        }
        signal(SIGINT, SIG_DFL)   // the first-run training may have taken Ctrl-C; the server handles it now
        try await app.runService()
    }

    /// The model file to serve; trains the default model when none is given and none is saved yet.
    func ensureModel() throws -> String {
        if let model {
            guard FileManager.default.fileExists(atPath: model) else {
                throw UsageError("no model at \(model); train one with `digits train --output \(model)`, or leave out --model")
            }
            return model
        }
        let path = defaultModelPath()
        if FileManager.default.fileExists(atPath: path) { return path }
        printError("no model yet: training the default model first (once; it is saved to \(path))")
        var arguments = ["--output", path]
        if let data = dataOptions.data { arguments += ["--data", data] }
        let train = try TrainCommand.parse(arguments)
        try train.run()
        return path
    }

    /// `studio.sqlite` → `studio-models` beside it.
    static func modelDirectory(forDatabase path: String) -> String {
        let base = (path as NSString).deletingPathExtension
        return base + "-models"
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// 128 random bits as 32 hex digits.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(format: "%08x", UInt32.random(in: .min ... .max, using: &generator)) }.joined()
    }
}
