import ArgumentParser

@main
struct WardenBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "warden-bench",
        abstract: "Warden's benchmarks. Build with -c release; every row reports its ceiling beside it.",
        subcommands: [FilterBenchmark.self, HTTPBenchmark.self, ActivityLogBenchmark.self, ReviewBenchmark.self, IdentityImportBenchmark.self, LifecycleBenchmark.self, WebBenchmark.self, SCIMProvisionBenchmark.self, SCIMListBenchmark.self],
        defaultSubcommand: nil
    )
}
