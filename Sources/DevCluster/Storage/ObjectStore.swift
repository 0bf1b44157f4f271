import Synchronization
import KubeModel

/// The single source of truth: every object of every resource, one global revision counter,
/// a bounded log of recent events for watch resumption, and the registered watchers.
///
/// All changes go through `mutate`, whose closure runs under the store's lock, so a
/// read-check-write (optimistic concurrency, patch application) is atomic and the event order
/// every watcher sees is the commit order.
public final class ObjectStore: Sendable {
    public struct Watcher: Sendable {
        public var storageKey: StorageKey
        public var namespace: String?
        public var matches: @Sendable (JSONValue) -> Bool
        public var deliver: @Sendable (WatchDelivery) -> Void

        public init(storageKey: StorageKey, namespace: String?, matches: @escaping @Sendable (JSONValue) -> Bool,
                    deliver: @escaping @Sendable (WatchDelivery) -> Void) {
            self.storageKey = storageKey
            self.namespace = namespace
            self.matches = matches
            self.deliver = deliver
        }
    }

    /// The outcome a mutation closure asks for.
    public enum Mutation: Sendable {
        case put(JSONValue)
        case delete
        case unchanged
    }

    struct State {
        var collections: [StorageKey: [ObjectKey: JSONValue]] = [:]
        var revision: UInt64 = 0
        var log: EventLog
        var watchers: [UInt64: Watcher] = [:]
        var nextWatcherID: UInt64 = 1
    }

    private let state: Mutex<State>
    private let journal: (any StoreJournal)?

    public init(eventLogCapacity: Int = 100_000, journal: (any StoreJournal)? = nil) throws {
        var initial = State(log: EventLog(capacity: eventLogCapacity))
        if let journal {
            let recovered = try journal.recover()
            initial.collections = recovered.collections
            initial.revision = recovered.revision
            initial.log.reset(after: recovered.revision)
        }
        state = Mutex(initial)
        self.journal = journal
    }

    public var currentRevision: UInt64 { state.withLock { $0.revision } }

    public func get(_ key: StorageKey, _ objectKey: ObjectKey) -> JSONValue? {
        state.withLock { $0.collections[key]?[objectKey] }
    }

    /// Objects of a collection (optionally one namespace) sorted by key, with the revision they were read at.
    public func list(_ key: StorageKey, namespace: String? = nil) -> (items: [(ObjectKey, JSONValue)], revision: UInt64) {
        state.withLock { state in
            let collection = state.collections[key] ?? [:]
            var items = namespace.map { ns in collection.filter { $0.key.namespace == ns } } ?? collection
            let sorted = items.sorted { $0.key < $1.key }
            items.removeAll()
            return (sorted.map { ($0.key, $0.value) }, state.revision)
        }
    }

    public func count(_ key: StorageKey) -> Int {
        state.withLock { $0.collections[key]?.count ?? 0 }
    }

    /// Reads the current object, lets `body` decide, and commits the decision atomically.
    /// A `.put` gets the next revision stamped into `metadata.resourceVersion`.
    /// Returns the stored object after the change (or the current one if unchanged or deleted).
    @discardableResult
    public func mutate<E: Error>(_ key: StorageKey, _ objectKey: ObjectKey,
                                 _ body: (JSONValue?) throws(E) -> Mutation) throws(E) -> (object: JSONValue?, event: StoreEvent?) {
        try state.withLock { (state: inout State) throws(E) -> (object: JSONValue?, event: StoreEvent?) in
            let current = state.collections[key]?[objectKey]
            switch try body(current) {
            case .unchanged:
                return (current, nil)
            case .put(var object):
                state.revision += 1
                object[path: ["metadata", "resourceVersion"]] = .string(String(state.revision))
                state.collections[key, default: [:]][objectKey] = object
                let event = StoreEvent(kind: current == nil ? .added : .modified, storageKey: key, objectKey: objectKey,
                                       object: object, previous: current, revision: state.revision)
                commit(event, in: &state)
                return (object, event)
            case .delete:
                guard var last = current else { return (nil, nil) }
                state.revision += 1
                last[path: ["metadata", "resourceVersion"]] = .string(String(state.revision))
                state.collections[key]?[objectKey] = nil
                let event = StoreEvent(kind: .deleted, storageKey: key, objectKey: objectKey,
                                       object: last, previous: current, revision: state.revision)
                commit(event, in: &state)
                return (last, event)
            }
        }
    }

