import ArgumentParser
import Synchronization
import Logging
import WardenCore
import WardenServer

/// Where the database is, shared by every command that opens it.
struct DatabaseOptions: ParsableArguments {
    @Option(help: "Folder for the embedded SQLite database.")
    var dataDir: String = "./warden-data"

    @Option(help: "postgres://user:password@host:port/database (or WARDEN_DATABASE_URL); SQLite under --data-dir when absent.")
    var databaseURL: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    /// Opens and migrates the database.
    func open(logger: Logger) async throws -> Database {
        let configuration = try DatabaseConfiguration.resolve(databaseURL: databaseURL, dataDirectory: dataDir)
        let database = try await Database.open(configuration, logger: logger)
        do {
            try await database.migrate(WardenServer.migrations)
        } catch {
            await database.close()
            throw error
        }
        return database
    }

    /// A logger writing to stderr, so stdout carries only a command's output (e.g. a new key).
    func logger(_ label: String) -> Logger {
        bootstrapLogging(level: logLevel)
        var logger = Logger(label: label)
        logger.logLevel = logLevel
        return logger
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

private let loggingBootstrapped = Mutex(false)

/// Sends every log line to stderr at `level`; only the first call has an effect.
private func bootstrapLogging(level: Logger.Level) {
    let isFirst = loggingBootstrapped.withLock { done in
        defer { done = true }
        return !done
    }
    guard isFirst else { return }
    LoggingSystem.bootstrap { label in
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = level
        return handler
    }
}
