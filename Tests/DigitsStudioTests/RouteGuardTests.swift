// Every route has a kind, and the kind decides its guards: another web page cannot write or start
// expensive work, writes need the token (when set) and a JSON body, wrong methods get 405 with Allow, HEAD
// answers like GET, and only host names of this server are served.

import DigitsStudio
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Route guards")
struct RouteGuardTests {
    /// Every route and its kind, spelled out: a new route must be added here, with the kind it needs.
    static let expectedKinds: [String: RouteKind] = [
        "GET /": .open, "GET /index.html": .open, "GET /studio.css": .open, "GET /studio.js": .open,
        "GET /model": .open, "GET /model.js": .open, "GET /train": .open, "GET /train.js": .open,
        "POST /api/predict": .open, "POST /api/read": .open,
        "POST /api/samples": .writes, "GET /api/samples": .open, "GET /api/samples/export": .open,
        "DELETE /api/samples/:id": .writes,
        "POST /api/training": .writes, "GET /api/training": .open, "DELETE /api/training": .writes,
        "GET /api/training/events": .open,
        "GET /api/model": .open, "POST /api/model/reset": .writes, "GET /api/config": .open, "GET /api/health": .open,
        "GET /api/model/insights": .expensive, "GET /api/model/examples": .expensive,
        "GET /api/training/presets": .open, "GET /api/training/architecture": .open,
        "POST /api/model/current": .writes, "DELETE /api/model/versions/:version": .writes,
        "GET /api/model/versions/:version/file": .open, "GET /api/model/compare": .expensive,
    ]

    /// A request path for a route pattern.
    static func path(_ pattern: String) -> String {
        pattern.replacingOccurrences(of: ":id", with: "1").replacingOccurrences(of: ":version", with: "v1")
            + (pattern == "/api/model/examples" ? "?set=samples&truth=1&predicted=1" : "")
            + (pattern == "/api/model/compare" ? "?a=base&b=base" : "")
    }

    @Test("the router's routes are exactly the table's, each with its expected kind")
    func table() async throws {
        let fixture = try await StudioFixture.make()
        defer { fixture.remove() }
        let (router, table) = buildRouterAndTable(fixture.studio)
        // The router spells a parameter {id}; the table keeps it as registered, :id.
        let registered = Set(router.routes.filter { $0.method != .head }.map { "\($0.method) \($0.path)".replacingOccurrences(of: "{id}", with: ":id")
            .replacingOccurrences(of: "{version}", with: ":version") })
        let declared = Dictionary(uniqueKeysWithValues: table.policies.map { ("\($0.method) \($0.path)", $0.kind) })
        #expect(registered == Set(declared.keys))
        #expect(declared == Self.expectedKinds)
    }

    @Test("walking every route: another origin, no token and a text/plain body are refused where the kind says")
    func walk() async throws {
        let fixture = try await StudioFixture.make(token: "secret")
        defer { fixture.remove() }
        let table = buildRouterAndTable(fixture.studio).table
        try await fixture.test { client in
            for policy in table.policies {
                let uri = Self.path(policy.path)
                let guarded = policy.kind != .open
                // A page on another site: the browser sends its Origin (and Sec-Fetch-Site).
                let foreign = try await client.execute(uri: uri, method: policy.method,
                                                       headers: [.origin: "http://evil.example", .authorization: "Bearer secret"])
                #expect((foreign.status == .forbidden) == guarded, "\(policy): \(foreign.status) from another origin")
                var fetchSite = HTTPFields()
                fetchSite[HTTPField.Name("Sec-Fetch-Site")!] = "cross-site"
                fetchSite[.authorization] = "Bearer secret"
                let crossSite = try await client.execute(uri: uri, method: policy.method, headers: fetchSite)
                #expect((crossSite.status == .forbidden) == guarded, "\(policy): \(crossSite.status) with Sec-Fetch-Site: cross-site")
                // The studio's own page (same origin) without the token.
                let noToken = try await client.execute(uri: uri, method: policy.method, headers: [.origin: "http://localhost"])
                #expect((noToken.status == .unauthorized) == (policy.kind == .writes), "\(policy): \(noToken.status) without the token")
                if policy.kind == .writes && policy.method == .post {
                    let plain = try await client.execute(uri: uri, method: policy.method,
                                                         headers: [.authorization: "Bearer secret", .contentType: "text/plain"],
                                                         body: ByteBuffer(string: "{\"steps\": 20}"))
                    #expect(plain.status == .unsupportedMediaType, "\(policy): \(plain.status) for a text/plain body")
                    #expect(JSON.error(plain).contains("application/json"))
                }
            }
        }
    }

