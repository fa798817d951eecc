import Foundation
import SCIMFilter
import Testing
import WardenCore
import WardenTestSupport

@Suite struct APIKeyStoreTests {
    @Test(arguments: TestDatabase.kinds)
    func keysAuthenticateUntilRevoked(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind, migrations: Database.coreMigrations + APIKey.migrations) { database in
            let store = APIKeyStore(database: database)
            let key = try await store.create(name: "ops", role: .operator, createdBy: "test")
            #expect(try await store.authenticate(key.accessKey)?.id == key.id)
            #expect(try await store.authenticate(key.accessKey + "x") == nil)
            #expect(try await store.authenticate("wdn_\(key.id)_wrong") == nil)
            #expect(try await store.authenticate("") == nil)

            // A second store (another instance) sees the key too; revocation takes effect at once here.
            let other = APIKeyStore(database: database)
            #expect(try await other.authenticate(key.accessKey)?.role == .operator)
            let revoked = try await store.revoke(id: key.id)
            #expect(revoked.status == .revoked)
            #expect(try await store.authenticate(key.accessKey) == nil)
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func onlyTheHashIsStored(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind, migrations: Database.coreMigrations + APIKey.migrations) { database in
            let key = try await APIKeyStore(database: database).create(name: "x", role: .viewer, createdBy: "test")
            let secret = String(key.accessKey.split(separator: "_", maxSplits: 2)[2])
            let rows = try await database.rows(database.statement("SELECT secret_hash FROM api_keys"))
            let stored = try rows.map { row in
                var reader = row.reader()
                return try reader.text()
            }
            #expect(stored.count == 1)
            #expect(!stored[0].contains(secret))
            #expect(stored[0].count == 64)
        }
    }

    @Test(arguments: TestDatabase.kinds)
    func initialAdminKeyOnlyOnEmptyDatabase(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind, migrations: Database.coreMigrations + APIKey.migrations) { database in
            let store = APIKeyStore(database: database)
            let first = try await store.createInitialAdminKey()
            #expect(first?.role == .admin)
            #expect(try await store.createInitialAdminKey() == nil)
        }
    }

    /// A key's email names one person: lower-cased, required for a reviewer, never on two active
    /// keys at once (a revoked key's email is free again).
    @Test(arguments: TestDatabase.kinds)
    func anEmailIdentifiesOneActiveKey(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind, migrations: Database.coreMigrations + APIKey.migrations) { database in
            let store = APIKeyStore(database: database)
            let kim = try await store.create(name: "", role: .reviewer, email: " Kim@Example.COM", createdBy: "test")
            #expect(kim.email == "kim@example.com" && kim.name == "kim@example.com")
            #expect(try await store.authenticate(kim.accessKey)?.email == "kim@example.com")
            #expect(try await store.get(id: kim.id).email == "kim@example.com")

            let cases: [(String, Role, String, APIError.Code, String)] = [
                ("kim", .reviewer, "", .invalidArgument, "needs an email"),
                ("kim", .reviewer, "kim", .invalidArgument, "must be an email address"),
                ("kim", .viewer, "kim @example.com", .invalidArgument, "must be an email address"),
                ("kim", .viewer, "a@b@example.com", .invalidArgument, "must be an email address"),
                ("", .viewer, "", .invalidArgument, "name must be"),
                ("someone else", .reviewer, "KIM@example.com", .alreadyExists, "already has the email kim@example.com"),
                ("kim's admin key", .admin, "kim@example.com", .alreadyExists, "already has the email"),
            ]
            for (name, role, email, code, words) in cases {
                do {
                    _ = try await store.create(name: name, role: role, email: email, createdBy: "test")
                    Issue.record("\(name) \(role) \(email) was created")
                } catch let error as APIError {
                    #expect(error.code == code && error.message.contains(words), "\(error.message)")
                }
            }
            _ = try await store.revoke(id: kim.id)
            let replacement = try await store.create(name: "kim", role: .reviewer, email: "kim@example.com", createdBy: "test")
            #expect(replacement.email == "kim@example.com")
            #expect(try await store.create(name: "ops", role: .operator, createdBy: "test").email == "")
            #expect(try await store.create(name: "ops 2", role: .operator, createdBy: "test").email == "")
        }
    }
}
