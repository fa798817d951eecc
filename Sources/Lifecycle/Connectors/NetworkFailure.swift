import NIOCore
import NIOPosix
import NIOSSL

/// Connection-level failures both performers meet, in words an operator can act on.
enum NetworkFailure {
    /// `error` in words and whether another attempt may help (a TLS failure will not); nil when
    /// it is not a connection or TLS error.
    static func describe(_ error: any Error) -> (transient: Bool, words: String)? {
        if error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError {
            return (false, "TLS failed (is the server's certificate trusted? set ca_file): \(error)")
        }
        if let error = error as? IOError {
            switch error.errnoCode {
            case ECONNREFUSED: return (true, "connection refused")
            case ECONNRESET: return (true, "connection reset")
            default: return (true, "\(error)")
            }
        }
        if let error = error as? NIOConnectionError {
            if error.connectionErrors.contains(where: { ($0.error as? IOError)?.errnoCode == ECONNREFUSED }) {
                return (true, "connection refused")
            }
            if error.connectionErrors.isEmpty, error.dnsAError != nil || error.dnsAAAAError != nil {
                return (true, "cannot resolve \(error.host)")
            }
            return (true, "cannot connect to \(error.host):\(error.port)")
        }
        if let error = error as? ChannelError {
            if case .connectTimeout = error { return (true, "connecting timed out") }
            return (true, "the connection failed: \(error)")
        }
        return nil
    }
}
