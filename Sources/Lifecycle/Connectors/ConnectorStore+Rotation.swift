import WardenCore

extension ConnectorStore {
    /// Re-encrypts every connector's secrets under the key ring's first key, in one transaction;
    /// returns how many connectors were re-encrypted. Throws naming the connector whose secrets no
    /// key given decrypts, changing nothing.
    public func rotateKeys() async throws -> Int {
        let count = try await database.transaction { sql in
            let rows = try await sql.rows(self.database.statement("SELECT \(Self.columns) FROM lcm_connectors WHERE secrets <> '' ORDER BY seq"))
            var rotated = 0
            for record in try rows.map(Self.decode) where SecretKeyRing.keyID(of: record.sealedSecrets) != self.keys.currentKeyID {
                let resealed = try ConnectorRecord(
                    try record.connector(keys: self.keys), keys: self.keys, createdAt: record.createdAt, updatedAt: record.updatedAt)
                var update = self.database.statement("UPDATE lcm_connectors SET secrets = ")
                update.append(bind: resealed.sealedSecrets)
                update.append(" WHERE id = ")
                update.append(bind: record.id)
                try await sql.execute(update)
                rotated += 1
            }
            return rotated
        }
        try await load()
        return count
    }
}
