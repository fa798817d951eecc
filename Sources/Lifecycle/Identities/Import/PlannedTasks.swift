/// What the policies made of an extraction's changes: the tasks created, those a safety limit
/// blocked, and what could not be evaluated (each problem once, with how many identities it hit).
public struct PlannedTasks: Sendable, Equatable {
    public var created: Int64 = 0
    public var blocked: Int64 = 0
    public var problems: [String] = []

    public init(created: Int64 = 0, blocked: Int64 = 0, problems: [String] = []) {
        self.created = created
        self.blocked = blocked
        self.problems = problems
    }
}
