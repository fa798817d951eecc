import Foundation
import WardenCore

/// A progress bar on stderr: redrawn in place on a terminal, a line every 10% otherwise.
struct ProgressBar {
    let total: Int
    let unit: String
    private let started = ContinuousClock.now
    private let interactive = isatty(STDERR_FILENO) == 1
    private var lastDecile = -1

    init(total: Int, unit: String) {
        self.total = max(total, 1)
        self.unit = unit
    }

    mutating func update(_ done: Int) {
        let fraction = Double(done) / Double(total)
        let rate = Double(done) / max((ContinuousClock.now - started).inSeconds, 1e-9)
        let width = 30
        let filled = Int(fraction * Double(width))
        let line = "[\(String(repeating: "#", count: filled))\(String(repeating: " ", count: width - filled))] \(Int(fraction * 100))% \(done)/\(total) \(unit) \(Int(rate))/s"
        if interactive {
            FileHandle.standardError.write(Data("\r\(line)".utf8))
            if done >= total { FileHandle.standardError.write(Data("\n".utf8)) }
        } else if Int(fraction * 10) > lastDecile {
            lastDecile = Int(fraction * 10)
            FileHandle.standardError.write(Data("\(line)\n".utf8))
        }
    }
}
