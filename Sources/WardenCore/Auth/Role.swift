/// What an API key may do. Each role includes what the roles below it may do, except that only
/// reviewers (and admins) act on access-review rows assigned to them.
public enum Role: String, WireEnum {
    case admin
    case `operator`
    case reviewer
    case viewer
}
