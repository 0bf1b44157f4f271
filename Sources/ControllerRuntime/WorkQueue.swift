import Foundation
import KubeClient
import Synchronization

/// The queue between informers and reconcilers, with client-go's guarantees:
/// - a key waiting in the queue is stored once, however often it is added;
/// - a key is handed to one worker at a time: added while processing, it is queued again only
///   after `done`;
/// - failures come back later through `addRateLimited`, delays through `addAfter`;
/// - after `shutdown`, adds are ignored, the keys already queued are still handed out, and `get`
///   returns nil once the queue is empty.
public final class WorkQueue<Key: Hashable & Sendable>: Sendable {
    private struct State {
        var queue: [Key] = []
        var head = 0
        var dirty: Set<Key> = []
        var processing: Set<Key> = []
        var waiters: [CheckedContinuation<Key?, Never>] = []
        var drainWaiters: [CheckedContinuation<Void, Never>] = []
        var delayed: [Key: (deadline: Date, task: Task<Void, Never>)] = [:]
        var shuttingDown = false

        var pending: Int { queue.count - head }

        mutating func pop() -> Key {
            let key = queue[head]
            head += 1
            if head > 1024, head * 2 > queue.count {
                queue.removeFirst(head)
                head = 0
            }
            return key
        }
    }

    private let state = Mutex(State())
    public let rateLimiter: any ItemRateLimiter<Key>
    private let clock: any KubeClock

    public init(rateLimiter: any ItemRateLimiter<Key> = MaxOfItemRateLimiter<Key>.controllerDefault(), clock: any KubeClock = SystemClock()) {
        self.rateLimiter = rateLimiter
        self.clock = clock
    }

    /// Keys waiting (not counting those being processed or delayed).
    public var count: Int { state.withLock { $0.pending } }
    public var processingCount: Int { state.withLock { $0.processing.count } }
    public var isShuttingDown: Bool { state.withLock { $0.shuttingDown } }

    public func add(_ key: Key) {
        let waiter = state.withLock { state -> CheckedContinuation<Key?, Never>? in
            guard !state.shuttingDown, !state.dirty.contains(key) else { return nil }
            state.dirty.insert(key)
            guard !state.processing.contains(key) else { return nil }
            if !state.waiters.isEmpty {
                // Hand it straight to a waiting worker.
                state.dirty.remove(key)
                state.processing.insert(key)
                return state.waiters.removeFirst()
            }
            state.queue.append(key)
            return nil
        }
        waiter?.resume(returning: key)
    }

    /// Waits for a key; nil once the queue is shut down and empty. Call `done` when finished with it.
    public func get() async -> Key? {
        await withCheckedContinuation { continuation in
            let key = state.withLock { state -> Key?? in
                if state.pending > 0 {
                    let key = state.pop()
                    state.dirty.remove(key)
                    state.processing.insert(key)
                    return .some(key)
                }
                if state.shuttingDown { return .some(nil) }
                state.waiters.append(continuation)
                return nil
            }
            if let key { continuation.resume(returning: key) }
        }
    }

    /// Marks a key processed; if it was added meanwhile, it is queued again now.
    public func done(_ key: Key) {
        let (waiter, drained) = state.withLock { state -> (CheckedContinuation<Key?, Never>?, [CheckedContinuation<Void, Never>]) in
            state.processing.remove(key)
            var waiter: CheckedContinuation<Key?, Never>?
            if state.dirty.contains(key) {
                if !state.waiters.isEmpty {
                    state.dirty.remove(key)
                    state.processing.insert(key)
                    waiter = state.waiters.removeFirst()
                } else {
                    state.queue.append(key)
                }
            }
            var drained: [CheckedContinuation<Void, Never>] = []
            if state.shuttingDown, state.processing.isEmpty {
                drained = state.drainWaiters
                state.drainWaiters = []
            }
            return (waiter, drained)
        }
        waiter?.resume(returning: key)
        for continuation in drained { continuation.resume() }
    }

    /// Adds the key after `delay`; of several pending delays for one key, the earliest wins.
    public func addAfter(_ key: Key, _ delay: Duration) {
        if delay <= .zero { add(key); return }
        let deadline = clock.now().addingTimeInterval(delay.seconds)
        state.withLock { state in
            guard !state.shuttingDown else { return }
            if let existing = state.delayed[key], existing.deadline <= deadline { return }
            state.delayed[key]?.task.cancel()
            let clock = self.clock
            let task = Task { [weak self] in
                do { try await clock.sleep(for: delay) } catch { return }
                guard let self else { return }
                let due = self.state.withLock { state -> Bool in
                    guard let entry = state.delayed[key], entry.deadline == deadline else { return false }
                    state.delayed[key] = nil
                    return true
                }
                if due { self.add(key) }
            }
            state.delayed[key] = (deadline, task)
        }
    }

    /// Adds the key after the rate limiter's delay for it (a retry after failure).
    public func addRateLimited(_ key: Key) { addAfter(key, rateLimiter.when(key)) }

    /// Clears the key's failure history (after success or a terminal error).
    public func forget(_ key: Key) { rateLimiter.forget(key) }

    public func numRequeues(_ key: Key) -> Int { rateLimiter.failures(key) }

    /// Stops accepting keys, drops delayed ones, and wakes idle workers with nil.
    public func shutdown() {
        let (waiters, delayed, drained) = state.withLock { state in
            state.shuttingDown = true
            let waiters = state.waiters
            state.waiters = []
            let delayed = state.delayed.values.map(\.task)
            state.delayed = [:]
            var drained: [CheckedContinuation<Void, Never>] = []
            if state.processing.isEmpty {
                drained = state.drainWaiters
                state.drainWaiters = []
            }
            return (waiters, delayed, drained)
        }
        for task in delayed { task.cancel() }
        for waiter in waiters { waiter.resume(returning: nil) }
        for continuation in drained { continuation.resume() }
    }

    /// Shuts down and waits until no key is being processed.
    public func shutdownAndDrain() async {
        shutdown()
        await withCheckedContinuation { continuation in
            let idle = state.withLock { state -> Bool in
                if state.processing.isEmpty { return true }
                state.drainWaiters.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }
}
