import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import SCIMFilter

/// Sends e-mail through an SMTP connector and says what came of it as an `ActionAttempt`; the
/// server's refusal is an outcome, never a thrown error.
///
/// EHLO; STARTTLS when offered (OPPORTUNISTIC) or demanded (REQUIRED, failing when not offered),
/// then EHLO again; AUTH PLAIN (or LOGIN) when the connector has a username; MAIL FROM, RCPT TO for
/// each recipient, DATA, QUIT. A 4xx reply or a lost connection is transient; a 5xx reply (a
/// refused recipient, failed authentication) or an untrusted certificate is permanent.
public struct SMTPClient: Sendable {
    let clock: LifecycleClock

    public init(clock: LifecycleClock = .system) {
        self.clock = clock
    }

    /// Sends one plain-text message to `to` and `cc`.
    public func send(connector: Connector, to: [String], cc: [String], subject: String, body: String, idempotencyKey: String) async -> ActionAttempt {
        let startedAt = clock.now
        let start = ContinuousClock.now
        let server = "\(connector.host):\(connector.port)"
        let jobRequest = JSONValue.object([
            "server": .string(server), "from": .string(connector.from), "to": .array(to.map(JSONValue.string)),
            "cc": .array(cc.map(JSONValue.string)), "subject": .string(subject),
        ])
        let outcome: Result<SMTPReply, SMTPFailure>
        let recipients = to + cc
        if recipients.isEmpty {
            outcome = .failure(SMTPFailure(.permanent, "no recipient: to and cc are both empty"))
        } else if let bad = recipients.first(where: { !Connector.isAddress($0) }) {
            outcome = .failure(SMTPFailure(.permanent, "\"\(bad)\" is not an e-mail address"))
        } else {
            let message = SMTPMessage(
                from: connector.from, to: to, cc: cc, subject: subject, body: body,
                messageID: SMTPMessage.messageID(idempotencyKey: idempotencyKey, from: connector.from), date: Date())
            outcome = await Self.deliver(message, recipients: recipients, via: connector)
        }
        let result: ActionAttempt.Result
        let message: String
        var jobResult: [String: JSONValue] = [:]
        switch outcome {
        case .success(let reply):
            result = .succeeded(changed: true)
            message = "sent to \(recipients.count) recipient\(recipients.count == 1 ? "" : "s") via \(server): \(reply)"
            jobResult["reply"] = .string(reply.description)
        case .failure(let failure):
            result = failure.kind == .transient ? .transientFailure : .permanentFailure
            message = "SMTP \(server): \(failure.description)"
            jobResult["error"] = .string(failure.description)
            if let reply = failure.reply { jobResult["reply"] = .string(reply.description) }
        }
        let duration = start.duration(to: .now)
        ConnectorMetrics.record(connector, result, duration: duration)
        jobResult["duration_ms"] = .number((duration.inSeconds * 1_000_000).rounded() / 1_000)
        let completedAt = clock.now
        return ActionAttempt(
            result: result, message: message, jobRequest: jobRequest, jobResult: .object(jobResult), startedAt: startedAt,
            completedAt: completedAt, responseReceivedAt: jobResult["reply"] == nil ? nil : completedAt)
    }

    /// The conversation, within the connector's timeout; the final reply to DATA, or why it failed.
    static func deliver(_ message: SMTPMessage, recipients: [String], via connector: Connector) async -> Result<SMTPReply, SMTPFailure> {
        let timeout = Duration.seconds(connector.timeoutSeconds)
        do {
            let reply = try await withThrowingTaskGroup(of: SMTPReply?.self) { group in
                group.addTask { try await converse(message, recipients: recipients, via: connector, timeout: timeout) }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let reply = first else {
                    throw SMTPFailure(.transient, "no answer within \(connector.timeoutSeconds) s")
                }
                return reply
            }
            return .success(reply)
        } catch let failure as SMTPFailure {
            return .failure(failure)
        } catch {
            return .failure(describe(error))
        }
    }

