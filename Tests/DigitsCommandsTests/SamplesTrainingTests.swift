// Your saved drawings in `digits train --samples` and `digits evaluate --samples`: the studio's database
// (read without changing it) and each of its export formats, mixed in reproducibly; bad files and options
// get one-line errors.

import DigitsFiles
import FeedbackStore
import Foundation
import NeuralNetwork
import Testing

@Suite("Your drawings in train and evaluate", .enabled(if: mnistDirectory != nil, "set DIGITS_DATA to the MNIST directory"), .serialized)
struct SamplesTrainingTests {
    let data = ["--data", mnistDirectory ?? ""]

    /// A studio database holding the first 30 MNIST test images as samples, and its three export files.
    static func sampleFiles(in directory: String) async throws -> [String: String] {
        let test = try MNIST.load(directory: mnistDirectory!).test
        let database = directory + "/studio.sqlite"
        let store = try SampleStore(path: database)
        var samples: [Sample] = []
        for index in 0..<30 {
            samples.append(try await store.add(Sample(label: Int(test.labels[index]), prediction: nil, image: Data(test.image(index)), drawing: "{}")))
        }
        try store.close()
        let files = ["database": database, "csv": directory + "/samples.csv", "tar": directory + "/samples.tar",
                     "idx": directory + "/samples-images-idx3-ubyte"]
        try Data(SampleExport.csv(samples)).write(to: URL(fileURLWithPath: files["csv"]!))
        try Data(TarArchive.encode([.init(name: "samples-images-idx3-ubyte", bytes: SampleExport.idxImages(samples)),
                                    .init(name: "samples-labels-idx1-ubyte", bytes: SampleExport.idxLabels(samples))]))
            .write(to: URL(fileURLWithPath: files["tar"]!))
        try Data(SampleExport.idxImages(samples)).write(to: URL(fileURLWithPath: files["idx"]!))
        try Data(SampleExport.idxLabels(samples)).write(to: URL(fileURLWithPath: directory + "/samples-labels-idx1-ubyte"))
        return files
    }

    @Test("train --samples reads the database and every export, reports how many were used, and is reproducible")
    func trainWithEachFormat() async throws {
        let directory = makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let files = try await Self.sampleFiles(in: directory)
        let databaseBefore = try Data(contentsOf: URL(fileURLWithPath: files["database"]!))
        var weights: [String: [String: [Float]]] = [:]
        for (kind, path) in files.sorted(by: { $0.key < $1.key }) {
            let model = directory + "/\(kind).safetensors"
            let run = try runDigits(["train", "--preset", "mlp", "--epochs", "1", "--samples", path, "--samples-weight", "0.1",
                                     "--json", "--output", model] + data, in: directory)
            #expect(run.status == 0, "\(kind): \(run.standardError)")
            #expect(jsonObject(run.standardOutput)?["samples"] as? Int == 30, "\(kind)")
            #expect(run.standardError.contains("your drawings: 30 from \(path)"))
            weights[kind] = try tensors(model)

            let evaluate = try runDigits(["evaluate", "--model", model, "--samples", path, "--json"], in: directory)
            #expect(evaluate.status == 0, "\(kind): \(evaluate.standardError)")
            let report = jsonObject(evaluate.standardOutput)
            #expect(report?["images"] as? Int == 30 && report?["set"] as? String == path)
            #expect((report?["accuracy"] as? Double ?? 0) > 0.8, "\(kind): \(report?["accuracy"] ?? "nil")")
        }
        // Same drawings, same seed: the same weights whichever file they came from.
        #expect(weights["csv"] == weights["database"] && weights["tar"] == weights["database"] && weights["idx"] == weights["database"])
        // Reading the database changed nothing in it.
        #expect(try Data(contentsOf: URL(fileURLWithPath: files["database"]!)) == databaseBefore)

        // The drawings change training: without them the weights differ.
        let plain = directory + "/plain.safetensors"
        let run = try runDigits(["train", "--preset", "mlp", "--epochs", "1", "--json", "--output", plain] + data, in: directory)
        #expect(jsonObject(run.standardOutput)?["samples"] as? Int == 0)
        #expect(try tensors(plain) != weights["database"])
    }

    @Test("bad samples files and options: one line naming the file or option, non-zero exit, no model written")
    func badSamples() async throws {
        let directory = makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let files = try await Self.sampleFiles(in: directory)
        let tar = try [UInt8](Data(contentsOf: URL(fileURLWithPath: files["tar"]!)))
        try Data(tar.prefix(1500)).write(to: URL(fileURLWithPath: directory + "/cut.tar"))
        try Data("hello world\n".utf8).write(to: URL(fileURLWithPath: directory + "/note.txt"))
        try Data().write(to: URL(fileURLWithPath: directory + "/empty.csv"))
        try FileManager.default.copyItem(atPath: files["idx"]!, toPath: directory + "/lonely-images-idx3-ubyte")
        let cases: [([String], String)] = [
            (["--samples", directory + "/missing.sqlite"], "missing.sqlite"),
            (["--samples", directory + "/empty.csv"], "is empty"),
            (["--samples", directory + "/note.txt"], "is not a studio database, a CSV export"),
            (["--samples", directory + "/cut.tar"], "is truncated"),
            (["--samples", directory + "/lonely-images-idx3-ubyte"], "lonely-labels-idx1-ubyte, which does not exist"),
            (["--samples", files["csv"]!, "--samples-weight", "0.9"], "--samples-weight"),
            (["--samples-weight", "0.1"], "--samples-weight needs --samples FILE"),
        ]
        for (arguments, fragment) in cases {
            let model = directory + "/bad.safetensors"
            let run = try runDigits(["train", "--preset", "mlp", "--epochs", "1", "--output", model] + arguments + data, in: directory)
            #expect(run.status != 0, "\(arguments)")
            #expect(run.standardError.contains(fragment), "\(arguments): \(run.standardError)")
            #expect(!FileManager.default.fileExists(atPath: model), "\(arguments)")
        }
        let evaluate = try runDigits(["evaluate", "--model", directory + "/none.safetensors", "--samples", files["csv"]!, "--drawings", "x.json"], in: directory)
        #expect(evaluate.status != 0 && evaluate.standardError.contains("--samples measures your saved drawings"))
    }
}
