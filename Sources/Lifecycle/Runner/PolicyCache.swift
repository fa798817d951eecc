import NIOConcurrencyHelpers
import WardenCore

/// The policies and versions the runner reads for every task, kept in memory: a version never
/// changes once published, so it is read once; a policy (its state, retry count) is read again
/// when its copy is older than `policyLifetime`.
final class PolicyCache: Sendable {
    let store: PolicyStore
    let policyLifetime: Duration
    private let versions = NIOLockedValueBox([String: PolicyVersion]())
    private let policies = NIOLockedValueBox([String: (policy: Policy, readAt: ContinuousClock.Instant)]())

    init(store: PolicyStore, policyLifetime: Duration = .seconds(1)) {
        self.store = store
        self.policyLifetime = policyLifetime
    }

    func policy(id: String) async throws -> Policy {
        if let cached = policies.withLockedValue({ $0[id] }), ContinuousClock.now - cached.readAt < policyLifetime {
            return cached.policy
        }
        let policy = try await store.get(id: id)
        policies.withLockedValue { $0[id] = (policy, ContinuousClock.now) }
        return policy
    }

    func version(policyID: String, number: Int) async throws -> PolicyVersion {
        let key = "\(policyID)/\(number)"
        if let cached = versions.withLockedValue({ $0[key] }) { return cached }
        let version = try await store.version(policyID: policyID, number: number)
        versions.withLockedValue { $0[key] = version }
        return version
    }
}
