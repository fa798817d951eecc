import SCIMFilter
import WardenCore

/// Deterministic, realistic certification rows: people (with department, title, activity, MFA,
/// last login and manager) and the resources they can reach, with abstract and concrete
/// permissions, reviewed by their managers. About 30% of people are in Engineering, about 12%
/// are inactive, and some rows already carry a decision.
struct DemoResultGenerator {
    private var random: SplitMix64
    private var index = 0

    init(seed: UInt64) {
        random = SplitMix64(seed: seed)
    }

    static let firstNames = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Ken", "Margaret", "Linus", "Frances", "Donald", "Radia", "Tim", "Hedy", "Dennis", "Katherine", "John", "Sophie", "Vint", "Annie", "Bjarne"]
    static let lastNames = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Thompson", "Hamilton", "Torvalds", "Allen", "Knuth", "Perlman", "Berners-Lee", "Lamarr", "Ritchie", "Johnson", "McCarthy", "Wilson", "Cerf", "Easley", "Stroustrup"]
    /// Departments with their weights out of 100: Engineering is 30.
    static let departments: [(String, Int)] = [("Engineering", 30), ("Finance", 12), ("Sales", 18), ("Support", 14), ("Marketing", 10), ("HR", 6), ("Legal", 4), ("IT", 6)]
    static let titles = ["Engineer", "Senior Engineer", "Analyst", "Manager", "Director", "Specialist", "Contractor", "Intern"]
    static let resources: [(name: String, type: String, permissions: [String])] = [
        ("payroll-db", "SnowflakeDatabase", ["SELECT", "INSERT", "UPDATE", "DELETE"]),
        ("finance-reports", "S3Bucket", ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]),
        ("billing-service", "GitHubRepository", ["pull", "push", "admin"]),
        ("customer-crm", "SalesforceProfile", ["Read", "Edit", "ModifyAllData"]),
        ("prod-cluster", "KubernetesNamespace", ["get", "list", "create", "delete"]),
        ("hr-portal", "OktaApp", ["user", "admin"]),
        ("data-lake", "BigQueryDataset", ["dataViewer", "dataEditor", "dataOwner"]),
        ("support-desk", "ZendeskRole", ["agent", "admin"]),
    ]
    static let abstract = ["Read", "Write", "Delete", "Admin", "Metadata"]
    static let managers = 60

    private mutating func pick(_ count: Int) -> Int {
        Int(random.next() % UInt64(count))
    }

    private mutating func chance(_ percent: Int) -> Bool {
        pick(100) < percent
    }

    mutating func next() -> ResultImportRow {
        defer { index += 1 }
        let first = Self.firstNames[pick(Self.firstNames.count)]
        let last = Self.lastNames[pick(Self.lastNames.count)]
        let person = pick(50_000)
        let email = "\(first.lowercased()).\(last.lowercased())\(person)@corp.example"
        var roll = pick(100)
        let department = Self.departments.first { roll -= $0.1; return roll < 0 }?.0 ?? "IT"
        let manager = pick(Self.managers)
        let active = !chance(12)
        let lastLogin = Timestamp(nanosecondsSinceEpoch: 1_767_225_600_000_000_000 - Int64(pick(400)) * 86_400_000_000_000 - Int64(pick(86_400)) * 1_000_000_000)
        let resource = Self.resources[pick(Self.resources.count)]
        let granted = (0..<resource.permissions.count).filter { $0 == 0 || chance(35) }.map { resource.permissions[$0] }
        let abstract = granted.count == 1 ? ["Read"] : Array(Self.abstract.prefix(min(granted.count, Self.abstract.count)))
        var row = ResultImportRow(
            source: [
                "id": .string("00u\(String(person, radix: 36))"), "name": .string("\(first) \(last)"), "email": .string(email),
                "department": .string(department), "title": .string(Self.titles[pick(Self.titles.count)]), "is_active": .bool(active),
                "mfa_enabled": .bool(chance(85)), "last_login_at": .string(lastLogin.rfc3339), "login_count": .number(Double(pick(2_000))),
                "manager": .string("manager\(manager)@corp.example"), "type": .string("OktaUser"),
            ],
            destination: [
                "id": .string("\(resource.type.lowercased())-\(resource.name)"), "name": .string(resource.name), "type": .string(resource.type),
                "datasource_id": .string("ds-\(resource.type.lowercased())"), "sensitivity": .string(chance(30) ? "high" : chance(50) ? "medium" : "low"),
            ],
            abstractPermissions: abstract, concretePermissions: granted,
            reviewers: [WorkflowUser(userType: "OktaUser", id: "mgr-\(manager)", email: "manager\(manager)@corp.example", name: "Manager \(manager)")])
        if chance(10) {
            row.decision = active ? .accepted : .rejected
            row.notes = active ? "Still needed for the role" : "Inactive user"
        }
        return row
    }
}
