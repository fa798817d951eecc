import Foundation

/// The addresses `CREATE_EMAIL` tries for a rendered address, in order: the address with its local
/// part in lower-case ASCII (`José.Núñez@Example.com` → `jose.nunez@example.com`, characters an address
/// cannot hold dropped), then `.2`, `.3`, … before the `@` for the people whose address was taken.
struct EmailAddressCandidates: Sendable, Equatable {
    let localPart: String
    let domain: String

    /// How many addresses are tried before the action fails, saying all were taken.
    static let limit = 100

    /// Characters kept in a local part besides ASCII letters and digits.
    private static let allowedPunctuation: Set<Character> = [".", "-", "_", "+"]

    /// The candidates for `rendered`; nil when it is not `local@domain` with something left of each
    /// after cleaning.
    init?(rendered: String) {
        let parts = rendered.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let ascii = String(parts[0]).applyingTransform(StringTransform("Any-Latin; Latin-ASCII"), reverse: false) ?? String(parts[0])
        let cleaned = ascii.lowercased().filter { ($0.isASCII && ($0.isLetter || $0.isNumber)) || Self.allowedPunctuation.contains($0) }
        let local = cleaned.split(separator: ".", omittingEmptySubsequences: true).joined(separator: ".")
        let domain = parts[1].lowercased().trimmingCharacters(in: .whitespaces)
        guard !local.isEmpty, domain.contains("."), domain.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }) else {
            return nil
        }
        self.localPart = local
        self.domain = domain
    }

    /// The `number`th address (1 is the plain one).
    func address(_ number: Int) -> String {
        number == 1 ? "\(localPart)@\(domain)" : "\(localPart).\(number)@\(domain)"
    }

    /// The first address `isTaken` says is free; nil when the first `limit` are all taken.
    func firstFree(isTaken: (String) async throws -> Bool) async throws -> String? {
        for number in 1...Self.limit {
            let candidate = address(number)
            if try await !isTaken(candidate) { return candidate }
        }
        return nil
    }
}
