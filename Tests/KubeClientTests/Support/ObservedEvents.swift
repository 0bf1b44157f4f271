import KubeClient
import KubeModel

/// What informer handlers delivered, per object: detects lost and duplicated states.
final class ObservedEvents: Sendable {
    private let state = Locked<(seen: [String: [String]], deleted: Set<String>, duplicates: [String])>(([:], [], []))

    var handler: EventHandler {
        EventHandler(
            onAdd: { self.record($0, deleted: false) },
            onUpdate: { _, new in self.record(new, deleted: false) },
            onDelete: { self.record($0, deleted: true) })
    }

    private func record(_ object: JSONValue, deleted: Bool) {
        let key = object.objectKey
        let rv = (deleted ? "deleted@" : "") + (object.metaResourceVersion ?? "?")
        state.withLock { state in
            if state.seen[key]?.contains(rv) == true { state.duplicates.append("\(key) \(rv)") }
            state.seen[key, default: []].append(rv)
            if deleted { state.deleted.insert(key) } else { state.deleted.remove(key) }
        }
    }

    /// (key, resourceVersion) pairs delivered more than once.
    var duplicates: [String] { state.withLock { $0.duplicates } }

    /// The last state each live key was reported in.
    var lastResourceVersions: [String: String] {
        state.withLock { state in
            var result: [String: String] = [:]
            for (key, versions) in state.seen where !state.deleted.contains(key) { result[key] = versions.last }
            return result
        }
    }
}

/// Counts the calls an informer makes and can hold the next watch until released.
final class InstrumentedListerWatcher: ListerWatcher {
    let inner: any ListerWatcher
    private let state = Locked<(lists: Int, watches: [String], hold: Bool, waiting: [CheckedContinuation<Void, Never>])>((0, [], false, []))

    init(_ inner: any ListerWatcher) { self.inner = inner }

    var listCalls: Int { state.withLock { $0.lists } }
    var watchCalls: [String] { state.withLock { $0.watches } }
    var heldWatches: Int { state.withLock { $0.waiting.count } }

    /// The next watch calls wait until `release()`.
    func holdWatches() { state.withLock { $0.hold = true } }

    func release() {
        let waiting = state.withLock { state in
            state.hold = false
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume() }
    }

    func list(transform: ObjectTransform) async throws -> ObjectList {
        state.withLock { $0.lists += 1 }
        return try await inner.list(transform: transform)
    }

    func watch(resourceVersion: String, timeoutSeconds: Int) async throws -> AsyncThrowingStream<WatchEvent, any Error> {
        await withCheckedContinuation { continuation in
            let proceed = state.withLock { state -> Bool in
                state.watches.append(resourceVersion)
                if state.hold { state.waiting.append(continuation); return false }
                return true
            }
            if proceed { continuation.resume() }
        }
        return try await inner.watch(resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds)
    }
}

extension SharedInformer {
    /// The cache equals `list` (managedFields aside): same keys, same resourceVersions, same content.
    func cacheEquals(_ list: ObjectList) -> Bool {
        let server = Dictionary(uniqueKeysWithValues: list.items.map { (ObjectTransform.stripManagedFields.apply($0).objectKey, ObjectTransform.stripManagedFields.apply($0)) })
        let cached = Dictionary(uniqueKeysWithValues: cache.list().map { ($0.objectKey, $0) })
        return server == cached
    }
}
