import Synchronization

/// Whether a watch is still being started: the store delivers the events a watch starts with
/// synchronously inside `WatchPlan.start`, so deliveries made before `finish()` are those.
final class WatchStartPhase: Sendable {
    private let starting = Atomic(true)

    var isStarting: Bool { starting.load(ordering: .acquiring) }

    func finish() { starting.store(false, ordering: .releasing) }
}
