// ConnectionGuard.swift — limits on the studio's connections, so that slow or idle sockets cannot use up
// the server's file descriptors, and errors of the HTTP layer are JSON like every other error.
//
// One `ConnectionGuard` sits in each connection's pipeline, right after HTTP decoding. It closes a
// connection that has not sent a whole request head within `headerTimeout`, a request whose body has not
// arrived within `bodyTimeout`, and a kept-alive connection idle for `idleTimeout`. All connections are
// counted in one `ConnectionRegistry`: past `maximumConnections`, a new one closes the oldest connection
// that is still waiting for its request head (a slow or idle socket), so real requests keep being served.

import Foundation
import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import Synchronization

/// The time and count limits on connections.
public struct ConnectionLimits: Sendable, Equatable {
    /// Longest wait for a request's head (its request line and headers), from the connection's start or the
    /// end of the previous response.
    public var headerTimeout: TimeAmount
    /// Longest wait for a request's body, from the end of its head.
    public var bodyTimeout: TimeAmount
    /// Longest a kept-alive connection may stay idle between a response and the next request's first byte.
    public var idleTimeout: TimeAmount
    /// Most connections open at once.
    public var maximumConnections: Int

    public init(headerTimeout: TimeAmount, bodyTimeout: TimeAmount, idleTimeout: TimeAmount, maximumConnections: Int) {
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.idleTimeout = idleTimeout
        self.maximumConnections = maximumConnections
    }

    /// 10 s for a head, 30 s for a body, 60 s idle, and at most 1,000 connections or a quarter of the
    /// descriptors this process may open, whichever is fewer.
    public static var standard: ConnectionLimits {
        ConnectionLimits(headerTimeout: .seconds(10), bodyTimeout: .seconds(30), idleTimeout: .seconds(60),
                         maximumConnections: max(16, min(1_000, descriptorLimit() / 4)))
    }

    /// The soft limit on open file descriptors (RLIMIT_NOFILE).
    static func descriptorLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1_024 }
        return Int(min(limit.rlim_cur, 1 << 20))
    }
}

/// Every open connection, oldest first, with whether it is waiting for a request head.
final class ConnectionRegistry: Sendable {
    private struct Entry {
        let channel: any Channel
        var waitingForHead: Bool
    }

    private let entries = Mutex<(next: Int, open: [Int: Entry])>((0, [:]))
    let maximum: Int

    init(maximum: Int) { self.maximum = max(1, maximum) }

    var count: Int { entries.withLock { $0.open.count } }

    /// Registers `channel`; when that passes the maximum, returns the connection to close: the oldest one
    /// waiting for a request head, or `channel` itself when every other connection is busy.
    func register(_ channel: any Channel) -> (id: Int, close: (any Channel)?) {
        entries.withLock { state in
            let id = state.next
            state.next += 1
            state.open[id] = Entry(channel: channel, waitingForHead: true)
            guard state.open.count > maximum else { return (id, nil) }
            if let oldest = state.open.filter({ $0.key != id && $0.value.waitingForHead }).min(by: { $0.key < $1.key }) {
                state.open[oldest.key] = nil
                return (id, oldest.value.channel)
            }
            state.open[id] = nil
            return (id, channel)
        }
    }

    func setWaitingForHead(_ id: Int, _ waiting: Bool) {
        entries.withLock { state in state.open[id]?.waitingForHead = waiting }
    }

    func remove(_ id: Int) {
        entries.withLock { state in state.open[id] = nil }
    }
}

/// One connection's timeouts and its place in the registry; answers HTTP parse errors with JSON.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let limits: ConnectionLimits
    private let registry: ConnectionRegistry
    private var id: Int?
    private var timer: Scheduled<Void>?

    init(limits: ConnectionLimits, registry: ConnectionRegistry) {
        self.limits = limits
        self.registry = registry
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let (id, close) = registry.register(context.channel)
        self.id = id
        close?.close(promise: nil)
        arm(context, after: limits.headerTimeout)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        if let id { registry.remove(id) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        if let id { registry.remove(id) }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            if let id { registry.setWaitingForHead(id, false) }
            arm(context, after: limits.bodyTimeout)
        case .body:
            break
        case .end:
            timer?.cancel()   // the request is whole; the handler is working on it
            timer = nil
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            // The response is done: the connection now waits for the next request's head.
            if let id { registry.setWaitingForHead(id, true) }
            arm(context, after: limits.idleTimeout)
        }
        context.write(data, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard error is HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        // A request the HTTP parser could not read: answer in JSON, like every other error, then close.
        let message = "the request is not valid HTTP (\(error)); send a request line, headers and an optional body as HTTP/1.1 describes"
        let body = (try? JSONResponse.encoder.encode(["error": message])) ?? Data()
        let head = HTTPResponse(status: .badRequest, headerFields: [
            .contentType: "application/json; charset=utf-8", .contentLength: String(body.count), .connection: "close",
        ])
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(ByteBuffer(bytes: body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
    }

    /// Closes the connection after `delay` unless something re-arms or cancels the timer first.
    private func arm(_ context: ChannelHandlerContext, after delay: TimeAmount) {
        timer?.cancel()
        let channel = context.channel
        timer = context.eventLoop.scheduleTask(in: delay) { channel.close(promise: nil) }
    }
}
