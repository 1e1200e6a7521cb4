// StudioRoutes.swift — every route of the studio with what it may do, and the guards that follow from it.
//
// A controller lists its routes, each with its kind, in a `StudioRouteCollection`: `.open` (reads, or costs no more than a prediction),
// `.expensive` (costs far more than a prediction: the Model page's evaluations) or `.writes` (changes what
// the studio stores or which model answers). The kind decides the guards, in one place:
//
// | kind        | another web page (Origin / Sec-Fetch-Site) | token (when set) | JSON body |
// |-------------|--------------------------------------------|------------------|-----------|
// | `.open`     | allowed                                    | no               | —         |
// | `.expensive`| 403                                        | no               | —         |
// | `.writes`   | 403                                        | 401 without it   | 415 unless `application/json` |
//
// Every route, whatever its kind, answers only to a `Host` that names this server (DNS rebinding: 421).

import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

/// What a route may do, which decides how it is guarded.
public enum RouteKind: String, Sendable, CaseIterable {
    /// Reads, or costs no more than a prediction: any client.
    case open
    /// Costs much more than a prediction: the studio's own page or a non-browser client only.
    case expensive
    /// Changes what the studio stores or which model answers: same-origin or non-browser, the token when one
    /// is set, and a body (if any) declared as JSON.
    case writes
}

/// One registered route.
public struct RoutePolicy: Sendable, Equatable, CustomStringConvertible {
    public let method: HTTPRequest.Method
    /// The path as registered, e.g. `/api/samples/:id`.
    public let path: String
    public let kind: RouteKind

    public var description: String { "\(method) \(path) (\(kind.rawValue))" }

    /// Whether `path` (a request path, no query) matches this route's pattern (`:name` matches one segment).
    func matches(_ requestPath: String) -> Bool {
        let pattern = path.split(separator: "/", omittingEmptySubsequences: false)
        let actual = requestPath.split(separator: "/", omittingEmptySubsequences: false)
        guard pattern.count == actual.count else { return false }
        return zip(pattern, actual).allSatisfy { $0.hasPrefix(":") ? !$1.isEmpty : $0 == $1 }
    }
}

/// The table of every route and its kind, filled while the router is built, read by the guards.
public final class RouteTable: Sendable {
    private let entries = Mutex<[RoutePolicy]>([])

    public var policies: [RoutePolicy] { entries.withLock { $0 } }

    func add(_ policy: RoutePolicy) { entries.withLock { $0.append(policy) } }

    /// The methods registered for paths matching `path` (HEAD included wherever GET is), or nil when none is.
    func allowedMethods(for path: String) -> [HTTPRequest.Method]? {
        var methods = policies.filter { $0.matches(path) }.map(\.method)
        guard !methods.isEmpty else { return nil }
        if methods.contains(.get) { methods.append(.head) }
        return methods
    }
}

/// One controller's routes, each with its kind: built by the controller, added to the router in one call
/// (`StudioRoutes.add(_:)`), which puts every route behind the guards of its kind and into the table.
struct StudioRouteCollection {
    typealias Handler = @Sendable (Request, BasicRequestContext) async throws -> Response

    struct Route {
        let method: HTTPRequest.Method
        let path: String
        let kind: RouteKind
        let handler: Handler
    }

    private(set) var routes: [Route] = []

    mutating func get(_ path: String, _ kind: RouteKind, _ handler: @escaping Handler) { routes.append(Route(method: .get, path: path, kind: kind, handler: handler)) }
    mutating func post(_ path: String, _ kind: RouteKind, _ handler: @escaping Handler) { routes.append(Route(method: .post, path: path, kind: kind, handler: handler)) }
    mutating func delete(_ path: String, _ kind: RouteKind, _ handler: @escaping Handler) { routes.append(Route(method: .delete, path: path, kind: kind, handler: handler)) }
}

