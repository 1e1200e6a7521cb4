// SamplesController.swift — saving, listing, deleting and exporting the user's labelled drawings.

import DigitImage
import FeedbackStore
import Foundation
import Hummingbird

/// A sample as the API shows it.
struct SampleAnswer: Encodable {
    var id: Int64
    var label: Int
    var prediction: Int?
    var createdAt: Date
    /// The 28×28 network input, 0–255, ink bright.
    var image: [UInt8]

    init(_ sample: Sample) {
        id = sample.id ?? 0
        label = sample.label
        prediction = sample.prediction
        createdAt = sample.createdAt
        image = [UInt8](sample.image)
    }

    enum CodingKeys: String, CodingKey { case id, label, prediction, createdAt, image }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(label, forKey: .label)
        try container.encode(prediction, forKey: .prediction)   // null when unknown
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(image, forKey: .image)
    }
}

struct SamplesController {
    let studio: Studio

    var routes: StudioRouteCollection {
        var routes = StudioRouteCollection()
        routes.post("/api/samples", .writes) { request, _ in try await create(request) }
        routes.get("/api/samples", .open) { request, _ in try await list(request) }
        routes.get("/api/samples/export", .open) { request, _ in try await export(request) }
        routes.delete("/api/samples/:id", .writes) { request, context in try await delete(request, context: context) }
        return routes
    }

    /// `POST /api/samples`: 201 once the sample is committed to disk.
    func create(_ request: Request) async throws -> Response {
        let body = try await DrawingRequest.read(from: request, allowed: DrawingRequest.sampleFields)
        guard let label = body.label else {
            throw StudioError(.badRequest, "missing field \"label\": the digit (0–9) the drawing shows")
        }
        guard (0...9).contains(label) else { throw StudioError(.badRequest, "label is \(label); it must be a digit 0–9") }
        if let prediction = body.prediction, !(0...9).contains(prediction) {
            throw StudioError(.badRequest, "prediction is \(prediction); it must be a digit 0–9 or absent")
        }
        let drawing = try body.drawing()
        let prediction = studio.predict(drawing)
        guard case .digit(let digit) = prediction.result else {
            throw StudioError(.unprocessableContent, "nothing to save: \(prediction.result.emptyReason); draw the digit first")
        }
        let image = Data(digit.image.bytes)
        let sample = Sample(label: label, prediction: body.prediction ?? prediction.digit, image: image,
                            drawing: drawing.requestJSON)
        let stored = try await studio.store.add(sample)
        struct Created: Encodable { var id: Int64; var label: Int; var prediction: Int? }
        return try JSONResponse.make(Created(id: stored.id ?? 0, label: stored.label, prediction: stored.prediction), status: .created)
    }

    /// `GET /api/samples?limit=N&offset=M`: newest first.
    func list(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        let limit = try QueryParameter.integer(query.get("limit"), name: "limit", default: 100, range: 1...1000)
        let offset = try QueryParameter.integer(query.get("offset"), name: "offset", default: 0, range: 0...Int(Int32.max))
        async let total = studio.store.sampleCount()
        async let samples = studio.store.samples(limit: limit, offset: offset)
        struct Listing: Encodable { var total: Int; var samples: [SampleAnswer] }
        return try await JSONResponse.make(Listing(total: total, samples: samples.map(SampleAnswer.init)))
    }

    /// `DELETE /api/samples/{id}`: 204, or 404 when there is no such sample.
    func delete(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let text = context.parameters.get("id") ?? ""
        guard let id = Int64(text), id > 0 else {
            throw StudioError(.badRequest, "sample id \"\(text)\" is not a positive whole number")
        }
        guard try await studio.store.deleteSample(id: id) else {
            throw StudioError(.notFound, "there is no sample \(id) (already deleted?); GET /api/samples lists them")
        }
        return Response(status: .noContent)
    }

    /// `GET /api/samples/export?format=csv|idx[&part=images|labels]`.
    func export(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        let samples = try await studio.store.allSamples()
        let format = query.get("format") ?? ""
        let part = query.get("part")
        switch (format, part) {
        case ("csv", nil):
            return Self.download(SampleExport.csv(samples), type: "text/csv; charset=utf-8", name: "digits-samples.csv")
        case ("idx", nil):
            return Self.download(SampleExport.idxArchive(samples), type: "application/x-tar", name: "digits-samples-idx.tar")
        case ("idx", "images"):
            return Self.download(SampleExport.idxImages(samples), type: "application/octet-stream", name: SampleExport.idxImagesName)
        case ("idx", "labels"):
            return Self.download(SampleExport.idxLabels(samples), type: "application/octet-stream", name: SampleExport.idxLabelsName)
        case ("idx", let other?):
            throw StudioError(.badRequest, "part=\(other) is not known; use part=images or part=labels, or leave it out for a tar of both")
        case ("csv", _?):
            throw StudioError(.badRequest, "part= applies to format=idx only")
        default:
            throw StudioError(.badRequest, format.isEmpty ? "say which format: ?format=csv or ?format=idx"
                                                           : "format=\(format) is not known; use format=csv or format=idx")
        }
    }

    static func download(_ bytes: [UInt8], type: String, name: String) -> Response {
        Response(status: .ok,
                 headers: [.contentType: type, .contentDisposition: "attachment; filename=\"\(name)\"", .cacheControl: "no-store"],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

extension PreprocessResult {
    /// The reason for `.empty`, or "" for a digit.
    var emptyReason: String {
        if case .empty(let reason) = self { return reason }
        return ""
    }
}
