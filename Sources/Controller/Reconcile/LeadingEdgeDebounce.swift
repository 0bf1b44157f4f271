import Synchronization

/// How long a change waits before the snapshot is reconciled. A change after a quiet spell goes
/// at once, so an isolated route edit reaches the proxies without a fixed delay; a change that
/// follows another within `window` waits out the window, so a burst (`kubectl apply` of a
/// directory, thousands of routes created at once) is merged into a reconcile per window
/// rather than one per object. The work queue keeps a single pending reconcile either way.
final class LeadingEdgeDebounce: Sendable {
    let window: Duration
    private let last = Mutex<ContinuousClock.Instant?>(nil)

    init(window: Duration) { self.window = window }

    func delay(at now: ContinuousClock.Instant = .now) -> Duration {
        last.withLock { last in
            defer { last = now }
            guard let previous = last, now - previous < window else { return .zero }
            return window
        }
    }
}