/// Adds route collections to the router, each route on the group guarded for its kind, and records it.
struct StudioRoutes {
    let router: Router<BasicRequestContext>
    let table: RouteTable
    private let expensive: RouterGroup<BasicRequestContext>
    private let writes: RouterGroup<BasicRequestContext>

    init(router: Router<BasicRequestContext>, studio: Studio, table: RouteTable) {
        self.router = router
        self.table = table
        expensive = router.group().add(middleware: RouteGuardMiddleware(kind: .expensive, studio: studio))
        writes = router.group().add(middleware: RouteGuardMiddleware(kind: .writes, studio: studio))
    }

    func add(_ collection: StudioRouteCollection) {
        for route in collection.routes {
            table.add(RoutePolicy(method: route.method, path: route.path, kind: route.kind))
            switch route.kind {
            case .open: router.on(RouterPath(route.path), method: route.method, use: route.handler)
            case .expensive: expensive.on(RouterPath(route.path), method: route.method, use: route.handler)
            case .writes: writes.on(RouterPath(route.path), method: route.method, use: route.handler)
            }
        }
    }
}

/// Which `Host` names the server answers to.
public struct HostPolicy: Sendable, Equatable {
    /// Extra names besides the loopback ones; nil answers to any name (bound to every interface).
    let names: Set<String>?

    /// Loopback names (`localhost`, `127.x.x.x`, `::1`) and `host`, the address the server is bound to; any
    /// name when it is bound to every interface (`0.0.0.0`, `::`), where the token guards changes.
    public init(boundTo host: String) {
        let name = HostPolicy.bareName(host)
        names = name == "0.0.0.0" || name == "::" || name.isEmpty ? nil : [name]
    }

    /// Answers to every name (tests).
    public static let any = HostPolicy(names: nil)

    private init(names: Set<String>?) { self.names = names }

    /// Whether a request's `Host` (e.g. `localhost:8080`, `[::1]:8080`) is allowed. No `Host` at all is
    /// allowed: browsers always send one, and HTTP/1.0 clients may not.
    public func allows(_ authority: String?) -> Bool {
        guard let names, let authority else { return true }
        let name = HostPolicy.bareName(authority)
        return name == "localhost" || name == "::1" || HostPolicy.isLoopbackIPv4(name) || names.contains(name)
    }

    /// `127.a.b.c` written as four numbers.
    static func isLoopbackIPv4(_ name: String) -> Bool {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { part in UInt8(part) != nil }
    }

    /// `Example.COM:80` → `example.com`; `[::1]:8080` → `::1`; `::1` → `::1`.
    static func bareName(_ authority: String) -> String {
        let lower = authority.lowercased()
        if lower.hasPrefix("["), let end = lower.firstIndex(of: "]") {
            return String(lower[lower.index(after: lower.startIndex)..<end])
        }
        if lower.filter({ $0 == ":" }).count == 1, let colon = lower.firstIndex(of: ":") { return String(lower[..<colon]) }
        return lower
    }
}

/// Answers 421 to a request whose `Host` does not name this server (a page on another site that made its
/// own name point at 127.0.0.1: DNS rebinding).
struct HostMiddleware: RouterMiddleware {
    let policy: HostPolicy

    func handle(_ request: Request, context: BasicRequestContext,
                next: (Request, BasicRequestContext) async throws -> Response) async throws -> Response {
        guard policy.allows(request.head.authority) else {
            throw StudioError(.misdirectedRequest, "this studio does not answer to the host name \"\(request.head.authority ?? "")\"; "
                + "open it at http://127.0.0.1 or http://localhost with its port")
        }
        return try await next(request, context)
    }
}

