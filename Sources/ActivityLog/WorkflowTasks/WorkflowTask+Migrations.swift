import WardenCore

extension WorkflowTask {
    /// The workflow tasks table; its indexes serve the default order and the common filters.
    static let migrations = [
        Migration("activity_log.0002_workflow_tasks", [
            """
            CREATE TABLE lcm_workflow_tasks (
                seq {serial},
                id TEXT NOT NULL UNIQUE,
                policy_id TEXT NOT NULL,
                policy_version_number {bigint} NOT NULL,
                entity_type TEXT NOT NULL,
                entity_id TEXT NOT NULL,
                state TEXT NOT NULL,
                dry_run {bool} NOT NULL,
                workflow TEXT NOT NULL,
                scheduled_at {bigint},
                extraction_event TEXT NOT NULL,
                previous_task_id TEXT NOT NULL,
                identity_id TEXT NOT NULL,
                identity_name TEXT NOT NULL,
                started_at {bigint},
                completed_at {bigint},
                any_changes {bool} NOT NULL,
                high_priority {bool} NOT NULL,
                priority {bigint} NOT NULL,
                manually_triggered {bool} NOT NULL,
                manually_triggered_by TEXT NOT NULL,
                manually_override_workflows {bool} NOT NULL,
                identity_status TEXT NOT NULL,
                reason TEXT NOT NULL,
                messages TEXT NOT NULL,
                t_created_at {bigint} NOT NULL,
                t_updated_at {bigint} NOT NULL,
                runtime_change_limit_reached {bool} NOT NULL,
                disregard_change_limit {bool} NOT NULL
            )
            """,
            "CREATE INDEX lcm_workflow_tasks_created ON lcm_workflow_tasks (t_created_at, seq)",
            "CREATE INDEX lcm_workflow_tasks_state ON lcm_workflow_tasks (state, t_created_at, seq)",
            "CREATE INDEX lcm_workflow_tasks_policy ON lcm_workflow_tasks (policy_id, t_created_at, seq)",
            "CREATE INDEX lcm_workflow_tasks_identity ON lcm_workflow_tasks (identity_id)",
        ]),
    ]
}
