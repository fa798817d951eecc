import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS

/// One SMTP connection, driven a command at a time: the replies come through a line decoder, and
/// STARTTLS puts a TLS handler in front of it.
struct SMTPConversation {
    let channel: any Channel
    var inbound: NIOAsyncChannelInboundStream<String>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>

    /// Connects to `host:port` and runs `body` over the conversation, closing the connection after.
    static func with<T: Sendable>(
        host: String, port: Int, connectTimeout: Duration, _ body: (inout SMTPConversation) async throws -> T
    ) async throws -> T {
        let (seconds, attoseconds) = connectTimeout.components
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPLineDecoder()))
                    return try NIOAsyncChannel<String, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var conversation = SMTPConversation(channel: channel.channel, inbound: inbound.makeAsyncIterator(), outbound: outbound)
            return try await body(&conversation)
        }
    }

    /// The next reply, all its lines.
    mutating func reply() async throws -> SMTPReply {
        var lines: [String] = []
        while true {
            guard let line = try await inbound.next() else {
                throw SMTPFailure(.transient, "the server closed the connection" + (lines.isEmpty ? "" : " mid-reply"))
            }
            let characters = Array(line)
            guard characters.count >= 3, let code = Int(String(characters[0..<3])) else {
                throw SMTPFailure(.transient, "the server's reply is not SMTP: \(line.prefix(200))")
            }
            lines.append(characters.count > 4 ? String(characters[4...]) : "")
            if characters.count == 3 || characters[3] != "-" {
                return SMTPReply(code: code, lines: lines)
            }
        }
    }

    /// Sends one line, CRLF added.
    func send(_ line: String) async throws {
        try await outbound.write(ByteBuffer(string: line + "\r\n"))
    }

    /// Sends `line` and returns the reply; one that is not among `expected` fails the send,
    /// described as `step` (the command itself unless given, so a password is never quoted).
    @discardableResult
    mutating func command(_ line: String, expect expected: Set<Int>, step: String? = nil) async throws -> SMTPReply {
        try await send(line)
        let answer = try await reply()
        guard expected.contains(answer.code) else { throw SMTPFailure(step: step ?? line, reply: answer) }
        return answer
    }

    /// The message text, dot-stuffed, then the lone dot.
    func sendData(_ lines: [String]) async throws {
        var buffer = ByteBuffer()
        for line in lines {
            if line.hasPrefix(".") { buffer.writeString(".") }
            buffer.writeString(line)
            buffer.writeString("\r\n")
        }
        buffer.writeString(".\r\n")
        try await outbound.write(buffer)
    }

    /// Puts TLS in front of the line decoder (after the server's 220 to STARTTLS) and waits for the
    /// handshake, so a refused certificate is reported as such rather than as a failed write.
    func startTLS(_ context: NIOSSLContext, serverHostname: String?) async throws {
        let channel = channel
        let handshake = channel.eventLoop.makePromise(of: Void.self)
        try await channel.eventLoop.submit {
            let tls = try NIOSSLClientHandler(context: context, serverHostname: serverHostname)
            try channel.pipeline.syncOperations.addHandlers([tls, TLSHandshakeWaiter(handshake)], position: .first)
        }.get()
        try await handshake.futureResult.get()
    }
}

/// Completes its promise when the TLS handshake before it completes, or fails it with the error
/// that ended the handshake; passes everything on.
final class TLSHandshakeWaiter: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let handshake: EventLoopPromise<Void>

    init(_ handshake: EventLoopPromise<Void>) {
        self.handshake = handshake
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted = event as? TLSUserEvent {
            handshake.succeed()
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        handshake.fail(error)
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        handshake.fail(ChannelError.ioOnClosedChannel)
        context.fireChannelInactive()
    }
}
