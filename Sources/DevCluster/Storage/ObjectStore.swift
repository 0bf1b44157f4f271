import Synchronization
import KubeModel

/// The single source of truth: every object of every resource, one global revision counter,
/// a bounded log of recent events for watch resumption, and the registered watchers.
///
/// All changes go through `mutate`. Its closure (validation, admission, patching) runs outside
/// the store's lock, serialized only with writers of the same object; the lock is held just to
/// check the object is still the one the closure saw and to commit. Commits, and so the event
/// order every watcher and the journal see, are in revision order. The journal writes on a
/// thread of its own after the commit.
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
    private let writeLocks = ObjectWriteLocks()
    private let journal: (any StoreJournal)?

    /// - Parameters:
    ///   - eventLogCapacity: at most this many events are kept for watches to resume from…
    ///   - eventLogByteLimit: …and at most about this many bytes of them (each event's object and
    ///     previous version, estimated as encoded JSON). Older events are forgotten; a watch from
    ///     before them gets 410 Expired and relists.
    public init(eventLogCapacity: Int = 100_000, eventLogByteLimit: Int = 64 * 1024 * 1024,
                journal: (any StoreJournal)? = nil) throws {
        var initial = State(log: EventLog(capacity: eventLogCapacity, byteLimit: eventLogByteLimit))
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

    /// A collection as it was at `revision`: today's objects with every later logged change undone.
    /// nil when the history no longer reaches back that far.
    public func list(_ key: StorageKey, namespace: String? = nil, at revision: UInt64) -> [(ObjectKey, JSONValue)]? {
        state.withLock { state -> [(ObjectKey, JSONValue)]? in
            guard let later = state.log.events(after: revision, current: state.revision) else { return nil }
            var collection = state.collections[key] ?? [:]
            for event in later.reversed() where event.storageKey == key {
                collection[event.objectKey] = event.kind == .added ? nil : event.previous
            }
            return collection.filter { namespace == nil || $0.key.namespace == namespace }
                .sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        }
    }

    public func count(_ key: StorageKey) -> Int {
        state.withLock { $0.collections[key]?.count ?? 0 }
    }

    /// Why changes are no longer kept on disk, once the journal failed (a full disk); nil while
    /// they are, or when the store is in memory only. The HTTP layer refuses writes then.
    public var journalFailure: String? { journal?.failure }

    /// Returns once every committed change has reached the journal (or the journal failed).
    public func flushJournal() { journal?.flush() }

    /// Reads the current object, lets `body` decide, and commits the decision atomically.
    /// A `.put` gets the next revision stamped into `metadata.resourceVersion`.
    /// Returns the stored object after the change (or the current one if unchanged or deleted).
    ///
    /// `body` runs outside the store's lock but under its object's write lock, so other writers
    /// of the same object wait (no lost update) and `body` runs once per call; readers, watchers
    /// and writers of other objects go on meanwhile.
    @discardableResult
    public func mutate<E: Error>(_ key: StorageKey, _ objectKey: ObjectKey,
                                 _ body: (JSONValue?) throws(E) -> Mutation) throws(E) -> (object: JSONValue?, event: StoreEvent?) {
        try writeLocks.withLock(key, objectKey) { () throws(E) -> (object: JSONValue?, event: StoreEvent?) in
            var current = state.withLock { $0.collections[key]?[objectKey] }
            var decision = try body(current)
            while true {
                if case .unchanged = decision { return (current, nil) }
                let retained = Self.retainedBytes(decision, current: current)
                switch commit(decision, key, objectKey, ifStill: current, retainedBytes: retained) {
                case .committed(let object, let event):
                    return (object, event)
                case .changed(let latest):
                    // Only a writer that bypasses the object's write lock gets here; decide again
                    // on what is stored rather than overwrite it.
                    current = latest
                    decision = try body(current)
                }
            }
        }
    }

    private enum CommitOutcome: Sendable {
        case committed(JSONValue?, StoreEvent?)
        case changed(JSONValue?)
    }

    /// What an event keeps alive in the log: the new version and the previous one (which the
    /// event alone retains once the event that wrote it has been forgotten).
    private static func retainedBytes(_ decision: Mutation, current: JSONValue?) -> Int {
        let previous = current.map(JSONSizeEstimate.bytes(of:)) ?? 0
        if case .put(let object) = decision { return previous + JSONSizeEstimate.bytes(of: object) }
        return 2 * previous
    }

    private func commit(_ decision: Mutation, _ key: StorageKey, _ objectKey: ObjectKey, ifStill seen: JSONValue?,
                        retainedBytes: Int) -> CommitOutcome {
        state.withLock { (state: inout State) -> CommitOutcome in
            let current = state.collections[key]?[objectKey]
            guard Self.version(of: current) == Self.version(of: seen) else { return .changed(current) }
            switch decision {
            case .unchanged:
                return .committed(current, nil)
            case .put(var object):
                state.revision += 1
                object[path: ["metadata", "resourceVersion"]] = .string(String(state.revision))
                state.collections[key, default: [:]][objectKey] = object
                let event = StoreEvent(kind: current == nil ? .added : .modified, storageKey: key, objectKey: objectKey,
                                       object: object, previous: current, revision: state.revision)
                publish(event, retainedBytes: retainedBytes, in: &state)
                return .committed(object, event)
            case .delete:
                guard var last = current else { return .committed(nil, nil) }
                state.revision += 1
                last[path: ["metadata", "resourceVersion"]] = .string(String(state.revision))
                state.collections[key]?[objectKey] = nil
                let event = StoreEvent(kind: .deleted, storageKey: key, objectKey: objectKey,
                                       object: last, previous: current, revision: state.revision)
                publish(event, retainedBytes: retainedBytes, in: &state)
                return .committed(last, event)
            }
        }
    }

    /// Every stored object carries the revision that wrote it; nil when there is none.
    private static func version(of object: JSONValue?) -> String? {
        object?[path: ["metadata", "resourceVersion"]]?.stringValue
    }

    /// Hands a committed event to the journal's writer, the log and the watchers — all cheap,
    /// non-blocking calls, made under the lock so each sees events in commit order.
    private func publish(_ event: StoreEvent, retainedBytes: Int, in state: inout State) {
        journal?.append(event)
        state.log.append(event, bytes: retainedBytes)
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

    /// How many events the log keeps, and their estimated bytes.
    public var eventLogUsage: (events: Int, bytes: Int) { state.withLock { ($0.log.count, $0.log.retainedBytes) } }

    /// Forgets logged events so that watches from older revisions get 410 Gone, as after an
    /// etcd compaction. Tests and `causeway dev` use it to exercise relists.
    public func compactEventLog() {
        state.withLock { state in state.log.reset(after: state.revision) }
    }

    /// Every stored collection key (for the garbage collector and namespace cleanup).
    public var storageKeys: [StorageKey] { state.withLock { Array($0.collections.keys) } }
}
