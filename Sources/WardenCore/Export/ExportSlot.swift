import Synchronization

/// One of the exports `ExportJobs` lets run at once, held while an export runs.
///
/// `release()` gives it back; a slot dropped without it (say, a streamed response whose connection
/// closed before its body ran) is given back when it is freed.
public final class ExportSlot: Sendable {
    private let giveBack: Mutex<(@Sendable () -> Void)?>

    init(giveBack: @escaping @Sendable () -> Void) {
        self.giveBack = Mutex(giveBack)
    }

    /// Gives the slot back; only the first call counts.
    public func release() {
        giveBack.withLock { $0.take() }?()
    }

    deinit {
        release()
    }
}