    @Test("the studio's own page and clients without Origin keep working")
    func sameOriginWorks() async throws {
        let fixture = try await StudioFixture.make()
        defer { fixture.remove() }
        try await fixture.test { client in
            let body = JSON.body(["width": 280, "height": 280, "strokes": barStrokes, "label": 1])
            let own = try await client.execute(uri: "/api/samples", method: .post,
                                               headers: [.origin: "http://localhost", .contentType: "application/json"], body: body)
            #expect(own.status == .created)
            var fetchSite = HTTPFields()
            fetchSite[HTTPField.Name("Sec-Fetch-Site")!] = "same-origin"
            fetchSite[.contentType] = "application/json; charset=utf-8"
            let page = try await client.execute(uri: "/api/samples", method: .post, headers: fetchSite, body: body)
            #expect(page.status == .created)
            let curl = try await client.execute(uri: "/api/model/reset", method: .post)
            #expect(curl.status == .ok)
        }
    }

    @Test("a wrong method gets 405 with Allow; HEAD answers like GET; a trailing slash redirects")
    func methods() async throws {
        let fixture = try await StudioFixture.make()
        defer { fixture.remove() }
        try await fixture.test { client in
            let put = try await client.execute(uri: "/api/samples", method: .put)
            #expect(put.status == .methodNotAllowed)
            #expect(put.headers[.allow].map { Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }) }
                    == ["GET", "HEAD", "POST"])
            #expect(JSON.error(put).contains("PUT is not allowed"))
            let options = try await client.execute(uri: "/api/predict", method: .options)
            #expect(options.status == .methodNotAllowed && options.headers[.allow] == "POST")
            let head = try await client.execute(uri: "/api/health", method: .head)
            #expect(head.status == .ok && head.body.readableBytes == 0)
            let page = try await client.execute(uri: "/model/", method: .get)
            #expect(page.status == .permanentRedirect && page.headers[.location] == "/model")
            // A declared body over 1 MiB is refused before it is read (the test sends none of it).
            let declared = try await client.execute(uri: "/api/predict", method: .post, headers: [.contentLength: "5000000"])
            #expect(declared.status == .contentTooLarge && JSON.error(declared).contains("5000000 bytes"))
            let missing = try await client.execute(uri: "/nothing", method: .get)
            #expect(missing.status == .notFound && JSON.error(missing).contains("no such endpoint"))
        }
    }

    @Test("host names: loopback names and the bound address; any name when bound to every interface")
    func hosts() {
        let loopback = HostPolicy(boundTo: "127.0.0.1")
        for name in ["localhost:8080", "127.0.0.1:8080", "[::1]:8080", "LOCALHOST", "127.0.0.1"] {
            #expect(loopback.allows(name), "\(name)")
        }
        for name in ["evil.example:8080", "attacker.com", "127.0.0.1.evil.example", "192.168.1.5:8080"] {
            #expect(!loopback.allows(name), "\(name)")
        }
        #expect(HostPolicy(boundTo: "192.168.1.5").allows("192.168.1.5:8080"))
        #expect(HostPolicy(boundTo: "0.0.0.0").allows("my-laptop.local:8080"))
    }
}
