/// Why a template could not be parsed or rendered.
public struct TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    /// The 1-based character position in the template text where parsing failed; nil for render errors.
    public var position: Int?

    public init(_ message: String, position: Int? = nil) {
        self.message = message
        self.position = position
    }

    public var description: String {
        guard let position else { return message }
        return "at character \(position): \(message)"
    }
}
