// StudioError.swift — every failure becomes a JSON answer `{"error": "..."}` with a 4xx or 5xx status.
//
// Handlers throw `StudioError` with a message written for the person sending the request. The middleware
// below turns it, and any other error (Hummingbird's own 404 and 413, a bug), into JSON, so a client never
// sees an HTML error page or a dropped connection.

import Foundation
import Hummingbird
import Logging

/// An error answer: an HTTP status and a message that says what is wrong and how to fix it.
struct StudioError: Error, CustomStringConvertible {
    let status: HTTPResponse.Status
    let message: String
    /// Seconds after which the client may try again (`Retry-After`), for 503.
    var retryAfter: Int?

    init(_ status: HTTPResponse.Status, _ message: String, retryAfter: Int? = nil) {
        self.status = status
        self.message = message
        self.retryAfter = retryAfter
    }

    var description: String { "\(status.code): \(message)" }
}

/// Turns thrown errors into JSON error answers and keeps the server serving.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as StudioError {
            var response = JSONResponse.error(error.status, error.message)
            if let seconds = error.retryAfter { response.headers[.retryAfter] = String(seconds) }
            return response
        } catch let error as HTTPResponseError {
            return JSONResponse.error(error.status, Self.message(for: error.status, request: request))
        } catch {
            context.logger.error("\(request.method) \(request.uri.path) failed: \(error)")
            return JSONResponse.error(.internalServerError, "the server failed: \(error)")
        }
    }

    static func message(for status: HTTPResponse.Status, request: Request) -> String {
        switch status {
        case .notFound: return "no such endpoint: \(request.method) \(request.uri.path); see GET /api/config and the README's API section"
        case .contentTooLarge: return "the request body is over the limit of \(StudioLimits.maximumBodyBytes) bytes; send a smaller drawing"
        case .methodNotAllowed: return "\(request.method) is not allowed on \(request.uri.path)"
        default: return "\(status.reasonPhrase) (\(request.method) \(request.uri.path))"
        }
    }
}

/// Limits on requests, beyond those of `Drawing.Limits`.
enum StudioLimits {
    /// Largest request body (1 MiB).
    static let maximumBodyBytes = 1 << 20
}

/// JSON answers.
enum JSONResponse {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    /// `value` encoded as JSON with `status`.
    static func make<Value: Encodable>(_ value: Value, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try encoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// `{"error": message}` with `status`.
    static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        // Encoding a dictionary of strings cannot fail.
        (try? make(["error": message], status: status)) ?? Response(status: status)
    }
}

/// Whole-number query parameters, checked with errors that name the parameter and its allowed range.
enum QueryParameter {
    /// A yes/no parameter (`?input=1`): true for `1`, `true` and `yes`.
    static func flag(_ value: String?) -> Bool {
        guard let value else { return false }
        return ["1", "true", "yes"].contains(value.lowercased())
    }

    /// The parameter within `range`, or `default` when absent.
    static func integer(_ text: String?, name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw StudioError(.badRequest, "\(name)=\(text) is not valid; it must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    /// The parameter within `range`; missing is an error that says how to give it.
    static func integer(_ text: String?, name: String, range: ClosedRange<Int>) throws -> Int {
        guard let text else {
            throw StudioError(.badRequest, "\(name) is missing: add &\(name)=N with N from \(range.lowerBound) to \(range.upperBound)")
        }
        return try integer(text, name: name, default: range.lowerBound, range: range)
    }
}