/// The guards of a route's kind, in one place (the table at the top of this file):
///
/// - another web page (`.expensive` and `.writes`): 403 to a request that a browser sent on behalf of a page
///   from another origin: an `Origin` that is not this server's own (`http://` + its `Host`), or a
///   `Sec-Fetch-Site` other than `same-origin` or `none`. Clients that are not browsers (curl, scripts)
///   send neither header and pass;
/// - the token (`.writes`, when one is set): 401 without it;
/// - the body (`.writes`): 415 to a body that is not declared as JSON (`Content-Type: application/json`): a
///   form or a `text/plain` body, which any web page can send without asking, never reaches a handler.
struct RouteGuardMiddleware: RouterMiddleware {
    let kind: RouteKind
    let studio: Studio
    static let secFetchSite = HTTPField.Name("Sec-Fetch-Site")!

    func handle(_ request: Request, context: BasicRequestContext,
                next: (Request, BasicRequestContext) async throws -> Response) async throws -> Response {
        if kind != .open { try Self.refuseOtherPages(request) }
        if kind == .writes {
            try studio.authorize(request)
            try Self.refuseBodiesNotJSON(request)
        }
        return try await next(request, context)
    }

    static func refuseOtherPages(_ request: Request) throws {
        if let site = request.headers[secFetchSite]?.lowercased(), site != "same-origin", site != "none" {
            throw StudioError(.forbidden, "refused: this request came from another web page (Sec-Fetch-Site: \(site)); "
                + "only the studio's own page and clients that are not browsers may do this")
        }
        if let origin = request.headers[.origin] {
            let host = request.head.authority?.lowercased()
            guard let host, ["http://" + host, "https://" + host].contains(origin.lowercased()) else {
                throw StudioError(.forbidden, "refused: this request came from the page at \(origin), not from the studio's own page; "
                    + "only the studio's own page and clients that are not browsers may do this")
            }
        }
    }

    static func refuseBodiesNotJSON(_ request: Request) throws {
        let length = request.headers[.contentLength].flatMap { Int($0) }
        let hasBody = (length ?? 0) > 0 || request.headers[.transferEncoding] != nil
        guard hasBody else { return }
        let type = request.headers[.contentType]?.lowercased() ?? ""
        let mediaType = type.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard mediaType == "application/json" else {
            throw StudioError(.unsupportedMediaType, type.isEmpty
                ? "the body needs the header Content-Type: application/json"
                : "the body is declared as \"\(type)\"; send it as JSON with Content-Type: application/json")
        }
    }
}

/// For a path that exists with other methods: HEAD is answered like GET (without a body) by the router; any
/// other method gets 405 with `Allow`. A path ending in `/` that exists without it is redirected there (308),
/// so `/model/` does not serve the page under a URL where its relative links break.
struct MethodMiddleware: RouterMiddleware {
    let table: RouteTable

    func handle(_ request: Request, context: BasicRequestContext,
                next: (Request, BasicRequestContext) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if path.count > 1, path.hasSuffix("/"), table.allowedMethods(for: String(path.dropLast())) != nil {
            var target = String(path.dropLast())
            while target.count > 1, target.hasSuffix("/") { target.removeLast() }
            if let query = request.uri.query, !query.isEmpty { target += "?" + query }
            return Response(status: .permanentRedirect, headers: [.location: target, .contentLength: "0"])
        }
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            // Only a request the router found no handler for looks the path up (not every prediction).
            guard let allowed = table.allowedMethods(for: path), !allowed.contains(request.method) else { throw error }
            var response = JSONResponse.error(.methodNotAllowed, "\(request.method) is not allowed on \(path); it takes "
                + allowed.map(\.rawValue).joined(separator: ", "))
            response.headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
            return response
        }
    }
}

/// Answers 413 at once to a request whose declared `Content-Length` is over the limit, before any of the
/// body is read.
struct BodySizeMiddleware: RouterMiddleware {
    func handle(_ request: Request, context: BasicRequestContext,
                next: (Request, BasicRequestContext) async throws -> Response) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > StudioLimits.maximumBodyBytes {
            throw StudioError(.contentTooLarge, "the request body is \(length) bytes, over the limit of \(StudioLimits.maximumBodyBytes); send a smaller drawing")
        }
        return try await next(request, context)
    }
}
