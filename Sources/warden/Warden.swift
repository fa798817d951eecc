import ArgumentParser

@main
struct Warden: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "warden",
        abstract: "Warden: identity lifecycle and access reviews, wire-compatible with Veza's APIs.",
        subcommands: [
            Serve.self, Migrate.self, Token.self, Demo.self, FilterCommand.self, Tasks.self, Events.self, Jobs.self, LifecycleEvents.self, Reviews.self,
            SmartActions.self, Sources.self, Identities.self, Policies.self, Connectors.self,
        ]
    )
}
