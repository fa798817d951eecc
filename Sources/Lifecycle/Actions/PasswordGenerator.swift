/// The passwords RESET_PASSWORD sets: drawn from the system's CSPRNG (`SystemRandomNumberGenerator`),
/// of letters, digits and symbols, with at least one of each class. The symbols are ones no JSON,
/// URL, HTML or quoted-printable encoding rewrites, so a password stays one recognisable string
/// wherever it travels (and redaction can find it).
enum PasswordGenerator {
    static let defaultLength = 20
    /// The lengths a RESET_PASSWORD action may ask for.
    static let lengths = 12...128

    static let lowercase = Array("abcdefghijklmnopqrstuvwxyz")
    static let uppercase = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    static let digits = Array("0123456789")
    static let symbols = Array("!#$*-_?@^~")

    /// A password of `length` characters (at least 4) with every class present.
    static func generate(length: Int) -> String {
        var random = SystemRandomNumberGenerator()
        let classes = [lowercase, uppercase, digits, symbols]
        let all = classes.flatMap { $0 }
        var characters = classes.map { $0.randomElement(using: &random)! }
        while characters.count < max(length, classes.count) {
            characters.append(all.randomElement(using: &random)!)
        }
        characters.shuffle(using: &random)
        return String(characters)
    }
}
