// Slow and idle connections cannot starve the studio: heads that never finish are cut off, the number of
// open connections is capped by closing the oldest idle ones, and a request the HTTP parser rejects gets a
// JSON error. Bounded: a few hundred sockets and sub-second timeouts.

#if canImport(Glibc)
import Glibc
#endif
import DigitsStudio
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// A blocking TCP socket connected to 127.0.0.1:`port`, with a 10 s receive timeout.
private func connectedSocket(_ port: Int) -> Int32 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var timeout = timeval(tv_sec: 10, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    precondition(connected == 0, "cannot connect to the test server")
    return fd
}

private func sendText(_ fd: Int32, _ text: String) {
    _ = text.withCString { send(fd, $0, strlen($0), 0) }
}

/// What the server sends until it closes the connection (or 10 s pass).
private func receiveAll(_ fd: Int32) -> String {
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = recv(fd, &buffer, buffer.count, 0)
        if count <= 0 { break }
        bytes += buffer[0..<count]
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// Whether the server has closed `fd` (a read without waiting finds the end of the stream).
private func closedByServer(_ fd: Int32) -> Bool {
    var byte: UInt8 = 0
    return recv(fd, &byte, 1, Int32(MSG_DONTWAIT)) == 0
}

@Suite("Connection limits", .serialized)
struct ConnectionLimitTests {
    @Test("300 slow sockets against a cap of 40: the oldest waiting ones are closed and /api/health still answers")
    func cap() async throws {
        let fixture = try await StudioFixture.make()
        defer { fixture.remove() }
        let limits = ConnectionLimits(headerTimeout: .seconds(30), bodyTimeout: .seconds(30), idleTimeout: .seconds(30), maximumConnections: 40)
        let app = buildApplication(fixture.studio, host: "127.0.0.1", port: 0, limits: limits)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            var sockets: [Int32] = []
            defer { sockets.forEach { _ = close($0) } }
            for _ in 0..<300 {
                let fd = connectedSocket(port)
                sendText(fd, "GET /api/health HTTP/1.1\r\nHost: loc")
                sockets.append(fd)
            }
            // The server accepts and closes them as fast as it can; on a busy machine that takes a moment, so
            // wait (up to 20 s) for it instead of a fixed time.
            var closed = 0
            for _ in 0..<200 {
                closed = sockets.filter(closedByServer).count
                if closed >= 300 - 40 { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(closed >= 300 - 40, "the server closed \(closed) of the 300 slow sockets; it may keep at most 40 connections")
            // A new client still gets its answer (the test client's own idle connection may be one of those closed).
            let fresh = connectedSocket(port)
            sockets.append(fresh)
            sendText(fresh, "GET /api/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            let health = receiveAll(fresh)
            #expect(health.hasPrefix("HTTP/1.1 200") && health.contains("{\"status\":\"ok\"}"), "\(health)")
        }
    }

    @Test("an unfinished head or body is cut off; a request that is not HTTP gets a JSON error")
    func timeouts() async throws {
        let fixture = try await StudioFixture.make()
        defer { fixture.remove() }
        let limits = ConnectionLimits(headerTimeout: .milliseconds(400), bodyTimeout: .milliseconds(800),
                                      idleTimeout: .milliseconds(800), maximumConnections: 40)
        let app = buildApplication(fixture.studio, host: "127.0.0.1", port: 0, limits: limits)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            var sockets: [Int32] = []
            defer { sockets.forEach { _ = close($0) } }

            // Half a head, then nothing: closed after the head timeout (well before the 10 s receive timeout).
            let slow = connectedSocket(port)
            sockets.append(slow)
            sendText(slow, "POST /api/predict HTTP/1.1\r\nHost: localhost\r\nContent-Le")
            let cutOff = Date()
            #expect(receiveAll(slow).isEmpty)
            let waited = Date().timeIntervalSince(cutOff)
            #expect(waited > 0.2 && waited < 8, "closed after \(waited) s")

            // A head that promises a body that never comes: closed after the body timeout, without an answer.
            let noBody = connectedSocket(port)
            sockets.append(noBody)
            sendText(noBody, "POST /api/predict HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"wi")
            let bodyCutOff = Date()
            #expect(receiveAll(noBody).isEmpty)
            #expect(Date().timeIntervalSince(bodyCutOff) < 8)

            // Not HTTP: a JSON error, then the connection closes.
            let garbage = connectedSocket(port)
            sockets.append(garbage)
            sendText(garbage, "GET / HTTP/1.1\r\nHost localhost\r\n\r\n")
            let answer = receiveAll(garbage)
            #expect(answer.hasPrefix("HTTP/1.1 400") && answer.contains("application/json") && answer.contains("{\"error\":\"the request is not valid HTTP"),
                    "\(answer)")
        }
    }
}
