import KubeClient
import KubeModel
import Synchronization

/// An in-memory collection with a resourceVersion counter and an event log, served as list/watch.
/// Tests change objects, cut watches, and make the next watch or list fail in chosen ways.
final class FakeListerWatcher: ListerWatcher {
    enum WatchFailure: Sendable {
        case httpGone, errorEventGone, transport
    }

    private struct State {
        var objects: [String: JSONValue] = [:]
        var log: [(rv: Int, event: WatchEvent)] = []
        var rv = 0
        var watchers: [UInt64: AsyncThrowingStream<WatchEvent, any Error>.Continuation] = [:]
        var nextWatcher: UInt64 = 0
        var nextWatchFailures: [WatchFailure] = []
        var listFailures = 0
        var listCalls = 0
        var watchCalls: [String] = []
        /// Events older than this are compacted: a watch from before it gets 410.
        var compactedBefore = 0
    }

    private let state = Locked(State())

    var listCalls: Int { state.withLock { $0.listCalls } }
    var watchCalls: [String] { state.withLock { $0.watchCalls } }
    var activeWatchers: Int { state.withLock { $0.watchers.count } }
    var currentResourceVersion: String { state.withLock { String($0.rv) } }
    var objects: [String: JSONValue] { state.withLock { $0.objects } }

    static func object(_ name: String, namespace: String = "default", labels: [String: String] = [:], data: String = "") -> JSONValue {
        ["apiVersion": "v1", "kind": "ConfigMap",
         "metadata": ["name": .string(name), "namespace": .string(namespace),
                      "labels": .object(labels.mapValues { .string($0) }),
                      "managedFields": [["manager": "kubectl", "operation": "Apply"]]],
         "data": ["value": .string(data)]]
    }

    /// Creates or replaces an object, recording ADDED or MODIFIED.
    func put(_ object: JSONValue) {
        record { state in
            let key = object.objectKey
            var stored = object
            stored[path: ["metadata", "resourceVersion"]] = .string(String(state.rv))
            let type: WatchEvent.EventType = state.objects[key] == nil ? .added : .modified
            state.objects[key] = stored
            return WatchEvent(type: type, object: stored)
        }
    }

    func delete(_ key: String) {
        record { state in
            guard var stored = state.objects.removeValue(forKey: key) else { return nil }
            stored[path: ["metadata", "resourceVersion"]] = .string(String(state.rv))
            return WatchEvent(type: .deleted, object: stored)
        }
    }

    private func record(_ change: (inout State) -> WatchEvent?) {
        let (event, watchers) = state.withLock { state -> (WatchEvent?, [AsyncThrowingStream<WatchEvent, any Error>.Continuation]) in
            state.rv += 1
            guard let event = change(&state) else { state.rv -= 1; return (nil, []) }
            state.log.append((state.rv, event))
            return (event, Array(state.watchers.values))
        }
        guard let event else { return }
        for watcher in watchers { watcher.yield(event) }
    }

    /// Sends a bookmark at the current resourceVersion to every watcher.
    func bookmark() {
        let (rv, watchers) = state.withLock { ($0.rv, Array($0.watchers.values)) }
        let event = WatchEvent(type: .bookmark, object: ["kind": "ConfigMap", "metadata": ["resourceVersion": .string(String(rv))]])
        for watcher in watchers { watcher.yield(event) }
    }

    /// Ends every open watch, as a server does on timeout or restart.
    func closeWatches(error: (any Error)? = nil) {
        let watchers = state.withLock { state in
            defer { state.watchers = [:] }
            return Array(state.watchers.values)
        }
        for watcher in watchers { watcher.finish(throwing: error) }
    }

    /// Forgets history up to now: any watch from an older resourceVersion will be told 410.
    func compact() { state.withLock { $0.compactedBefore = $0.rv } }

    func failNextWatch(_ failure: WatchFailure) { state.withLock { $0.nextWatchFailures.append(failure) } }
    func failNextLists(_ count: Int) { state.withLock { $0.listFailures = count } }

    func list(transform: ObjectTransform) async throws -> ObjectList {
        try state.withLock { state in
            state.listCalls += 1
            if state.listFailures > 0 {
                state.listFailures -= 1
                throw TransportError(code: .couldNotConnect, message: "fake list failure")
            }
            return ObjectList(items: state.objects.values.map(transform.apply), resourceVersion: String(state.rv))
        }
    }

    func watch(resourceVersion: String, timeoutSeconds: Int) async throws -> AsyncThrowingStream<WatchEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream<WatchEvent, any Error>.makeStream()
        let gone = WatchEvent(type: .error, object: APIStatus(message: "too old resource version: \(resourceVersion)", reason: "Expired", code: 410).json)
        try state.withLock { state in
            state.watchCalls.append(resourceVersion)
            let from = Int(resourceVersion) ?? 0
            let failure = state.nextWatchFailures.isEmpty ? nil : state.nextWatchFailures.removeFirst()
            switch failure {
            case .httpGone:
                let status = APIStatus(message: "too old resource version", reason: "Gone", code: 410)
                throw KubeAPIError(httpStatus: 410, status: status, request: "GET watch")
            case .transport:
                throw TransportError(code: .couldNotConnect, message: "fake watch failure")
            case .errorEventGone:
                continuation.yield(gone)
                continuation.finish()
                return
            case nil:
                break
            }
            if from < state.compactedBefore {
                continuation.yield(gone)
                continuation.finish()
                return
            }
            for entry in state.log where entry.rv > from { continuation.yield(entry.event) }
            state.nextWatcher += 1
            let id = state.nextWatcher
            state.watchers[id] = continuation
            continuation.onTermination = { [weak self] _ in self?.state.withLock { _ = $0.watchers.removeValue(forKey: id) } }
        }
        return stream
    }
}
