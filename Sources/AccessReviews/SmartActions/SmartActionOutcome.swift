import SCIMFilter
import WardenCore

/// What applying (or previewing) a smart action did to a certification's rows.
public struct SmartActionOutcome: Codable, Sendable, Equatable {
    /// The batch the changes belong to, for undo; empty for a dry run.
    public var batchID: String
    public var dryRun: Bool
    /// Rows selected by the definition's filters (and, for a reviewer, assigned to them).
    public var matched: Int64
    public var changed: Int64
    /// Selected rows left alone because they are signed off.
    public var skippedSignedOff: Int64
    /// Selected rows already as the action would set them.
    public var unchanged: Int64
    /// For a dry run, up to 20 rows that would change, before and after.
    public var samples: [Sample]

    /// One row a dry run would change.
    public struct Sample: Codable, Sendable, Equatable {
        public var resultID: Int64
        public var before: State
        public var after: State

        enum CodingKeys: String, CodingKey {
            case resultID = "result_id"
            case before
            case after
        }
    }

    /// The fields a smart action sets.
    public struct State: Codable, Sendable, Equatable {
        public var decision: ResultDecision
        public var notes: String
        public var signedOffState: SignedOffState

        enum CodingKeys: String, CodingKey {
            case decision
            case notes
            case signedOffState = "signed_off_state"
        }
    }

    enum CodingKeys: String, CodingKey {
        case batchID = "batch_id"
        case dryRun = "dry_run"
        case matched
        case changed
        case skippedSignedOff = "skipped_signed_off"
        case unchanged
        case samples
    }
}
