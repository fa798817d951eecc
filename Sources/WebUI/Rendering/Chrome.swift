import WardenCore

/// The frame around every page: who is signed in, the navigation they may use, the CSRF token forms
/// carry, and a one-line notice from the last action.
struct Chrome {
    /// One entry of the navigation bar, shown only to roles that may open it.
    struct Section {
        let name: String
        let path: String
        let operation: APIOperation
    }

    static let sections = [
        Section(name: "Activity Log", path: "/ui/activity/action_events", operation: .webActivity),
        Section(name: "Reviews", path: "/ui/reviews", operation: .webCertifications),
        Section(name: "Smart Actions", path: "/ui/smart_actions", operation: .webSmartActionDefinitions),
        Section(name: "Policies", path: "/ui/policies", operation: .webPolicies),
    ]

    let caller: APIKey?
    let csrfToken: String
    let current: String
    var notice: String?

    init(context: WebRequestContext, current: String, notice: String? = nil) {
        self.caller = context.caller
        self.csrfToken = context.csrfToken
        self.current = current
        self.notice = notice
    }

    var values: [String: Any] {
        var values: [String: Any] = ["csrf": csrfToken]
        if let caller {
            values["user"] = ["name": caller.name, "role": caller.role.rawValue, "email": caller.email]
            let nav = Self.sections.filter { $0.operation.permission.allows(caller.role) }.map {
                ["name": $0.name, "path": $0.path, "current": $0.name == current] as [String: Any]
            }
            values["nav"] = nav
            values["has_nav"] = !nav.isEmpty
        }
        if let notice { values["notice"] = notice }
        return values
    }
}
