import Synchronization

/// Process-wide flags every loop reads: draining on SIGTERM.
final class ProxyLifecycle: Sendable {
    private let draining = Atomic<Bool>(false)
    var isDraining: Bool { draining.load(ordering: .relaxed) }
    func startDraining() { draining.store(true, ordering: .relaxed) }
}
