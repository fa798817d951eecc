import WardenCore

/// What started a job or lifecycle event.
public enum EventSource: String, WireEnum {
    case policy = "POLICY"
    case accessPlan = "ACCESS_PLAN"
}
