// Reading recorded pen digits: a good file, and every kind of bad entry named by entry and field.

import DigitsFiles
import DigitImage
import Testing

@Suite("Pen drawings file")
struct PenDrawingsFileTests {
    static func decode(_ text: String) throws -> [PenDrawing] {
        try PenDrawingsFile.decode(Array(text.utf8), name: "test.json")
    }

    static func message(_ text: String) -> String {
        do {
            _ = try decode(text)
            return "accepted"
        } catch {
            return "\(error)"
        }
    }

    @Test("a good file gives labels, writers, sources and the strokes as recorded")
    func good() throws {
        let drawings = try Self.decode(#"[{"label": 3, "writer": "val/val02", "source": "val", "strokes": [[[1, 2], [3.5, 4]], [[5, 6]]]}, {"label": 0, "strokes": [[[0, 0]]]}]"#)
        #expect(drawings.count == 2)
        #expect(drawings[0] == PenDrawing(label: 3, writer: "val/val02", source: "val",
                                          tabletStrokes: [[CanvasPoint(x: 1, y: 2), CanvasPoint(x: 3.5, y: 4)], [CanvasPoint(x: 5, y: 6)]]))
        #expect(drawings[1].writer == "" && drawings[1].source == "")
    }

    @Test("each bad entry is named with its field", arguments: [
        (#"[{"label": 3, "strokes": [[[1, 2]]]}, {"label": 12, "strokes": [[[1, 2]]]}]"#, "entry 1: \"label\" is 12.0"),
        (#"[{"label": "three", "strokes": [[[1, 2]]]}]"#, "entry 0: \"label\" is a string"),
        (#"[{"strokes": [[[1, 2]]]}]"#, "entry 0 has no \"label\""),
        (#"[{"label": 1, "strokes": []}]"#, "entry 0: \"strokes\" holds no points"),
        (#"[{"label": 1, "strokes": [[], []]}]"#, "entry 0: \"strokes\" holds no points"),
        (#"[{"label": 1}]"#, "entry 0 has no \"strokes\""),
        (#"[{"label": 1, "strokes": [[[1, NaN]]]}]"#, "entry 0: \"strokes[0][0]\" is (1.0, nan)"),
        (#"[{"label": 1, "strokes": [[[1, 2], [1e999, 2]]]}]"#, "entry 0: \"strokes[0][1]\" is (inf, 2.0)"),
        (#"[{"label": 1, "strokes": [[[1, -Infinity]]]}]"#, "entry 0: \"strokes[0][0]\" is (1.0, -inf)"),
        (#"[{"label": 1, "strokes": [[[1, 2, 3]]]}]"#, "entry 0: \"strokes[0][0]\" must be a point"),
        (#"[{"label": 1, "strokes": [[[1, 2]]], "writer": 5}]"#, "entry 0: \"writer\" must be a string"),
        (#"[3]"#, "entry 0 must be an object"),
        (#"{"label": 1}"#, "must hold a JSON list"),
        (#"[]"#, "holds no drawings"),
        (#"[{"label": 1, "strokes": [[[1, 2]]]"#, "not valid JSON"),
    ])
    func bad(text: String, expected: String) {
        let message = Self.message(text)
        #expect(message.contains(expected), "\(message)")
        #expect(message.hasPrefix("test.json"), "\(message)")
        #expect(!message.contains("\n"))
    }

    @Test("a missing file says which path")
    func missing() {
        #expect(throws: PenDrawingsFileError.self) { try PenDrawingsFile.read(path: "/nonexistent/dev.json") }
    }
}
