import ArgumentParser
import SCIMFilter
import WardenCore

/// Parse + validate + compile time of a typical three-clause filter (target: under 10 µs).
struct FilterBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "filter", abstract: "Filter parse + compile time.")

    @Option(help: "Iterations per measurement.")
    var iterations: Int = 200_000

    static let filter = #"state eq "ERRORED" and action_type eq "SYNC_IDENTITIES" and started_at ge "2026-01-01T00:00:00Z""#

    /// The action-event fields the filter uses, as the activity log's catalog declares them.
    static let catalog = FieldCatalog([
        CatalogField("state", type: .enumeration(["INITIAL", "RUNNING", "COMPLETED", "ERRORED", "SKIPPED", "SCHEDULED", "PENDING", "BLOCKED", "ABANDONED"]), operators: [.eq]),
        CatalogField("action_type", type: .enumeration(["NONE", "SYNC_IDENTITIES", "MANAGE_RELATIONSHIPS"]), operators: [.eq]),
        CatalogField("started_at", type: .timestamp, operators: [.gt, .ge, .lt, .le], sortable: true),
    ])

    func run() throws {
        print("benchmark                          dialect     per op      ops/s")
        let parseOnly = try measure { _ = try Filter.parse(Self.filter) }
        print(row("filter parse", "-", parseOnly))
        for kind in DatabaseKind.allCases {
            let compiler = SQLCompiler(catalog: Self.catalog, dialect: kind.filterDialect)
            let full = try measure {
                let expression = try Filter.parse(Self.filter)
                try Self.catalog.validate(expression)
                _ = try compiler.compile(expression)
            }
            print(row("filter parse+validate+compile", kind.rawValue, full))
        }
        print("target: parse+validate+compile under 10 µs")
    }

    private func measure(_ body: () throws -> Void) throws -> Duration {
        for _ in 0..<(iterations / 10) { try body() }
        var best = Duration.seconds(1_000)
        for _ in 0..<5 {
            let clock = ContinuousClock()
            let start = clock.now
            for _ in 0..<iterations { try body() }
            best = min(best, (clock.now - start) / iterations)
        }
        return best
    }

    private func row(_ name: String, _ dialect: String, _ perOp: Duration) -> String {
        let microseconds = perOp.inSeconds * 1e6
        return name.padding(toLength: 35, withPad: " ", startingAt: 0)
            + dialect.padding(toLength: 12, withPad: " ", startingAt: 0)
            + String(format: "%7.3f µs  %9.0f", microseconds, 1e6 / microseconds)
    }
}
