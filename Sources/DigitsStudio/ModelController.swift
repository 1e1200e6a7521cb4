// ModelController.swift — which model answers, its versions, and going back to the base model.

import DigitImage
import FeedbackStore
import Foundation
import Hummingbird

/// The answer of `GET /api/model`.
struct ModelAnswer: Encodable {
    struct Version: Encodable {
        var id: String
        /// "base", "active" (the current retrained version), "kept-aside" (failed the MNIST check) or
        /// "retired" (accepted once, no longer current).
        var status: String
        var current: Bool
        var createdAt: Date?
        var mnistAccuracy: Double?
        var samplesAccuracy: Double?
        var note: String

        enum CodingKeys: String, CodingKey { case id, status, current, createdAt, mnistAccuracy, samplesAccuracy, note }

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(status, forKey: .status)
            try container.encode(current, forKey: .current)
            try container.encode(createdAt, forKey: .createdAt)
            try container.encode(mnistAccuracy, forKey: .mnistAccuracy)
            try container.encode(samplesAccuracy, forKey: .samplesAccuracy)
            try container.encode(note, forKey: .note)
        }
    }

    var version: String
    var architecture: String
    var parameters: Int
    var versions: [Version]
}

struct ModelController {
    let studio: Studio

    func register(on routes: StudioRoutes) {
        routes.get("/api/model", .open) { _, _ in try await JSONResponse.make(info()) }
        routes.post("/api/model/reset", .writes) { _, _ in
            try await studio.models.reset()
            return try await JSONResponse.make(info())
        }
        routes.get("/api/config", .open) { _, _ in
            struct Config: Encodable {
                var brushFraction: Double
                var tokenRequired: Bool
                var maxPoints: Int
                var maxStrokes: Int
                var maxSide: Int
            }
            return try JSONResponse.make(Config(
                brushFraction: Drawing.brushFraction, tokenRequired: studio.token != nil,
                maxPoints: Drawing.Limits.maximumPoints, maxStrokes: Drawing.Limits.maximumStrokes,
                maxSide: Drawing.Limits.maximumSide))
        }
        routes.get("/api/health", .open) { _, _ in try JSONResponse.make(["status": "ok"]) }
    }

    func info() async throws -> ModelAnswer {
        let current = studio.models.current
        let records = try await studio.models.versions()
        var versions = [ModelAnswer.Version(
            id: "base", status: "base", current: current.version == "base", createdAt: nil, mnistAccuracy: nil,
            samplesAccuracy: nil, note: "the model the studio was started with: \(studio.models.basePath)")]
        for record in records {
            let isCurrent = record.name == current.version
            versions.append(.init(
                id: record.name, status: isCurrent ? "active" : record.accepted ? "retired" : "kept-aside",
                current: isCurrent, createdAt: record.createdAt, mnistAccuracy: record.mnistAccuracy,
                samplesAccuracy: record.samplesAccuracy, note: record.note))
        }
        return ModelAnswer(version: current.version, architecture: current.architecture,
                           parameters: current.parameterCount, versions: versions)
    }
}