    private static func converse(_ message: SMTPMessage, recipients: [String], via connector: Connector, timeout: Duration) async throws -> SMTPReply {
        try await SMTPConversation.with(host: connector.host, port: connector.port, connectTimeout: timeout) { smtp in
            let greeting = try await smtp.reply()
            guard greeting.code == 220 else { throw SMTPFailure(step: "the greeting", reply: greeting) }
            var extensions = try await hello(&smtp)
            var secure = false
            if connector.startTLS != .none {
                if extensions.keys.contains("STARTTLS") {
                    try await smtp.command("STARTTLS", expect: [220])
                    try await smtp.startTLS(try tlsContext(connector), serverHostname: serverHostname(connector.host))
                    secure = true
                    extensions = try await hello(&smtp)
                } else if connector.startTLS == .required {
                    throw SMTPFailure(.permanent, "the server does not offer STARTTLS, and the connector requires it (starttls: REQUIRED)")
                }
            }
            if !connector.username.isEmpty {
                try await authenticate(&smtp, connector, mechanisms: extensions["AUTH"] ?? [], secure: secure)
            }
            try await smtp.command("MAIL FROM:<\(connector.from)>", expect: [250])
            for recipient in recipients {
                try await smtp.command("RCPT TO:<\(recipient)>", expect: [250, 251])
            }
            try await smtp.command("DATA", expect: [354])
            try await smtp.sendData(message.lines)
            let accepted = try await smtp.reply()
            guard accepted.code == 250 else { throw SMTPFailure(step: "the message", reply: accepted) }
            try? await smtp.send("QUIT")
            _ = try? await smtp.reply()
            return accepted
        }
    }

    /// EHLO (HELO when the server knows no EHLO); the extensions offered, by keyword, with their parameters.
    private static func hello(_ smtp: inout SMTPConversation) async throws -> [String: [String]] {
        let name = localName
        try await smtp.send("EHLO \(name)")
        let reply = try await smtp.reply()
        if reply.code == 500 || reply.code == 502 {
            try await smtp.command("HELO \(name)", expect: [250])
            return [:]
        }
        guard reply.code == 250 else { throw SMTPFailure(step: "EHLO", reply: reply) }
        var extensions: [String: [String]] = [:]
        for line in reply.lines.dropFirst() {
            let words = line.split(separator: " ").map { $0.uppercased() }
            if let keyword = words.first { extensions[keyword] = Array(words.dropFirst()) }
        }
        return extensions
    }

    private static func authenticate(_ smtp: inout SMTPConversation, _ connector: Connector, mechanisms: [String], secure: Bool) async throws {
        if mechanisms.contains("PLAIN") {
            let token = Data("\0\(connector.username)\0\(connector.password)".utf8).base64EncodedString()
            try await smtp.command("AUTH PLAIN \(token)", expect: [235], step: "AUTH PLAIN as \(connector.username)")
        } else if mechanisms.contains("LOGIN") {
            try await smtp.command("AUTH LOGIN", expect: [334])
            try await smtp.command(Data(connector.username.utf8).base64EncodedString(), expect: [334], step: "AUTH LOGIN as \(connector.username)")
            try await smtp.command(Data(connector.password.utf8).base64EncodedString(), expect: [235], step: "AUTH LOGIN as \(connector.username)")
        } else {
            let hint = secure ? "" : " (many servers offer AUTH only after STARTTLS)"
            throw SMTPFailure(.permanent, "the connector has a username but the server offers no AUTH PLAIN or LOGIN\(hint)")
        }
    }

    static func tlsContext(_ connector: Connector) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if !connector.caFile.isEmpty {
            configuration.additionalTrustRoots = [.file(connector.caFile)]
        }
        return try NIOSSLContext(configuration: configuration)
    }

    /// The name to check the certificate against and send as SNI; nil for an IP address, which
    /// NIOSSL then checks against the certificate's IP addresses.
    static func serverHostname(_ host: String) -> String? {
        (try? SocketAddress(ipAddress: host, port: 0)) == nil ? host : nil
    }

    /// What EHLO names this client as.
    static let localName: String = {
        let name = ProcessInfo.processInfo.hostName
        return name.contains(".") && !name.contains(" ") ? name : "localhost"
    }()

    /// A failure other than a reply, in words.
    static func describe(_ error: any Error) -> SMTPFailure {
        guard let (transient, words) = NetworkFailure.describe(error) else { return SMTPFailure(.transient, "\(error)") }
        return SMTPFailure(transient ? .transient : .permanent, words)
    }
}
