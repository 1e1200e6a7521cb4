// StudioFixture.swift — a studio on a small random model, an in-memory database and synthetic "MNIST".

import DigitsStudio
import DigitsFiles
import FeedbackStore
import Foundation
import Hummingbird
import HummingbirdTesting
import NeuralNetwork

/// A temporary studio: model file and version folder in a fresh directory, samples in memory.
struct StudioFixture {
    let directory: String
    let modelPath: String
    let store: SampleStore
    let studio: Studio

    /// `token` makes the writing endpoints require it. `mnist` defaults to a small synthetic set;
    /// `loadMNIST`, when given, is called instead (to hold a job up, for instance). The model is a small untrained
    /// perceptron (unsure of everything) written with `modelMetadata`, unless `directory` already holds one.
    static func make(token: String? = nil, store: SampleStore? = nil, directory: String? = nil, modelMetadata: [String: String] = [:],
                     mnist: MNISTSets? = nil, loadMNIST: (@Sendable () throws -> MNISTSets)? = nil) async throws -> StudioFixture {
        let directory = directory ?? NSTemporaryDirectory() + "digits-studio-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let modelPath = directory + "/model.safetensors"
        if !FileManager.default.fileExists(atPath: modelPath) {
            var generator = SeededGenerator(seed: 7)
            let network = Network.multilayerPerceptron(sizes: [784, 32, 10], generator: &generator)
            try ModelFile.write(network, to: modelPath, metadata: modelMetadata)
        }
        let store = try store ?? SampleStore()
        let sets = mnist ?? syntheticMNIST()
        let studio = try await Studio(modelPath: modelPath, store: store, modelDirectory: directory + "/versions",
                                      token: token, defaultSteps: 20,
                                      // The synthetic digits are bands whose position is their class: no shifting them.
                                      fineTuningAugmentation: .none, loadMNIST: loadMNIST ?? { sets })
        return StudioFixture(directory: directory, modelPath: modelPath, store: store, studio: studio)
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }

    /// Runs `body` with an in-memory test client of the studio's router.
    func test<T>(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        let app = Application(router: buildRouter(studio))
        return try await app.test(.router, body)
    }
}

/// 500 training and 200 test images: digit d is a bright horizontal band at rows 2d…2d+5.
func syntheticMNIST() -> MNISTSets {
    func make(_ count: Int) -> LabeledImages {
        var pixels = [UInt8](repeating: 0, count: count * 784)
        var labels = [UInt8]()
        for index in 0..<count {
            let digit = index % 10
            for row in (2 * digit + 2)..<(2 * digit + 8) { for column in 4..<24 { pixels[index * 784 + row * 28 + column] = 255 } }
            labels.append(UInt8(digit))
        }
        return LabeledImages(pixels: pixels, labels: labels)
    }
    return (make(500), make(200))
}

/// JSON helpers for requests and answers.
enum JSON {
    /// The header of a JSON body, which every writing endpoint requires.
    static let headers: HTTPFields = [.contentType: "application/json"]

    static func body(_ object: Any) -> ByteBuffer {
        ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: object))
    }

    static func object(_ response: TestResponse) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any] ?? [:]
    }

    static func error(_ response: TestResponse) -> String {
        object(response)["error"] as? String ?? "<no error field in \(String(buffer: response.body))>"
    }
}

/// A vertical bar drawn on a 280×280 canvas: a clear "1".
let barStrokes: [[[Double]]] = [[[140, 50], [140, 140], [140, 230]]]
