/// An instant with nanosecond precision: nanoseconds since 1970-01-01T00:00:00Z, leap seconds ignored.
///
/// `Int64` nanoseconds cover 1677-09-21 to 2262-04-11; RFC 3339 text outside that range is rejected.
public struct Timestamp: Hashable, Comparable, Sendable {
    /// Nanoseconds since the Unix epoch, UTC.
    public var nanosecondsSinceEpoch: Int64

    /// Creates a timestamp from nanoseconds since the Unix epoch.
    public init(nanosecondsSinceEpoch: Int64) {
        self.nanosecondsSinceEpoch = nanosecondsSinceEpoch
    }

    public static func < (left: Timestamp, right: Timestamp) -> Bool {
        left.nanosecondsSinceEpoch < right.nanosecondsSinceEpoch
    }
}
