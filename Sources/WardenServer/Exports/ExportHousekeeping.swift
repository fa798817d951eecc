import Logging
import ServiceLifecycle
import WardenCore

/// Sweeps the export jobs (`ExportJobs.sweep`) when the server starts and every `interval` after,
/// until graceful shutdown or cancellation. A failed sweep is logged and tried again an interval later.
public struct ExportHousekeeping: Service {
    /// How often the server sweeps unless configured otherwise: hourly.
    public static let defaultInterval: Duration = .seconds(3600)

    let exports: ExportJobs
    let interval: Duration
    let logger: Logger

    public init(exports: ExportJobs, interval: Duration = ExportHousekeeping.defaultInterval, logger: Logger) {
        self.exports = exports
        self.interval = interval
        self.logger = logger
    }

    public func run() async {
        let (exports, interval, logger) = (exports, interval, logger)
        // Only cancellation ends the loop, so the error `try?` drops is always that one.
        try? await cancelWhenGracefulShutdown {
            while true {
                do {
                    try await exports.sweep()
                } catch where !Task.isCancelled {
                    logger.error("export housekeeping failed; it runs again after the interval", metadata: ["error": .string("\(error)")])
                }
                try await Task.sleep(for: interval)
            }
        }
    }
}
