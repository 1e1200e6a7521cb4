// The in-process reading of a drawing (what `digits evaluate --drawings` uses) answers exactly like
// `POST /api/predict`, drawing for drawing: recorded pen digits of pen-digits/dev.json when it is there
// (DIGITS_PEN_DIGITS, default ../shared/data/pen-digits), and synthetic strokes always.

import DigitImage
import DigitsFiles
import DigitsStudio
import Foundation
import Hummingbird
import HummingbirdTesting
import NeuralNetwork
import Testing

/// The pen-digits folder, or nil when its dev.json is not on this machine.
let penDigitsDirectory: String? = {
    let directory = ProcessInfo.processInfo.environment["DIGITS_PEN_DIGITS"] ?? "../shared/data/pen-digits"
    return FileManager.default.fileExists(atPath: directory + "/dev.json") ? directory : nil
}()

@Suite("Drawing reader")
struct DrawingReaderTests {
    /// Reads every drawing in process and over HTTP (the body written like replay_http.py's JSON) and compares.
    static func compare(_ drawings: [PenDrawing]) async throws {
        let fixture = try await StudioFixture.make()
        defer { fixture.remove() }
        let (network, _) = try ModelFile.read(path: fixture.modelPath)
        let expected = try drawings.map { try DrawingReader.read($0.canvasDrawing(), with: network) }
        try await fixture.test { client in
            for (index, drawing) in drawings.enumerated() {
                let strokes = try Drawing.canvasStrokes(replaying: drawing.tabletStrokes)
                let text = strokes.map { "[" + $0.map { "[\($0.x), \($0.y)]" }.joined(separator: ", ") + "]" }.joined(separator: ", ")
                let body = "{\"width\": 280, \"height\": 280, \"strokes\": [\(text)]}"
                let response = try await client.execute(uri: "/api/predict", method: .post, body: ByteBuffer(string: body))
                let answer = JSON.object(response)
                #expect(response.status == .ok)
                #expect(answer["digit"] as? Int == expected[index].digit, "drawing \(index)")
                let probabilities = (answer["probabilities"] as? [Double]) ?? []
                let mine = expected[index].probabilities ?? []
                #expect(probabilities.count == mine.count && zip(probabilities, mine).allSatisfy { Float($0) == $1 },
                        "drawing \(index): \(probabilities) vs \(mine)")
            }
        }
    }

    @Test("synthetic pen strokes: the same digit and probabilities in process and over HTTP")
    func synthetic() async throws {
        var generator = SeededGenerator(seed: 11)
        let drawings = (0..<40).map { index -> PenDrawing in
            let strokes = (0..<(1 + index % 3)).map { _ in
                (0..<(2 + Int(generator.next() % 20))).map { _ in
                    CanvasPoint(x: Double(generator.nextUnitFloat()) * 1000, y: Double(generator.nextUnitFloat()) * 700)
                }
            }
            return PenDrawing(label: index % 10, writer: "w", source: "s", tabletStrokes: strokes)
        }
        try await Self.compare(drawings)
    }

    @Test("300 recorded pen digits: the same digit and probabilities in process and over HTTP",
          .enabled(if: penDigitsDirectory != nil, "needs pen-digits/dev.json (DIGITS_PEN_DIGITS)"))
    func recorded() async throws {
        let drawings = try PenDrawingsFile.read(path: penDigitsDirectory! + "/dev.json")
        try await Self.compare(Array(drawings.prefix(300)))
    }
}
