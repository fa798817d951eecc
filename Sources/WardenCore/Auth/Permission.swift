import Hummingbird

/// One row of the permission table: an operation's method and path (as `openapi.yaml` writes them)
/// and who may call it.
public struct Permission: Sendable, Equatable {
    /// Who may call an operation.
    public enum Access: Sendable, Equatable, ExpressibleByArrayLiteral {
        /// Anyone, without a key.
        case noKey
        /// A key with one of these roles.
        case roles(Set<Role>)

        public init(arrayLiteral roles: Role...) {
            self = .roles(Set(roles))
        }
    }

    public let method: HTTPRequest.Method
    public let path: String
    public let access: Access

    public init(_ method: HTTPRequest.Method, _ path: String, _ access: Access) {
        self.method = method
        self.path = path
        self.access = access
    }

    /// Whether a caller with `role` (nil: no key) may call the operation.
    public func allows(_ role: Role?) -> Bool {
        switch access {
        case .noKey: true
        case .roles(let roles): role.map(roles.contains) ?? false
        }
    }

    /// The roles allowed, in `Role`'s order; empty for an operation that needs no key.
    public var roles: [Role] {
        switch access {
        case .noKey: []
        case .roles(let roles): Role.allCases.filter(roles.contains)
        }
    }
}
