import NIOConcurrencyHelpers
import NIOCore

/// Watches one HTTP connection for its client going away (the client closed its side, or the
/// connection dropped), so that a long request on it can be cancelled.
final class ConnectionWatch: Sendable {
    private let state = NIOLockedValueBox<State>(State())

    private struct State {
        var isClosed = false
        var waiters: [AsyncStream<Void>.Continuation] = []
    }

    /// Returns once the client has gone away, or when the calling task is cancelled.
    func waitForClose() async {
        let (stream, continuation) = AsyncStream<Void>.makeStream()
        let closed = state.withLockedValue { state in
            if !state.isClosed { state.waiters.append(continuation) }
            return state.isClosed
        }
        if closed { return }
        for await _ in stream {}
    }

    func close() {
        let waiters = state.withLockedValue { state in
            state.isClosed = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.finish() }
    }

    /// The watch of each open connection, by its channel.
    private static let open = NIOLockedValueBox<[ObjectIdentifier: ConnectionWatch]>([:])

    /// The watch of the connection `channel`, if a `ClientDisconnectHandler` watches it.
    static func of(_ channel: ObjectIdentifier) -> ConnectionWatch? {
        open.withLockedValue { $0[channel] }
    }

    fileprivate static func register(_ watch: ConnectionWatch, for channel: ObjectIdentifier) {
        open.withLockedValue { $0[channel] = watch }
    }

    fileprivate static func remove(_ channel: ObjectIdentifier) {
        _ = open.withLockedValue { $0.removeValue(forKey: channel) }
    }
}

/// A channel handler that closes its connection's `ConnectionWatch` when the client half-closes
/// or the connection goes inactive; it passes every event on unchanged.
final class ClientDisconnectHandler: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = Any

    func handlerAdded(context: ChannelHandlerContext) {
        ConnectionWatch.register(ConnectionWatch(), for: ObjectIdentifier(context.channel))
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        closeWatch(context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        closeWatch(context)
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event {
            ConnectionWatch.of(ObjectIdentifier(context.channel))?.close()
        }
        context.fireUserInboundEventTriggered(event)
    }

    private func closeWatch(_ context: ChannelHandlerContext) {
        let channel = ObjectIdentifier(context.channel)
        ConnectionWatch.of(channel)?.close()
        ConnectionWatch.remove(channel)
    }
}