    private func commit(_ event: StoreEvent, in state: inout State) {
        journal?.append(event)
        state.log.append(event)
        for watcher in state.watchers.values where watcher.storageKey == event.storageKey {
            if let namespace = watcher.namespace, namespace != event.objectKey.namespace { continue }
            if let delivery = Self.view(of: event, by: watcher) { watcher.deliver(delivery) }
        }
    }

    /// How a filtered watcher sees a change: an object that starts matching is ADDED to it,
    /// one that stops matching is DELETED from it (as the real watch cache does).
    private static func view(of event: StoreEvent, by watcher: Watcher) -> WatchDelivery? {
        let matchesNow = event.kind != .deleted && watcher.matches(event.object)
        let matchedBefore = event.previous.map(watcher.matches) ?? false
        switch (matchedBefore, matchesNow) {
        case (true, true): return .event(.modified, event.object, encoding: event.encoding)
        case (false, true): return .event(.added, event.object, encoding: event.encoding)
        case (true, false): return .event(.deleted, event.object, encoding: event.encoding)
        case (false, false): return nil
        }
    }

    /// Registers a watcher. With `since`, replays the logged events after that revision first
    /// (or delivers `.expired` if they are no longer kept); without, sends the current objects
    /// as ADDED events. Both happen under the lock, so nothing is missed or sent twice.
    public func watch(_ watcher: Watcher, since: UInt64?) -> UInt64? {
        state.withLock { state -> UInt64? in
            if let since {
                guard let events = state.log.events(after: since, current: state.revision) else {
                    watcher.deliver(.expired(requested: since, oldest: state.log.oldestRevision ?? state.revision))
                    return nil
                }
                for event in events where event.storageKey == watcher.storageKey {
                    if let namespace = watcher.namespace, namespace != event.objectKey.namespace { continue }
                    if let delivery = Self.view(of: event, by: watcher) { watcher.deliver(delivery) }
                }
            } else {
                let collection = state.collections[watcher.storageKey] ?? [:]
                for (objectKey, object) in collection.sorted(by: { $0.key < $1.key }) {
                    if let namespace = watcher.namespace, namespace != objectKey.namespace { continue }
                    if watcher.matches(object) { watcher.deliver(.event(.added, object, encoding: nil)) }
                }
            }
            let id = state.nextWatcherID
            state.nextWatcherID += 1
            state.watchers[id] = watcher
            return id
        }
    }

    /// Sends a watcher a bookmark at the current revision, in order with its events.
    public func deliverBookmark(to id: UInt64, initialEventsEnd: Bool = false) {
        state.withLock { state in
            state.watchers[id]?.deliver(.bookmark(state.revision, initialEventsEnd: initialEventsEnd))
        }
    }

    public func cancelWatch(_ id: UInt64) {
        _ = state.withLock { $0.watchers.removeValue(forKey: id) }
    }

    public var watcherCount: Int { state.withLock { $0.watchers.count } }

    /// Forgets logged events so that watches from older revisions get 410 Gone, as after an
    /// etcd compaction. Tests and `causeway dev` use it to exercise relists.
    public func compactEventLog() {
        state.withLock { state in state.log.reset(after: state.revision) }
    }

    /// Every stored collection key (for the garbage collector and namespace cleanup).
    public var storageKeys: [StorageKey] { state.withLock { Array($0.collections.keys) } }
}
