import SCIMFilter
import WardenCore

/// The SQL that compares one extraction's staged identities with its source's: set-based, one
/// statement per kind of change.
struct ComparisonStatements {
    let database: Database
    let extraction: String
    let sourceID: String
    let now: Timestamp
    /// The one identity a push removes (see `IdentityImporter.push`); nil for an import.
    var leaving: String? = nil

    /// The table the extraction's identities were staged in .
    var staging: String {
        database.kind == .sqlite ? "temp.lcm_staging_\(extraction.replacingOccurrences(of: "-", with: ""))" : "lcm_identity_staging"
    }

    /// SQLite stages in a temporary table of the writer's connection (not journaled, dropped whole);
    /// PostgreSQL, whose writes come from a pool, in the shared staging table.
    var createStaging: SQLText? {
        guard database.kind == .sqlite else { return nil }
        return database.statement("""
            CREATE TEMP TABLE \(staging.dropFirst(5)) (extraction_event TEXT NOT NULL, identity_id TEXT NOT NULL, entity_id TEXT NOT NULL,
            name TEXT NOT NULL, attributes TEXT NOT NULL, attributes_hash INTEGER NOT NULL, PRIMARY KEY (extraction_event, identity_id))
            """)
    }

    /// A piece of a statement: SQL text, or a value bound as a parameter.
    enum Part: ExpressibleByStringInterpolation {
        case sql(String)
        case value(DatabaseValue)

        init(stringLiteral text: String) {
            self = .sql(text)
        }

        static func bind(_ value: some DatabaseValueConvertible) -> Part {
            .value(value.databaseValue)
        }
    }

    private func statement(_ parts: [Part]) -> SQLText {
        var sql = database.statement()
        for part in parts {
            switch part {
            case .sql(let text): sql.append(text)
            case .value(let value): sql.append(bind: value)
            }
        }
        return sql
    }

    /// How the comparisons join an identity: on SQLite through the covering index, which its
    /// planner would pass over for the unique index on `id` without statistics.
    private var identities: Part {
        .sql(database.kind == .sqlite ? "lcm_identities i INDEXED BY lcm_identities_compare" : "lcm_identities i")
    }

    /// Holds other imports of the source back until this one commits (PostgreSQL; SQLite has one writer).
    var lockSource: SQLText {
        statement(["SELECT id FROM lcm_identity_sources WHERE id = ", .bind(sourceID), " FOR UPDATE"])
    }

    /// A JOINED change for each staged identity the source does not hold, or holds as left.
    var recordJoined: SQLText {
        statement([
            "INSERT INTO lcm_identity_changes (extraction_event, source_id, identity_id, kind, changes, at) SELECT s.extraction_event, ", .bind(sourceID),
            ", s.identity_id, 'JOINED', '{}', ", .bind(now),
            " FROM \(staging) s LEFT JOIN ", identities, " ON i.id = s.identity_id WHERE s.extraction_event = ", .bind(extraction),
            " AND (i.id IS NULL OR NOT i.active) ORDER BY s.identity_id",
        ])
    }

    /// The next staged identities, by id after `after`, whose attributes differ from the active
    /// identity's: id, old attributes, new attributes.
    func changedBatch(after: String, limit: Int) -> SQLText {
        statement([
            "SELECT s.identity_id, i.attributes, s.attributes FROM \(staging) s JOIN ", identities, " ON i.id = s.identity_id",
            " WHERE s.extraction_event = ", .bind(extraction), " AND i.active AND i.attributes_hash <> s.attributes_hash AND s.identity_id > ", .bind(after),
            " ORDER BY s.identity_id LIMIT ", .bind(Int64(limit)),
        ])
    }

    private var absentFromStaging: [Part] {
        ["source_id = ", .bind(sourceID), " AND active AND NOT EXISTS (SELECT 1 FROM \(staging) s WHERE s.extraction_event = ", .bind(extraction), " AND s.identity_id = lcm_identities.id)"]
            + (leaving.map { [" AND id = ", .bind($0)] } ?? [])
    }

    /// A LEFT change for each active identity of the source the extraction does not hold.
    var recordLeft: SQLText {
        statement([
            "INSERT INTO lcm_identity_changes (extraction_event, source_id, identity_id, kind, changes, at) SELECT ", .bind(extraction), ", ", .bind(sourceID),
            ", id, 'LEFT', '{}', ", .bind(now), " FROM lcm_identities WHERE ",
        ] + absentFromStaging + [" ORDER BY id"])
    }

    /// Marks those identities left.
    var markLeft: SQLText {
        statement(["UPDATE lcm_identities SET active = FALSE, left_at = ", .bind(now), ", updated_at = ", .bind(now), ", last_extraction_event = ", .bind(extraction), " WHERE "] + absentFromStaging)
    }

    /// Writes the joined and changed identities; unchanged ones are not touched.
    var applyStaged: SQLText {
        statement([
            """
            INSERT INTO lcm_identities (id, source_id, entity_id, name, active, attributes, attributes_hash, first_seen_at, updated_at, left_at, last_extraction_event)
            SELECT s.identity_id, 
            """, .bind(sourceID), ", s.entity_id, s.name, TRUE, s.attributes, s.attributes_hash, ", .bind(now), ", ", .bind(now), ", NULL, ", .bind(extraction),
            " FROM \(staging) s LEFT JOIN ", identities, " ON i.id = s.identity_id WHERE s.extraction_event = ", .bind(extraction),
            """
             AND (i.id IS NULL OR NOT i.active OR i.attributes_hash <> s.attributes_hash)
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, active = TRUE, attributes = excluded.attributes,
            attributes_hash = excluded.attributes_hash, updated_at = excluded.updated_at, left_at = NULL, last_extraction_event = excluded.last_extraction_event
            """,
        ])
    }

    var clearStaging: SQLText {
        statement(["DELETE FROM lcm_identity_staging WHERE extraction_event = ", .bind(extraction)])
    }

    var countChanges: SQLText {
        statement(["SELECT kind, COUNT(*) FROM lcm_identity_changes WHERE extraction_event = ", .bind(extraction), " GROUP BY kind"])
    }

    func complete(_ event: ExtractionEvent) -> SQLText {
        statement([
            "UPDATE lcm_extraction_events SET state = 'COMPLETED', completed_at = ", .bind(now), ", identities_read = ", .bind(event.identitiesRead),
            ", joined = ", .bind(event.joined), ", changed = ", .bind(event.changed), ", left_count = ", .bind(event.left), ", unchanged = ", .bind(event.unchanged),
            ", tasks_created = ", .bind(event.tasksCreated), ", tasks_blocked = ", .bind(event.tasksBlocked), ", message = ", .bind(event.message), " WHERE id = ", .bind(extraction),
        ])
    }
}
