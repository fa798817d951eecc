import SCIMFilter
import WardenCore

extension Timestamp {
    /// A time as pages show it, `<time datetime="{{datetime}}">{{text}}</time>`: RFC 3339 in UTC for
    /// `warden.js` to show in the viewer's zone, and UTC text for a browser without scripts.
    var pageValue: [String: Any] {
        let text = rfc3339
        return ["datetime": text, "text": text.prefix(19).replacingOccurrences(of: "T", with: " ") + " UTC"]
    }
}
