import Foundation
import SCIMFilter
import Testing
import WardenCore
import WardenTestSupport

@Suite struct APIKeyStoreTests {
    @Test(arguments: TestDatabase.kinds)
    func keysAuthenticateUntilRevoked(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
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
        try await TestDatabase.with(kind) { database in
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
        try await TestDatabase.with(kind) { database in
            let store = APIKeyStore(database: database)
            let first = try await store.createInitialAdminKey()
            #expect(first?.role == .admin)
            #expect(try await store.createInitialAdminKey() == nil)
        }
    }
}
