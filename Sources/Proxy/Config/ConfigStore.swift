import Synchronization

/// Publishes config snapshots to event loops. A loop reads `generation` (one atomic load per
/// request) and takes the lock only when it changed, i.e. once per swap per loop.
final class ConfigStore: Sendable {
    private let current: Mutex<ActiveConfig>
    private let generationCounter = Atomic<UInt64>(0)
    private let swapCounter = Atomic<UInt64>(0)
    private let rejectionCounter = Atomic<UInt64>(0)

    init(_ initial: ActiveConfig) {
        current = Mutex(initial)
    }

    var generation: UInt64 { generationCounter.load(ordering: .acquiring) }
    var swaps: UInt64 { swapCounter.load(ordering: .relaxed) }
    var rejections: UInt64 { rejectionCounter.load(ordering: .relaxed) }

    func load() -> ActiveConfig { current.withLock { $0 } }

    func publish(_ config: ActiveConfig) {
        current.withLock { $0 = config }
        generationCounter.add(1, ordering: .releasing)
        swapCounter.add(1, ordering: .relaxed)
    }

    func recordRejection() { rejectionCounter.add(1, ordering: .relaxed) }
}
