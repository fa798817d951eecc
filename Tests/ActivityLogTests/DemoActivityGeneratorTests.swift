import ActivityLog
import Testing

@Suite struct DemoActivityGeneratorTests {
    @Test func isDeterministicAndRealistic() {
        let a = ActivityFixtures.tasks(4_000, seed: 42)
        let b = ActivityFixtures.tasks(4_000, seed: 42)
        #expect(a.map(\.task) == b.map(\.task) && a.flatMap(\.actions) == b.flatMap(\.actions) && a.flatMap(\.jobs) == b.flatMap(\.jobs))
        let actions = a.flatMap(\.actions)
        #expect(Set(actions.map(\.actionType)).count == ActionType.allCases.count - 1)
        let errorRate = Double(actions.filter { $0.state == .errored }.count) / Double(actions.count)
        #expect(errorRate > 0.03 && errorRate < 0.07)
        #expect(actions.filter { $0.state == .errored }.allSatisfy { !$0.message.isEmpty })
        #expect(a.contains { $0.task.state == .blocked } && a.contains { $0.task.state == .errored })
        #expect(a.filter { $0.task.state == .errored }.allSatisfy { !$0.task.messages.isEmpty })
    }

    /// Tasks, actions, jobs and events agree with each other, as the runner would record them.
    @Test func recordsAreConsistent() {
        for demo in ActivityFixtures.tasks(500) {
            #expect(demo.actions.allSatisfy { $0.policyTask == demo.task.id && $0.identityID == demo.task.identityID })
            for action in demo.actions {
                #expect(demo.jobs.filter { $0.actionName == action.actionName }.count == Int(action.jobsStarted))
                #expect(action.completedAt.map { $0 >= action.startedAt } ?? true)
            }
            #expect(demo.jobs.allSatisfy { $0.policyTask == demo.task.id && $0.jobRequest != nil && $0.jobResult != nil })
            #expect(demo.events.allSatisfy { event in demo.jobs.contains { $0.jobID == event.jobID } })
            #expect(demo.task.state != .errored || demo.actions.contains { $0.state == .errored })
        }
    }
}
