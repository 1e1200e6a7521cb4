// DataCommand.swift — `digits data download` and `digits data convert`.

import ArgumentParser
import DigitsFiles
import Foundation
import NeuralNetwork
import Synchronization

struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Download MNIST, or convert image sets between IDX and CSV.",
        subcommands: [Download.self, Convert.self]
    )

    struct Download: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download the four MNIST files, verifying their SHA-256 checksums.")

        @Option(name: .long, help: ArgumentHelp("Directory to download into (default: $DIGITS_DATA, else the per-user cache).", valueName: "DIR"))
        var to: String?

        @Option(name: .customLong("mirror"), help: ArgumentHelp("A base URL (https://, http:// or file://) to fetch from instead of the built-in public mirrors; repeat to try several.", valueName: "URL"))
        var mirrors: [String] = []

        func run() throws {
            let directory = to ?? DataLocation.resolve(explicit: nil).directory
            try Self.fetch(to: directory, mirrors: mirrors.isEmpty ? MNISTDownload.defaultMirrors : mirrors)
            print("MNIST is ready in \(directory)")
        }

        /// Downloads into `directory` with a progress bar on stderr.
        static func fetch(to directory: String, mirrors: [String] = MNISTDownload.defaultMirrors) throws {
            let bar = Mutex(ProgressBar())
            let outcomes = try MNISTDownload.download(to: directory, mirrors: mirrors) { progress in
                let done = Double(progress.received)
                let fraction = progress.total.map { done / Double(max($0, 1)) } ?? 0
                let size = String(format: "%.1f MB", done / 1e6)
                bar.withLock {
                    $0.update(fraction: fraction, label: "\(progress.fileIndex + 1)/\(progress.fileCount) \(progress.file)", details: size)
                }
            }
            bar.withLock { $0.clear() }
            for (file, outcome) in outcomes {
                switch outcome {
                case .alreadyPresent: printError("  \(file.name): already present, checksum verified")
                case .downloaded(let mirror): printError("  \(file.name): downloaded from \(mirror), checksum verified")
                }
            }
        }
    }

    struct Convert: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Convert between IDX and CSV.",
            discussion: """
                IDX → CSV: give the images file as INPUT; the labels file is found beside it by name \
                (train-images-idx3-ubyte[.gz] ↔ train-labels-idx1-ubyte[.gz]) or given with --labels. \
                CSV → IDX: OUTPUT names the images file; the labels file is written beside it \
                (…-images-idx3-ubyte → …-labels-idx1-ubyte). A name ending in .gz is gzip-compressed.
                """)

        @Argument(help: "Input file: an IDX images file (.gz or raw) or a CSV file.")
        var input: String
        @Argument(help: "Output file: .csv, or an IDX images file name.")
        var output: String
        @Option(name: .long, help: ArgumentHelp("The IDX labels file, when it cannot be found by name.", valueName: "FILE"))
        var labels: String?
        @Flag(inversion: .prefixedNo, help: "Write a header row in CSV output.")
        var header = true

        func run() throws {
            let inputIsCSV = input.lowercased().hasSuffix(".csv") || input.lowercased().hasSuffix(".csv.gz")
            let outputIsCSV = output.lowercased().hasSuffix(".csv")
            guard inputIsCSV != outputIsCSV else {
                throw UsageError("convert goes from IDX to CSV or from CSV to IDX; got \(input) → \(output) (name CSV files *.csv)")
            }
            let images: LabeledImages
            if inputIsCSV {
                images = try CSVDataset.read(path: input)
            } else {
                let labelsPath = try labels ?? Self.labelsPath(forImages: input)
                images = try MNIST.dataset(images: try IDXFile.read(path: input), imagesPath: input,
                                           labels: try IDXFile.read(path: labelsPath), labelsPath: labelsPath)
            }
            if outputIsCSV {
                try CSVDataset.write(images, to: output, header: header)
                print("wrote \(images.count) images to \(output)")
            } else {
                let labelsOutput = try labels ?? Self.labelsPath(forImages: output)
                let gzip = output.hasSuffix(".gz")
                try IDXFile.write(IDXArray(shape: [images.count, images.imageShape.height, images.imageShape.width], bytes: images.pixels), to: output, gzip: gzip)
                try IDXFile.write(IDXArray(shape: [images.count], bytes: images.labels), to: labelsOutput, gzip: labelsOutput.hasSuffix(".gz"))
                print("wrote \(images.count) images to \(output) and their labels to \(labelsOutput)")
            }
        }

        /// `…images-idx3-ubyte…` → `…labels-idx1-ubyte…`.
        static func labelsPath(forImages path: String) throws -> String {
            guard path.contains("images-idx3-ubyte") else {
                throw UsageError("cannot tell the labels file for \(path): name it *-images-idx3-ubyte[.gz] or pass --labels FILE")
            }
            return path.replacingOccurrences(of: "images-idx3-ubyte", with: "labels-idx1-ubyte")
        }
    }
}
