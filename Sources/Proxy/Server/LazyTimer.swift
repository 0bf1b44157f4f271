import NIOCore

/// One scheduled task that enforces a deadline which keeps moving later (an idle timeout after
/// every request, a connection's idle time after every stream). Moving the deadline later
/// schedules nothing: when the task fires, its owner checks the deadline it has now and arms the
/// timer again for it. So steady traffic costs about one task per timeout period instead of a
/// schedule and a cancel per request. Owned by one event loop, like its owner.
struct LazyTimer {
    private var task: Scheduled<Void>?
    private var firesAt: NIODeadline?

    /// Whether a pending task already fires no later than `deadline`. Per-request callers ask
    /// first, so that they do not build the `fire` closure for nothing.
    func fires(by deadline: NIODeadline) -> Bool {
        if let firesAt { return firesAt <= deadline }
        return false
    }

    /// Makes sure the timer fires no later than `deadline`. A pending task that fires earlier is
    /// kept; `fire` runs on `loop` and must call `fired()` first.
    mutating func arm(at deadline: NIODeadline, on loop: any EventLoop, _ fire: @escaping () -> Void) {
        if fires(by: deadline) { return }
        task?.cancel()
        firesAt = deadline
        task = loop.assumeIsolated().scheduleTask(deadline: deadline, fire)
    }

    /// The task has fired: the next `arm` schedules a new one.
    mutating func fired() {
        task = nil
        firesAt = nil
    }

    mutating func cancel() {
        task?.cancel()
        fired()
    }
}
