/// What an API key may do; `APIOperation.permission` says it operation by operation.
///
/// - `admin`: everything, including API keys and forced updates of signed-off rows.
/// - `operator`: runs lifecycle management and access reviews: reads and exports the activity log,
///   restarts and unblocks tasks, creates review workflows, certifications and smart action
///   definitions, loads rows, decides, applies and undoes smart actions.
/// - `reviewer`: reads review workflows, certifications and smart action definitions; sees, decides,
///   exports and applies smart actions to only the result rows assigned to them (their key's
///   `email` is among the row's reviewers), and sees and undoes only their own smart action
///   batches. No activity log.
/// - `viewer`: reads the activity log and access reviews (every row); changes and exports nothing.
/// - `provisioner`: pushes identities into one identity source (the key's `identity_source`) through
///   SCIM 2.0 at `/scim/v2`, and can do nothing else.
public enum Role: String, WireEnum {
    case admin
    case `operator`
    case reviewer
    case viewer
    case provisioner
}
