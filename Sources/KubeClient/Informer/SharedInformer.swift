import Foundation
import KubeModel
import Logging
import Synchronization

/// Callbacks on cache changes. Keep them quick (enqueue a key); they run on the informer's task.
public struct EventHandler: Sendable {
    public var onAdd: @Sendable (JSONValue) -> Void
    public var onUpdate: @Sendable (_ old: JSONValue, _ new: JSONValue) -> Void
    public var onDelete: @Sendable (JSONValue) -> Void

    public init(onAdd: @escaping @Sendable (JSONValue) -> Void = { _ in },
                onUpdate: @escaping @Sendable (JSONValue, JSONValue) -> Void = { _, _ in },
                onDelete: @escaping @Sendable (JSONValue) -> Void = { _ in }) {
        self.onAdd = onAdd
        self.onUpdate = onUpdate
        self.onDelete = onDelete
    }

    /// One callback for every change, given the object's cache key: what a reconciler wants.
    public static func keys(_ enqueue: @escaping @Sendable (String) -> Void) -> EventHandler {
        EventHandler(onAdd: { enqueue($0.objectKey) }, onUpdate: { _, new in enqueue(new.objectKey) },
                     onDelete: { enqueue($0.objectKey) })
    }
}

/// List-then-watch into an indexed cache, with handlers notified of every change.
public final class SharedInformer: ReflectorSink, Sendable {
    public let cache: ObjectCache
    public let name: String
    private let reflector: Reflector
    private let transform: ObjectTransform
    private let resyncPeriod: Duration?
    private let clock: any KubeClock

    private struct State {
        var handlers: [EventHandler] = []
        var synced = false
        var syncWaiters: [UInt64: CheckedContinuation<Bool, Never>] = [:]
        var nextWaiter: UInt64 = 0
        var lastResourceVersion = ""
    }
    private let state = Mutex(State())

    /// - Parameters:
    ///   - transform: applied to every object before it is cached (default: drop `managedFields`).
    ///   - resyncPeriod: when set, every cached object is re-announced as an update this often,
    ///     so reconcilers revisit the world even when nothing changed.
    ///   - watchTimeoutSeconds: each watch asks the server to end it after a random time in this range.
    public init(name: String, listerWatcher: any ListerWatcher, indexers: [String: ObjectCache.IndexFunction] = [:],
                transform: ObjectTransform = .stripManagedFields, resyncPeriod: Duration? = nil,
                clock: any KubeClock = SystemClock(), random: any RandomSource = SystemRandom(), backoff: Backoff = Backoff(),
                watchTimeoutSeconds: ClosedRange<Int> = 300...600) {
        self.name = name
        cache = ObjectCache(indexers: indexers)
        self.transform = transform
        self.resyncPeriod = resyncPeriod
        self.clock = clock
        var reflector = Reflector(listerWatcher: listerWatcher, name: name, clock: clock, random: random, backoff: backoff)
        reflector.watchTimeoutSeconds = watchTimeoutSeconds
        reflector.transform = transform
        self.reflector = reflector
    }

    /// Adds a handler. One added after the cache is filled first hears an add for every cached object.
    public func addEventHandler(_ handler: EventHandler) {
        let existing = state.withLock { state -> [JSONValue] in
            state.handlers.append(handler)
            return state.synced ? cache.list() : []
        }
        for object in existing { handler.onAdd(object) }
    }

    /// True once the first complete list is in the cache.
    public var hasSynced: Bool { state.withLock { $0.synced } }

    /// The resourceVersion of the last list or event applied.
    public var lastResourceVersion: String { state.withLock { $0.lastResourceVersion } }

    /// Waits until the first list is in the cache; false if the task was cancelled first.
    public func waitForSync() async -> Bool {
        let id = state.withLock { state -> UInt64 in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> Bool? in
                    if state.synced { return true }
                    if Task.isCancelled { return false }
                    state.syncWaiters[id] = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            let waiter = state.withLock { $0.syncWaiters.removeValue(forKey: id) }
            waiter?.resume(returning: false)
        }
    }

    /// Runs the informer until the task is cancelled.
    public func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.reflector.run(into: self) }
            if let period = resyncPeriod {
                group.addTask { await self.resyncLoop(period: period) }
            }
        }
    }

    private func resyncLoop(period: Duration) async {
        while true {
            do { try await clock.sleep(for: period) } catch { return }
            guard hasSynced else { continue }
            let handlers = state.withLock { $0.handlers }
            for object in cache.list() {
                for handler in handlers { handler.onUpdate(object, object) }
            }
        }
    }

    // MARK: ReflectorSink

    /// Installs a fresh list, announcing adds, changed objects and objects deleted meanwhile.
    public func replace(_ objects: [JSONValue], resourceVersion: String) {
        // Listed objects arrive already trimmed by the reflector's transform.
        let fresh = objects
        let old = cache.replace(fresh)
        let (handlers, waiters) = state.withLock { state -> ([EventHandler], [CheckedContinuation<Bool, Never>]) in
            state.lastResourceVersion = resourceVersion
            state.synced = true
            defer { state.syncWaiters = [:] }
            return (state.handlers, Array(state.syncWaiters.values))
        }
        var seen = Set<String>()
        seen.reserveCapacity(fresh.count)
        for object in fresh {
            let key = object.objectKey
            seen.insert(key)
            if let previous = old[key] {
                // An object unchanged across a relist is not news.
                if previous.metaResourceVersion != object.metaResourceVersion {
                    for handler in handlers { handler.onUpdate(previous, object) }
                }
            } else {
                for handler in handlers { handler.onAdd(object) }
            }
        }
        // Deleted while we were not watching: their last known state is all there is.
        for (key, previous) in old where !seen.contains(key) {
            for handler in handlers { handler.onDelete(previous) }
        }
        for waiter in waiters { waiter.resume(returning: true) }
    }

    /// Applies one watch event to the cache and tells the handlers.
    public func apply(_ event: WatchEvent) {
        let object = transform.apply(event.object)
        let handlers = state.withLock { state -> [EventHandler] in
            if let rv = object.metaResourceVersion { state.lastResourceVersion = rv }
            return state.handlers
        }
        switch event.type {
        case .added, .modified:
            if let previous = cache.upsert(object) {
                for handler in handlers { handler.onUpdate(previous, object) }
            } else {
                for handler in handlers { handler.onAdd(object) }
            }
        case .deleted:
            let previous = cache.remove(object.objectKey)
            for handler in handlers { handler.onDelete(previous ?? object) }
        case .bookmark, .error:
            break
        }
    }
}
