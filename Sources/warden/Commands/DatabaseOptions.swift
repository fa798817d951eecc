import ArgumentParser
import Synchronization
import Logging
import WardenCore
import WardenServer

/// Where the database is, shared by every command that opens it.
struct DatabaseOptions: ParsableArguments {
    @Option(help: "Folder for the embedded SQLite database.")
    var dataDir: String = "./warden-data"

    @Option(help: "postgres://user:password@host:port/database?sslmode=... with libpq's parameters (or WARDEN_DATABASE_URL); SQLite under --data-dir when absent.")
    var databaseURL: String?

    @Option(help: "PostgreSQL: connections kept open at most.")
    var databasePoolSize: Int = PostgresSettings.defaultPoolSize

    @Option(help: "PostgreSQL: how long one statement may run before the server stops it, e.g. 30s, 500ms, 2m (exports and smart-action applies allow 15 minutes).")
    var databaseStatementTimeout = DurationArgument(duration: PostgresSettings.defaultStatementTimeout)

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    func validate() throws {
        guard (1...1_000).contains(databasePoolSize) else {
            throw ValidationError("--database-pool-size must be from 1 to 1000, got \(databasePoolSize)")
        }
    }

    /// Where the database is, with the pool size and statement timeout given.
    func configuration() throws -> DatabaseConfiguration {
        var configuration = try DatabaseConfiguration.resolve(databaseURL: databaseURL, dataDirectory: dataDir)
        if case .postgres(var settings) = configuration {
            settings.poolSize = databasePoolSize
            settings.statementTimeout = databaseStatementTimeout.duration
            configuration = .postgres(settings)
        }
        return configuration
    }

    /// Opens and migrates the database.
    func open(logger: Logger) async throws -> Database {
        let configuration = try configuration()
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

/// A duration on the command line (a statement timeout, a backoff, a session's lifetime): a number
/// with `ms`, `s`, `m` or `h`, or plain seconds; at most a day.
struct DurationArgument: ExpressibleByArgument {
    let duration: Duration

    init(duration: Duration) {
        self.duration = duration
    }

    init?(argument: String) {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3_600)]
        let (number, scale) = units.first { argument.hasSuffix($0.0) }.map { (String(argument.dropLast($0.0.count)), $0.1) } ?? (argument, 1)
        guard let value = Double(number), value > 0, value * scale <= 86_400 else { return nil }
        duration = .milliseconds(Int64((value * scale * 1_000).rounded()))
    }

    var defaultValueDescription: String {
        let seconds = duration.components.seconds
        return seconds >= 3_600 && seconds % 3_600 == 0 ? "\(seconds / 3_600)h" : "\(seconds)s"
    }
}

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
