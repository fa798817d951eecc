import WardenCore

/// Every change to a result row: what its `action_log` shows, and what an undo restores; and the
/// smart action batches that made some of them. Also a certification's `properties_version`, which
/// a load bumps when it changes the properties its rows have (see `CatalogCache`).
///
/// `before_*` hold the row's reviewer-owned fields before the change; `version` is the row's
/// version after it, so an undo restores only rows nobody has changed since.
enum ResultLog {
    static let migrations = [
        Migration("access_reviews.0004_result_log_and_batches", [
            """
            CREATE TABLE awf_result_log (
                seq {serial},
                row_key {bigint} NOT NULL,
                batch_key {bigint},
                action TEXT NOT NULL,
                actor TEXT NOT NULL,
                time {bigint} NOT NULL,
                note TEXT NOT NULL,
                decision TEXT,
                signed_off_state TEXT,
                old_reviewers TEXT,
                new_reviewers TEXT,
                before_decision TEXT NOT NULL,
                before_notes TEXT NOT NULL,
                before_signed_off_state TEXT NOT NULL,
                before_signed_off_at {bigint},
                before_signed_off_by TEXT,
                version {bigint} NOT NULL
            )
            """,
            "CREATE INDEX awf_result_log_row ON awf_result_log (row_key, seq)",
            "CREATE INDEX awf_result_log_batch ON awf_result_log (batch_key)",
            """
            CREATE TABLE awf_smart_action_batches (
                seq {serial},
                batch_id TEXT NOT NULL UNIQUE,
                certification_key {bigint} NOT NULL,
                definition_id TEXT NOT NULL,
                definition_name TEXT NOT NULL,
                actor TEXT NOT NULL,
                time {bigint} NOT NULL,
                matched {bigint} NOT NULL,
                changed {bigint} NOT NULL,
                skipped_signed_off {bigint} NOT NULL,
                unchanged {bigint} NOT NULL,
                undone_at {bigint},
                undone_by TEXT,
                restored {bigint},
                not_restored {bigint}
            )
            """,
            "CREATE INDEX awf_smart_action_batches_certification ON awf_smart_action_batches (certification_key, seq)",
        ]),
        Migration("access_reviews.0005_properties_version", [
            "ALTER TABLE awf_certifications ADD COLUMN properties_version {bigint} NOT NULL DEFAULT 0",
        ]),
        // An undo looks up a row's entries within its batch: keyed by both, that is one index probe.
        Migration("access_reviews.0006_result_log_batch_row", [
            "DROP INDEX awf_result_log_batch",
            "CREATE INDEX awf_result_log_batch_row ON awf_result_log (batch_key, row_key)",
        ]),
    ]
}
