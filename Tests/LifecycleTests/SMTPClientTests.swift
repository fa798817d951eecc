import Foundation
import Lifecycle
import SCIMFilter
import Testing

/// Serialized: each test starts a Python peer, and the timing checks need the machine's attention.
@Suite(.serialized) struct SMTPClientTests {
    /// One message as `scripts/smtp-sink.py` recorded it.
    struct Received: Decodable {
        var mail_from: String
        var rcpt_tos: [String]
        var data: String
        var tls: Bool
        var login: String?
        var subject: String
        var body: String
    }

    /// Runs `body` with the real aiosmtpd sink started with `arguments`; fails, saying what to
    /// install, when aiosmtpd is missing (unless WARDEN_TEST_SKIP_SMTP is set).
    static func withSink(_ arguments: [String] = [], _ body: (TestPeer, () -> [Received]) async throws -> Void) async throws {
        guard TestPeer.pythonHas("aiosmtpd") else {
            if ProcessInfo.processInfo.environment["WARDEN_TEST_SKIP_SMTP"] != nil { return }
            Issue.record("the SMTP tests need the real aiosmtpd: pip install aiosmtpd (or set WARDEN_TEST_SKIP_SMTP=1 to skip them)")
            return
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("warden-smtp-\(UUID().uuidString)")
        try await TestPeer.run("smtp-sink.py", ["--dir", directory.appendingPathComponent("mail").path] + arguments, in: directory) { sink in
            try await body(sink) {
                let log = directory.appendingPathComponent("mail/messages.jsonl")
                guard let text = try? String(contentsOf: log, encoding: .utf8) else { return [] }
                return text.split(separator: "\n").map { line in
                    (try? JSONDecoder().decode(Received.self, from: Data(line.utf8))) ?? Received(
                        mail_from: "", rcpt_tos: [], data: "unreadable record: \(line)", tls: false, subject: "", body: "")
                }
            }
        }
    }

    static func connector(_ port: Int, startTLS: Connector.StartTLS = .opportunistic, caFile: String = "", username: String = "", password: String = "") -> Connector {
        Connector(
            id: "s", name: "mail", type: .smtp, timeoutSeconds: 30, caFile: caFile, host: "127.0.0.1", port: port, startTLS: startTLS,
            username: username, password: password, from: "warden@example.com")
    }

    @Test func aPlainMessageArrivesWithItsHeadersAndDotStuffedBody() async throws {
        try await Self.withSink { sink, received in
            let body = "Hello Kim,\n.\n.hidden line\nBye"
            let attempt = await SMTPClient().send(
                connector: Self.connector(sink.port), to: ["kim@example.com"], cc: ["boss@example.com"], subject: "Welcome aboard", body: body,
                idempotencyKey: "task-7/notify")
            #expect(attempt.result == .succeeded(changed: true), "\(attempt.message)")
            #expect(attempt.message.hasPrefix("sent to 2 recipients via 127.0.0.1:\(sink.port): 250 "))
            let messages = received()
            try #require(messages.count == 1)
            let message = messages[0]
            #expect(message.mail_from == "warden@example.com")
            #expect(message.rcpt_tos == ["kim@example.com", "boss@example.com"])
            #expect(!message.tls)
            #expect(message.subject == "Welcome aboard")
            #expect(message.body == body + "\n")
            for header in ["From: warden@example.com", "To: kim@example.com", "Cc: boss@example.com", "MIME-Version: 1.0",
                           "Content-Type: text/plain; charset=utf-8"] {
                #expect(message.data.contains(header + "\r\n"), "missing \(header)")
            }
            #expect(message.data.range(of: #"Date: \w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d \+0000"#, options: .regularExpression) != nil)
            #expect(attempt.jobRequest.memberValue("subject") == .string("Welcome aboard"))

            let again = await SMTPClient().send(
                connector: Self.connector(sink.port), to: ["kim@example.com"], cc: [], subject: "Welcome aboard", body: body, idempotencyKey: "task-7/notify")
            #expect(again.result == .succeeded(changed: true))
            let ids = received().map { $0.data.split(separator: "\r\n").first { $0.hasPrefix("Message-ID: ") } }
            #expect(ids.count == 2 && ids[0] != nil && ids[0] == ids[1], "the same idempotency key gives the same Message-ID")
        }
    }

    @Test func aNonASCIISubjectAndBodyAreEncodedAndDecodeBack() async throws {
        try await Self.withSink { sink, received in
            let subject = "Grüße, Zoë — willkommen bei der Firma (Ünïcödé überall, ein recht langer Betreff für mehrere Wörter)"
            let body = "Liebe Zoë,\nwillkommen! ✓ \nEine sehr lange Zeile: " + String(repeating: "äöü ", count: 40)
            let attempt = await SMTPClient().send(
                connector: Self.connector(sink.port), to: ["zoe@example.com"], cc: [], subject: subject, body: body, idempotencyKey: "k")
            #expect(attempt.result == .succeeded(changed: true), "\(attempt.message)")
            let message = try #require(received().first)
            #expect(message.subject == subject)
            #expect(message.body == body + "\n")
            #expect(message.data.contains("Subject: =?UTF-8?B?"))
            #expect(message.data.contains("Content-Transfer-Encoding: quoted-printable"))
            #expect(message.data.split(separator: "\r\n").allSatisfy { $0.utf8.count <= 78 }, "every line is short")
        }
    }

    @Test func startTLSIsUsedWithTheConnectorsCAFile() async throws {
        let directory = TestPeer.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (certificate, key) = try TestPeer.certificate(in: directory)
        try await Self.withSink(["--tls-cert", certificate, "--tls-key", key, "--require-starttls"]) { sink, received in
            let attempt = await SMTPClient().send(
                connector: Self.connector(sink.port, startTLS: .required, caFile: certificate), to: ["kim@example.com"], cc: [], subject: "TLS",
                body: "over TLS", idempotencyKey: "k")
            #expect(attempt.result == .succeeded(changed: true), "\(attempt.message)")
            #expect(received().first?.tls == true)

            let untrusted = await SMTPClient().send(
                connector: Self.connector(sink.port), to: ["kim@example.com"], cc: [], subject: "TLS", body: "x", idempotencyKey: "k2")
            #expect(untrusted.result == .permanentFailure)
            #expect(untrusted.message.contains("TLS failed"), "\(untrusted.message)")
            #expect(received().count == 1)
        }
    }

    @Test func requiredStartTLSFailsClearlyWhenNotOffered() async throws {
        try await Self.withSink { sink, received in
            let attempt = await SMTPClient().send(
                connector: Self.connector(sink.port, startTLS: .required), to: ["kim@example.com"], cc: [], subject: "s", body: "b", idempotencyKey: "k")
            #expect(attempt.result == .permanentFailure)
            #expect(attempt.message == "SMTP 127.0.0.1:\(sink.port): the server does not offer STARTTLS, and the connector requires it (starttls: REQUIRED)")
            #expect(received().isEmpty)
        }
    }

    @Test func authenticatesAfterStartTLSAndAWrongPasswordIsPermanent() async throws {
        let directory = TestPeer.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (certificate, key) = try TestPeer.certificate(in: directory)
        try await Self.withSink(["--tls-cert", certificate, "--tls-key", key, "--auth-user", "mailer", "--auth-password", "pa55word"]) { sink, received in
            let attempt = await SMTPClient().send(
                connector: Self.connector(sink.port, caFile: certificate, username: "mailer", password: "pa55word"), to: ["kim@example.com"],
                cc: [], subject: "auth", body: "b", idempotencyKey: "k")
            #expect(attempt.result == .succeeded(changed: true), "\(attempt.message)")
            #expect(received().first?.login == "mailer")
            #expect(!"\(attempt.jobRequest)".contains("pa55word"))

            let wrong = await SMTPClient().send(
                connector: Self.connector(sink.port, caFile: certificate, username: "mailer", password: "nope"), to: ["kim@example.com"], cc: [],
                subject: "auth", body: "b", idempotencyKey: "k2")
            #expect(wrong.result == .permanentFailure)
            #expect(wrong.message.contains("AUTH PLAIN as mailer refused: 535"), "\(wrong.message)")
            #expect(!wrong.message.contains("nope"))

            let anonymous = await SMTPClient().send(
                connector: Self.connector(sink.port, caFile: certificate), to: ["kim@example.com"], cc: [], subject: "auth", body: "b", idempotencyKey: "k3")
            #expect(anonymous.result == .permanentFailure, "the sink requires AUTH: \(anonymous.message)")
            #expect(received().count == 1)
        }
    }

    @Test func aRefusedRecipientIsPermanentAndQuotesTheServer() async throws {
        try await Self.withSink(["--refuse", "gone@example.com"]) { sink, received in
            let attempt = await SMTPClient().send(
                connector: Self.connector(sink.port), to: ["kim@example.com", "gone@example.com"], cc: [], subject: "s", body: "b", idempotencyKey: "k")
            #expect(attempt.result == .permanentFailure)
            #expect(attempt.message.contains("RCPT TO:<gone@example.com> refused: 550 5.1.1 <gone@example.com>: Recipient address rejected"), "\(attempt.message)")
            #expect(attempt.responseReceivedAt != nil)
            #expect(received().isEmpty)
        }
    }

    @Test func aRefusedConnectionIsTransient() async throws {
        let port = try await TestPeer.closedPort()
        let attempt = await SMTPClient().send(
            connector: Self.connector(port), to: ["kim@example.com"], cc: [], subject: "s", body: "b", idempotencyKey: "k")
        #expect(attempt.result == .transientFailure)
        #expect(attempt.message == "SMTP 127.0.0.1:\(port): connection refused")
    }

    @Test func aRecipientThatIsNoAddressIsPermanentBeforeConnecting() async throws {
        let attempt = await SMTPClient().send(
            connector: Self.connector(1), to: ["kim@example.com\r\nBcc: x@y.z"], cc: [], subject: "s", body: "b", idempotencyKey: "k")
        #expect(attempt.result == .permanentFailure)
        #expect(attempt.message.contains("is not an e-mail address"))
    }
}
