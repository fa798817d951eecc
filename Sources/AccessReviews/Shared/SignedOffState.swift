import WardenCore

/// Whether a result row is signed off; a signed-off row is final for standard updates.
public enum SignedOffState: String, WireEnum {
    case unknown = "UNKNOWN"
    case notSignedOff = "NOT_SIGNED_OFF"
    case signedOff = "SIGNED_OFF"
}
