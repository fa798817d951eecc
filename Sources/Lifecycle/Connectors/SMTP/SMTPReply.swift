/// One reply of an SMTP server: its code and its lines of text (RFC 5321 §4.2).
struct SMTPReply: Sendable, CustomStringConvertible {
    var code: Int
    /// The text after each line's code and separator.
    var lines: [String]

    var isPositive: Bool { (200..<400).contains(code) }

    /// The reply as the server wrote it, on one line.
    var description: String {
        "\(code) " + lines.joined(separator: " / ")
    }
}

/// Why a send failed, and whether another attempt may go through.
struct SMTPFailure: Error, CustomStringConvertible {
    enum Kind { case transient, permanent }
    var kind: Kind
    var description: String
    /// The server's reply that failed the send; nil when none came.
    var reply: SMTPReply?

    init(_ kind: Kind, _ description: String, reply: SMTPReply? = nil) {
        self.kind = kind
        self.description = description
        self.reply = reply
    }

    /// The failure for an unexpected `reply` to `step`: 4xx is transient, 5xx permanent.
    init(step: String, reply: SMTPReply) {
        self.init((400..<500).contains(reply.code) ? .transient : .permanent, "\(step) refused: \(reply)", reply: reply)
    }
}
