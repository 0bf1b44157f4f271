import Dispatch
import Synchronization

/// Writes committed events on a queue of its own, in the order they were handed over, so the
/// store's lock and the event loops never wait for the disk. Events that arrive while a write is
/// under way leave together in the next one.
///
/// A failed write (a full disk) is remembered and every later event is dropped, never half
/// written: the store reports the failure and the HTTP layer refuses further writes, since a
/// journal with a hole in it would restore a state that never existed.
final class JournalWriter: Sendable {
    private struct Pending {
        var events: [StoreEvent] = []
        var draining = false
        var failure: String?
    }

    private let queue = DispatchQueue(label: "causeway.devcluster.journal")
    private let pending = Mutex(Pending())
    private let write: @Sendable ([StoreEvent]) throws -> Void
    private let describeFailure: @Sendable (any Error, UInt64) -> String

    /// - Parameters:
    ///   - write: writes a batch of events, in order; throws when they could not all be written.
    ///   - describeFailure: the message for a failed write, given the error and the first
    ///     revision that was not written.
    init(write: @escaping @Sendable ([StoreEvent]) throws -> Void,
         describeFailure: @escaping @Sendable (any Error, UInt64) -> String) {
        self.write = write
        self.describeFailure = describeFailure
    }

    var failure: String? { pending.withLock { $0.failure } }

    func append(_ event: StoreEvent) {
        let startsDrain = pending.withLock { pending -> Bool in
            guard pending.failure == nil else { return false }
            pending.events.append(event)
            if pending.draining { return false }
            pending.draining = true
            return true
        }
        if startsDrain { queue.async { self.drain() } }
    }

    /// Waits for the writes handed over so far: the queue is serial, so a block queued now runs
    /// after the drain that takes them.
    func flush() {
        queue.sync {}
    }

    private func drain() {
        while true {
            let batch = pending.withLock { pending -> [StoreEvent] in
                let batch = pending.events
                pending.events = []
                if batch.isEmpty { pending.draining = false }
                return batch
            }
            guard let first = batch.first else { return }
            do {
                try write(batch)
            } catch {
                let message = describeFailure(error, first.revision)
                pending.withLock { pending in
                    pending.failure = message
                    pending.events = []
                    pending.draining = false
                }
                return
            }
        }
    }
}
