// DigitsCommand.swift — the root of the `digits` command line: a list of subcommands, nothing else.

import ArgumentParser

/// `digits`: train, evaluate and use handwritten-digit networks written from scratch.
public struct DigitsCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "digits",
        abstract: "Neural networks from scratch that read handwritten digits.",
        discussion: """
            Start with `digits serve`: it trains the default network on first use (downloading MNIST) and opens \
            the drawing studio. `digits train` trains with a progress bar and prints its test accuracy.
            """,
        version: "0.1.0",
        subcommands: [TrainCommand.self, EvaluateCommand.self, ReportCommand.self, PredictCommand.self, ReadCommand.self, ExportCommand.self, InspectCommand.self, DataCommand.self, ServeCommand.self]
    )

    public init() {}
}
