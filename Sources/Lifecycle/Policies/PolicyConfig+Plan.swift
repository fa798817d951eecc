import SCIMFilter

extension PolicyConfig {
    /// The workflows `change` triggers for `identity`, each with its actions in order.
    ///
    /// A workflow is triggered when it is enabled, reacts to `change` (for CHANGED with trigger
    /// attributes: when one of them is in `changedAttributes`), and its filter matches the identity's
    /// attributes. Its enabled conditions are then evaluated in order, depth first: each true one
    /// contributes its `actions_to_run` in order, then its nested conditions are evaluated. An action
    /// listed twice runs once, at its first place. Throws when a filter cannot be evaluated on the
    /// identity's values (an ordering comparison on a boolean attribute).
    public func plan(for identity: IdentitySnapshot, change: IdentityChangeKind, changedAttributes: Set<String>) throws(FilterError) -> [WorkflowPlan] {
        let record = JSONValue.object(identity.attributes)
        let evaluator = FilterEvaluator()
        var plans: [WorkflowPlan] = []
        for workflow in workflows where workflow.enabled && workflow.changes.contains(change) {
            if change == .changed, !workflow.attributes.isEmpty, workflow.attributes.isDisjoint(with: changedAttributes) { continue }
            if let filter = workflow.filter, !(try evaluator.matches(filter, record)) { continue }
            plans.append(try plan(workflow, record, evaluator))
        }
        return plans
    }

    /// The actions of the workflow named `name` for `identity`, its trigger left aside: for a task
    /// started for another reason than an identity change (a review's remediation). Nil when the
    /// version has no such workflow.
    public func plan(workflowNamed name: String, for identity: IdentitySnapshot) throws(FilterError) -> WorkflowPlan? {
        guard let workflow = workflows.first(where: { $0.name == name }) else { return nil }
        return try plan(workflow, .object(identity.attributes), FilterEvaluator())
    }

    private func plan(_ workflow: PolicyWorkflow, _ record: JSONValue, _ evaluator: FilterEvaluator) throws(FilterError) -> WorkflowPlan {
        var actions: [PlannedAction] = []
        var planned: Set<String> = []
        try collect(workflow.conditions, record, evaluator, into: &actions, planned: &planned)
        return WorkflowPlan(workflow: workflow.name, actions: actions)
    }

    private func collect(
        _ conditions: [PolicyCondition], _ record: JSONValue, _ evaluator: FilterEvaluator,
        into actions: inout [PlannedAction], planned: inout Set<String>
    ) throws(FilterError) {
        for condition in conditions where condition.enabled {
            if let filter = condition.filter, !(try evaluator.matches(filter, record)) { continue }
            for name in condition.actionsToRun where planned.insert(name).inserted {
                guard let action = action(named: name) else { continue }
                let conditionFalse = try action.condition.map { filter throws(FilterError) in !(try evaluator.matches(filter, record)) } ?? false
                actions.append(PlannedAction(
                    name: action.name, type: action.type, settings: action.settings,
                    continueOnError: action.continueOnError || condition.continueActionsIfAnyError,
                    skipped: !action.enabled || conditionFalse))
            }
            try collect(condition.conditions, record, evaluator, into: &actions, planned: &planned)
        }
    }
}
