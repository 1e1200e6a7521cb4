// DrawingRequest.swift — reading a drawing (and an optional label) from a JSON request body.
//
// Decoding errors are rewritten into messages that name the field and the expected type, e.g.
// "strokes[0][3] must be a point [x, y]", instead of Foundation's debugging text.

import DigitImage
import Foundation
import Hummingbird

/// The JSON body of `POST /api/predict` and `POST /api/samples`.
///
/// Whole numbers are read as `Double` and checked afterwards, so `280.5` gets a message that names the
/// field (Foundation's decoder only says the data is not valid JSON).
struct DrawingRequest: Decodable {
    var width: Int
    var height: Int
    var strokes: [[[Double]]]?
    var pixels: [Int]?
    /// The user's label (samples only).
    var label: Int?
    /// What the page showed (samples only).
    var prediction: Int?

    enum CodingKeys: String, CodingKey { case width, height, strokes, pixels, label, prediction }

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        width = try Self.wholeNumber(container.decode(Double.self, forKey: .width), "width")
        height = try Self.wholeNumber(container.decode(Double.self, forKey: .height), "height")
        strokes = try container.decodeIfPresent([[[Double]]].self, forKey: .strokes)
        pixels = try container.decodeIfPresent([Double].self, forKey: .pixels)?.enumerated().map { index, value in
            try Self.wholeNumber(value, "pixels[\(index)]")
        }
        label = try container.decodeIfPresent(Double.self, forKey: .label).map { try Self.wholeNumber($0, "label") }
        prediction = try container.decodeIfPresent(Double.self, forKey: .prediction).map { try Self.wholeNumber($0, "prediction") }
    }

    static func wholeNumber(_ value: Double, _ name: String) throws -> Int {
        guard value.rounded() == value, abs(value) < 1e9 else {
            throw StudioError(.badRequest, "\(name) is \(value); it must be a whole number")
        }
        return Int(value)
    }

    /// Reads the request body (at most 1 MiB) and decodes it; also returns the body as sent.
    static func read(from request: Request) async throws -> (request: DrawingRequest, body: Data) {
        var request = request
        let body = Data(buffer: try await request.collectBody(upTo: StudioLimits.maximumBodyBytes))
        return (try decode(body), body)
    }

    static func decode(_ data: Data) throws -> DrawingRequest {
        guard !data.isEmpty else {
            throw StudioError(.badRequest, "the request body is empty; send JSON like {\"width\": 280, \"height\": 280, \"strokes\": [[[x, y], ...]]}")
        }
        do {
            return try JSONDecoder().decode(DrawingRequest.self, from: data)
        } catch let error as StudioError {
            throw error
        } catch let error as DecodingError {
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty, let number = hugeNumber(in: data) {
                throw StudioError(.badRequest, "the number \(number) is too large; coordinates and pixels must be finite numbers within the canvas")
            }
            throw StudioError(.badRequest, Self.describe(error))
        } catch {
            throw StudioError(.badRequest, "malformed JSON: \(error)")
        }
    }

    /// The drawing, checked against `Drawing.Limits`.
    func drawing() throws -> Drawing {
        do {
            switch (strokes, pixels) {
            case (let strokes?, nil):
                var converted: [[CanvasPoint]] = []
                converted.reserveCapacity(strokes.count)
                var pointCount = 0
                for (strokeIndex, stroke) in strokes.enumerated() {
                    pointCount += stroke.count
                    guard pointCount <= Drawing.Limits.maximumPoints else {
                        throw DrawingError("too many points: more than \(Drawing.Limits.maximumPoints) in all strokes")
                    }
                    converted.append(try stroke.enumerated().map { pointIndex, pair in
                        guard pair.count == 2 else {
                            throw DrawingError("strokes[\(strokeIndex)][\(pointIndex)] has \(pair.count) numbers; a point is [x, y]")
                        }
                        return CanvasPoint(x: pair[0], y: pair[1])
                    })
                }
                return try Drawing(width: width, height: height, strokes: converted)
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

    /// The first number written in `data` that a Double cannot hold (like `1e999`), which Foundation's
    /// decoder reports only as "not valid JSON".
    static func hugeNumber(in data: Data) -> String? {
        var token = ""
        for byte in data + [0x20] {
            let character = Character(UnicodeScalar(byte))
            if character.isNumber || "+-.eE".contains(character) {
                token.append(character)
                continue
            }
            if !token.isEmpty, let value = Double(token), value.isInfinite { return token }
            token = ""
        }
        return nil
    }

    /// A readable message for a decoding failure, naming the field by its JSON path.
    static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            var text = ""
            for key in codingPath {
                if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
            }
            return text.isEmpty ? "the body" : text
        }
        func expected(_ type: Any.Type, at codingPath: [any CodingKey]) -> String {
            let name = codingPath.first?.stringValue ?? ""
            switch name {
            case "strokes":
                switch codingPath.count {
                case 1: return "a list of strokes"
                case 2: return "a stroke (a list of points [x, y])"
                case 3: return "a point [x, y]"
                default: return "a number"
                }
            case "pixels": return codingPath.count == 1 ? "a list of integers 0–255" : "an integer 0–255"
            case "width", "height", "label", "prediction": return "an integer"
            default: return type == Int.self ? "an integer" : type == Double.self ? "a number" : "\(type)"
            }
        }
        switch error {
        case .typeMismatch(let type, let context):
            if context.codingPath.isEmpty { return "the body must be a JSON object like {\"width\": 280, \"height\": 280, \"strokes\": [...]}" }
            return "\(path(context.codingPath)) must be \(expected(type, at: context.codingPath))"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)) is null; it must be \(expected(type, at: context.codingPath))"
        case .keyNotFound(let key, _):
            return "missing field \"\(key.stringValue)\"; a drawing is {\"width\": W, \"height\": H, \"strokes\": [...]} or {..., \"pixels\": [...]}"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "malformed JSON: the body is not valid JSON (\(context.debugDescription))" }
            return "\(path(context.codingPath)) is not valid: it must be \(expected(Any.self, at: context.codingPath)) (\(context.debugDescription))"
        @unknown default:
            return "malformed request: \(error)"
        }
    }
}
