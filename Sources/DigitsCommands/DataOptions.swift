// DataOptions.swift — `--data DIR` and loading MNIST, downloading it to the user cache on first use.

import ArgumentParser
import DigitsFiles
import Foundation
import NeuralNetwork

struct DataOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Directory with the four MNIST files (default: $DIGITS_DATA, else the per-user cache, downloaded on first use).", valueName: "DIR"))
    var data: String?

    /// Loads MNIST, downloading it first when the per-user cache is empty. Reports what it does on stderr.
    func loadMNIST(quiet: Bool = false) throws -> (train: LabeledImages, test: LabeledImages) {
        let location = DataLocation.resolve(explicit: data)
        if location.source == .userCache {
            let missing = MNIST.fileNames.filter { name in
                !FileManager.default.fileExists(atPath: location.directory + "/" + name)
                    && !FileManager.default.fileExists(atPath: location.directory + "/" + String(name.dropLast(3)))
            }
            if !missing.isEmpty {
                printError("MNIST is not in \(location.directory) yet: downloading it (about 11 MB, once).")
                try DataCommand.Download.fetch(to: location.directory)
            }
        }
        let start = monotonicSeconds()
        let sets = try MNIST.load(directory: location.directory)
        if !quiet {
            printError("loaded MNIST from \(location.directory): \(sets.train.count) training and \(sets.test.count) test images in \(formatDuration(monotonicSeconds() - start))")
        }
        return sets
    }
}
