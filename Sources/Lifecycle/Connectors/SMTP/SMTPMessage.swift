import Crypto
import Foundation

/// A plain-text e-mail as sent in DATA: headers (a non-ASCII subject RFC 2047-encoded), then the
/// body in UTF-8, quoted-printable when it is not 7-bit ASCII in short lines. Lines end in CRLF;
/// dot-stuffing is the transport's.
struct SMTPMessage: Sendable {
    var from: String
    var to: [String]
    var cc: [String]
    var subject: String
    var body: String
    var messageID: String
    var date: Date

    /// A Message-ID derived from the idempotency key, so a repeated send carries the same one.
    static func messageID(idempotencyKey: String, from: String) -> String {
        let digest = SHA256.hash(data: Data(idempotencyKey.utf8)).prefix(16).map { String(format: "%02x", $0) }.joined()
        let domain = from.split(separator: "@").last.map(String.init) ?? "warden.invalid"
        return "<\(digest)@\(domain)>"
    }

    /// The message's lines, without line ends.
    var lines: [String] {
        var headers = [
            "From: \(from)",
            "To: \(to.joined(separator: ", "))",
        ]
        if !cc.isEmpty { headers.append("Cc: \(cc.joined(separator: ", "))") }
        headers += [
            "Subject: \(Self.encodedHeader(subject))",
            "Date: \(Self.rfc5322(date))",
            "Message-ID: \(messageID)",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
        ]
        let bodyLines = body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let plain = bodyLines.allSatisfy { line in line.utf8.count <= 998 && line.utf8.allSatisfy { $0 < 0x80 && $0 != 0 } }
        if plain {
            return headers + ["Content-Transfer-Encoding: 7bit", ""] + bodyLines
        }
        return headers + ["Content-Transfer-Encoding: quoted-printable", ""] + bodyLines.flatMap(Self.quotedPrintable)
    }

    /// A header value as is when it is printable ASCII, else as RFC 2047 `B` encoded words, folded;
    /// line breaks become spaces.
    static func encodedHeader(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
        if flat.unicodeScalars.allSatisfy({ (0x20..<0x7f).contains($0.value) }), !flat.contains("=?") {
            return flat
        }
        // 39 bytes make 52 base64 characters, a 64-character word: with "Subject: " before it, the
        // line stays within RFC 2047's 76.
        var words: [String] = []
        var chunk = Data()
        for character in flat {
            let bytes = Data(String(character).utf8)
            if chunk.count + bytes.count > 39 {
                words.append("=?UTF-8?B?\(chunk.base64EncodedString())?=")
                chunk = Data()
            }
            chunk.append(bytes)
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(chunk.base64EncodedString())?=") }
        return words.joined(separator: "\r\n ")
    }

    /// One body line as quoted-printable lines (RFC 2045 §6.7): at most 76 characters, soft breaks
    /// ending in `=`, trailing white space encoded.
    static func quotedPrintable(_ line: String) -> [String] {
        let bytes = Array(line.utf8)
        var output: [String] = []
        var current = ""
        for (index, byte) in bytes.enumerated() {
            let isLast = index == bytes.count - 1
            let literal = (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "=")) || ((byte == 0x20 || byte == 0x09) && !isLast)
            let piece = literal ? String(UnicodeScalar(byte)) : String(format: "=%02X", byte)
            if current.count + piece.count > 75 {
                output.append(current + "=")
                current = ""
            }
            current += piece
        }
        output.append(current)
        return output
    }

    static func rfc5322(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
