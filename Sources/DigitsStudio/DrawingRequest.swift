// DrawingRequest.swift — reading a drawing (and an optional label) from a JSON request body.
//
// Decoding errors are rewritten into messages that name the field and the expected type, e.g.
// "strokes[0][3] must be a point [x, y]", instead of Foundation's debugging text.

import DigitImage
import DigitsFiles
import Foundation
import Hummingbird

/// The JSON body of `POST /api/predict` and `POST /api/samples`, read with `JSONReader` so every
/// message names the field at fault (`strokes[0][3] must be a point [x, y]`).
struct DrawingRequest {
    var width: Int
    var height: Int
    var strokes: [[CanvasPoint]]?
    var pixels: [Int]?
    /// The user's label (samples only).
    var label: Int?
    /// What the page showed (samples only).
    var prediction: Int?

    /// The fields of a drawing: `width`, `height`, and `strokes` or `pixels`.
    static let drawingFields: Set<String> = ["width", "height", "strokes", "pixels"]
    /// The fields of a sample: a drawing's, `label` and `prediction`.
    static let sampleFields = drawingFields.union(["label", "prediction"])

    /// Reads the request body (at most 1 MiB) and decodes it; a field outside `allowed` is refused (400).
    static func read(from request: Request, allowed: Set<String> = drawingFields) async throws -> DrawingRequest {
        var request = request
        let body = Data(buffer: try await request.collectBody(upTo: StudioLimits.maximumBodyBytes))
        return try decode(body, allowed: allowed)
    }

    static func decode(_ data: Data, allowed: Set<String> = sampleFields) throws -> DrawingRequest {
        guard !data.isEmpty else {
            throw StudioError(.badRequest, "the request body is empty; send JSON like {\"width\": 280, \"height\": 280, \"strokes\": [[[x, y], ...]]}")
        }
        let json: JSONValue
        do {
            json = try JSONReader.parse([UInt8](data))
        } catch let error as JSONSyntaxError {
            throw StudioError(.badRequest, error.description)
        }
        guard case .object(let fields) = json else {
            throw StudioError(.badRequest, "the body must be a JSON object like {\"width\": 280, \"height\": 280, \"strokes\": [...]}, not \(json.typeName)")
        }
        let unknown = fields.keys.filter { !allowed.contains($0) }.sorted()
        guard unknown.isEmpty else {
            throw StudioError(.badRequest, "unknown field\(unknown.count == 1 ? "" : "s") " + unknown.map { "\"\($0)\"" }.joined(separator: ", ")
                + "; the body takes only " + allowed.sorted().map { "\"\($0)\"" }.joined(separator: ", "))
        }
        func required(_ name: String) throws -> Int {
            guard let value = fields[name], value != .null else {
                throw StudioError(.badRequest, "missing field \"\(name)\"; a drawing is {\"width\": W, \"height\": H, \"strokes\": [...]} or {..., \"pixels\": [...]}")
            }
            return try wholeNumber(value, name)
        }
        func optional(_ name: String) throws -> Int? {
            guard let value = fields[name], value != .null else { return nil }
            return try wholeNumber(value, name)
        }
        var request = DrawingRequest(width: try required("width"), height: try required("height"),
                                     label: try optional("label"), prediction: try optional("prediction"))
        if let value = fields["strokes"], value != .null { request.strokes = try strokes(value) }
        if let value = fields["pixels"], value != .null {
            guard case .array(let values) = value else { throw StudioError(.badRequest, "pixels must be a list of integers 0–255, not \(value.typeName)") }
            request.pixels = try values.enumerated().map { try wholeNumber($1, "pixels[\($0)]") }
        }
        return request
    }

    private init(width: Int, height: Int, label: Int?, prediction: Int?) {
        self.width = width
        self.height = height
        self.label = label
        self.prediction = prediction
    }

    /// `[[[x, y], ...], ...]`, each point two numbers. Limits and the canvas are checked by `Drawing`.
    static func strokes(_ value: JSONValue) throws -> [[CanvasPoint]] {
        guard case .array(let strokes) = value else {
            throw StudioError(.badRequest, "strokes must be a list of strokes, not \(value.typeName)")
        }
        return try strokes.enumerated().map { strokeIndex, stroke in
            guard case .array(let points) = stroke else {
                throw StudioError(.badRequest, "strokes[\(strokeIndex)] must be a stroke (a list of points [x, y]), not \(stroke.typeName)")
            }
            return try points.enumerated().map { pointIndex, point in
                guard case .array(let pair) = point else {
                    throw StudioError(.badRequest, "strokes[\(strokeIndex)][\(pointIndex)] must be a point [x, y], not \(point.typeName)")
                }
                let coordinates = try pair.enumerated().map { axis, coordinate in
                    guard case .number(let number) = coordinate else {
                        throw StudioError(.badRequest, "strokes[\(strokeIndex)][\(pointIndex)][\(axis)] must be a number, not \(coordinate.typeName)")
                    }
                    return number
                }
                guard coordinates.count == 2 else {
                    throw StudioError(.badRequest, "strokes[\(strokeIndex)][\(pointIndex)] has \(coordinates.count) \(coordinates.count == 1 ? "number" : "numbers"); a point is [x, y]")
                }
                return CanvasPoint(x: coordinates[0], y: coordinates[1])
            }
        }
    }

    /// The integer in `value`, or a message naming `name`.
    static func wholeNumber(_ value: JSONValue, _ name: String) throws -> Int {
        guard case .number(let number) = value else {
            throw StudioError(.badRequest, "\(name) must be an integer, not \(value.typeName)")
        }
        guard number.rounded() == number, abs(number) < 1e9 else {
            throw StudioError(.badRequest, "\(name) is \(number); it must be a whole number")
        }
        return Int(number)
    }

    /// The drawing, checked against `Drawing.Limits`.
    func drawing() throws -> Drawing {
        do {
            switch (strokes, pixels) {
            case (let strokes?, nil):
                return try Drawing(width: width, height: height, strokes: strokes)
            case (nil, let pixels?):
                if let index = pixels.firstIndex(where: { $0 < 0 || $0 > 255 }) {
                    throw DrawingError("pixels[\(index)] is \(pixels[index]); pixel values are integers 0–255 (255 = full ink)")
                }
                return try Drawing(width: width, height: height, pixels: pixels.map { UInt8($0) })
            case (nil, nil):
                throw DrawingError("the drawing has neither \"strokes\" nor \"pixels\"; send one of them")
            case (_?, _?):
                throw DrawingError("the drawing has both \"strokes\" and \"pixels\"; send only one of them")
            }
        } catch let error as DrawingError {
            throw StudioError(.badRequest, error.description)
        }
    }
}

extension Drawing {
    /// The drawing as the JSON a client sends (`{"width", "height", "strokes"}` or `{..., "pixels"}`), written
    /// from the checked values: what a sample stores, never the request's bytes.
    var requestJSON: String {
        func number(_ value: Double) -> String {
            value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
        }
        var text = "{\"width\":\(width),\"height\":\(height),"
        switch content {
        case .strokes(let strokes):
            text += "\"strokes\":[" + strokes.map { stroke in
                "[" + stroke.map { "[\(number($0.x)),\(number($0.y))]" }.joined(separator: ",") + "]"
            }.joined(separator: ",") + "]"
        case .pixels(let pixels):
            text += "\"pixels\":[" + pixels.map(String.init).joined(separator: ",") + "]"
        }
        return text + "}"
    }
}
