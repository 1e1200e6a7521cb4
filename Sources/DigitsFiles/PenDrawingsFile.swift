// PenDrawingsFile.swift — reading recorded pen-written digits (the format of pen-digits/dev.json).
//
//     [{"label": 0-9, "writer": "val/val02", "source": "val", "strokes": [[[x, y], ...], ...]}, ...]
//
// Coordinates are tablet units with y growing upward; `Drawing(replayingPenStrokes:)` puts them on a canvas.
// Every entry is checked, and an error names the entry and the field at fault.

import DigitImage
import Foundation
import NeuralNetwork

/// One digit written with a pen: its true label, who wrote it, and the pen-down traces.
public struct PenDrawing: Sendable, Equatable {
    /// The digit the writer was asked to write, 0–9; 10 (`LabeledImages.notADigit`) for a character that is
    /// not a digit (then `character` says which).
    public var label: Int
    /// The letter or symbol written, for a file of non-digits (`"label": "K"`); nil for a digit.
    public var character: String?
    /// The writer (or writer group) id, e.g. "val/val02"; "" when the file has none.
    public var writer: String
    /// The contributing source, e.g. "gmd"; "" when the file has none.
    public var source: String
    /// The strokes in tablet coordinates (x right, y up), as recorded.
    public var tabletStrokes: [[CanvasPoint]]

    public init(label: Int, character: String? = nil, writer: String, source: String, tabletStrokes: [[CanvasPoint]]) {
        self.label = label
        self.character = character
        self.writer = writer
        self.source = source
        self.tabletStrokes = tabletStrokes
    }

    /// The drawing on the studio's 280 × 280 canvas (`Drawing(replayingPenStrokes:)`).
    public func canvasDrawing() throws -> Drawing {
        try Drawing(replayingPenStrokes: tabletStrokes)
    }
}

/// Why a drawings file cannot be used: one line naming the file, the entry and the field.
public struct PenDrawingsFileError: Error, CustomStringConvertible, Equatable {
    public let description: String
    init(_ description: String) { self.description = description }
}

public enum PenDrawingsFile {
    /// Reads and checks every entry of a drawings file. With `nonDigits`, every label must be a character
    /// that is not a digit (a string, like pen-digits/nondigits-dev.json), else a digit 0–9.
    public static func read(path: String, nonDigits: Bool = false) throws -> [PenDrawing] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw PenDrawingsFileError("no drawings file at \(path): give the path of a file like pen-digits/dev.json")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PenDrawingsFileError("cannot read \(path): check that it is a readable file")
        }
        return try decode([UInt8](data), name: path, nonDigits: nonDigits)
    }

    /// Parses the JSON text of a drawings file; `name` appears in error messages.
    public static func decode(_ bytes: [UInt8], name: String, nonDigits: Bool = false) throws -> [PenDrawing] {
        let json: JSONValue
        do {
            json = try JSONReader.parse(bytes, nonFiniteNumbers: true)
        } catch let error as JSONSyntaxError {
            throw PenDrawingsFileError("\(name) is not valid JSON: \(error.description)")
        }
        guard case .array(let entries) = json else {
            throw PenDrawingsFileError("\(name) must hold a JSON list of drawings [{\"label\", \"strokes\", ...}, ...], not \(json.typeName)")
        }
        guard !entries.isEmpty else { throw PenDrawingsFileError("\(name) holds no drawings (an empty list)") }
        return try entries.enumerated().map { index, entry in try drawing(entry, at: "\(name): entry \(index)", nonDigits: nonDigits) }
    }

    private static func drawing(_ entry: JSONValue, at place: String, nonDigits: Bool) throws -> PenDrawing {
        guard case .object(let fields) = entry else {
            throw PenDrawingsFileError("\(place) must be an object {\"label\", \"writer\", \"source\", \"strokes\"}, not \(entry.typeName)")
        }
        guard let labelValue = fields["label"] else {
            throw PenDrawingsFileError("\(place) has no \"label\" (\(nonDigits ? "the character written, a string" : "the digit 0–9"))")
        }
        let label: Double
        var character: String?
        if nonDigits {
            guard case .string(let text) = labelValue, !text.isEmpty, text.count <= 8, !text.allSatisfy(\.isNumber) else {
                throw PenDrawingsFileError("\(place): \"label\" is \(labelValue.typeName); a file of non-digits labels each drawing with the character written, a string like \"K\"")
            }
            (label, character) = (Double(LabeledImages.notADigit), text)
        } else {
            guard case .number(let number) = labelValue, number.rounded() == number, (0...9).contains(number) else {
                let shown = { if case .number(let n) = labelValue { return "\(n)" } else { return labelValue.typeName } }()
                throw PenDrawingsFileError("\(place): \"label\" is \(shown); it must be a digit 0–9"
                    + (labelValue.typeName == "a string" ? " (for a file of letters and symbols, use --non-digits)" : ""))
            }
            label = number
        }
        func text(_ key: String) throws -> String {
            guard let value = fields[key], value != .null else { return "" }
            guard case .string(let string) = value else {
                throw PenDrawingsFileError("\(place): \"\(key)\" must be a string, not \(value.typeName)")
            }
            return string
        }
        guard let strokesValue = fields["strokes"] else { throw PenDrawingsFileError("\(place) has no \"strokes\" (a list of pen strokes)") }
        guard case .array(let strokes) = strokesValue else {
            throw PenDrawingsFileError("\(place): \"strokes\" must be a list of strokes [[[x, y], ...], ...], not \(strokesValue.typeName)")
        }
        var tabletStrokes: [[CanvasPoint]] = []
        var pointCount = 0
        for (strokeIndex, stroke) in strokes.enumerated() {
            guard case .array(let points) = stroke else {
                throw PenDrawingsFileError("\(place): \"strokes[\(strokeIndex)]\" must be a list of points [x, y], not \(stroke.typeName)")
            }
            tabletStrokes.append(try points.enumerated().map { pointIndex, point in
                let field = "\"strokes[\(strokeIndex)][\(pointIndex)]\""
                guard case .array(let pair) = point, pair.count == 2,
                      case .number(let x) = pair[0], case .number(let y) = pair[1] else {
                    throw PenDrawingsFileError("\(place): \(field) must be a point [x, y] of two numbers")
                }
                guard x.isFinite, y.isFinite else {
                    throw PenDrawingsFileError("\(place): \(field) is (\(x), \(y)); coordinates must be finite")
                }
                return CanvasPoint(x: x, y: y)
            })
            pointCount += points.count
        }
        guard pointCount > 0 else {
            throw PenDrawingsFileError("\(place): \"strokes\" holds no points; a drawing needs at least one stroke with a point")
        }
        guard strokes.count <= Drawing.Limits.maximumStrokes, pointCount <= Drawing.Limits.maximumPoints else {
            throw PenDrawingsFileError("\(place): \"strokes\" has \(strokes.count) strokes and \(pointCount) points; the studio takes at most "
                + "\(Drawing.Limits.maximumStrokes) strokes and \(Drawing.Limits.maximumPoints) points")
        }
        return PenDrawing(label: Int(label), character: character, writer: try text("writer"), source: try text("source"),
                          tabletStrokes: tabletStrokes)
    }
}
