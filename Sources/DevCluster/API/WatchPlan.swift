import Foundation
import KubeModel

/// A watch the API logic has accepted, for the transport to run: how to register it with the
/// store, how to encode what it delivers, and when to end it.
public struct WatchPlan: Sendable {
    let server: APIServer
    let definition: ResourceDefinition
    let namespace: String?
    let matches: @Sendable (JSONValue) -> Bool
    /// Resume after this revision; nil starts with the current objects as ADDED events.
    let since: UInt64?
    public let sendsBookmarks: Bool
    let sendInitialEventsEnd: Bool
    public let timeoutSeconds: Int64?
    let asTable: Bool
    let includeObject: String

    public var bookmarkIntervalSeconds: Int64 { server.options.bookmarkIntervalSeconds }

    /// Registers the watcher; `deliver` is called in commit order from any thread.
    public func start(_ deliver: @escaping @Sendable (WatchDelivery) -> Void) -> UInt64? {
        let store = server.store
        let key = definition.storageKey
        let id = store.watch(ObjectStore.Watcher(storageKey: key, namespace: definition.namespaced ? namespace : nil,
                                                 matches: matches, deliver: deliver), since: since)
        if let id, sendInitialEventsEnd { store.deliverBookmark(to: id, initialEventsEnd: true) }
        return id
    }

    public func stop(_ id: UInt64) { server.store.cancelWatch(id) }

    public func bookmark(_ id: UInt64) { server.store.deliverBookmark(to: id) }

    /// One watch event as a line of JSON. Plain JSON lines are shared between the watchers of
    /// one committed event; Table lines are made per watcher.
    public func encode(_ delivery: WatchDelivery) -> [UInt8] {
        if case .event(let kind, _, let encoding?) = delivery, !asTable {
            return encoding.bytes(for: "\(kind.rawValue) \(definition.apiVersion)") { line(for: delivery) }
        }
        return line(for: delivery)
    }

    private func line(for delivery: WatchDelivery) -> [UInt8] {
        let event: JSONValue
        switch delivery {
        case .event(let kind, let object, _):
            let shown = server.present(object, as: definition)
            let payload = asTable
                ? TableConverter.table(definition, objects: [shown], listMetadata: ["resourceVersion": shown[path: ["metadata", "resourceVersion"]] ?? ""],
                                       includeObject: includeObject, now: server.clock())
                : shown
            event = ["type": .string(kind.rawValue), "object": payload]
        case .expired(let requested, let oldest):
            let status = APIErrors.gone("too old resource version: \(requested) (\(oldest))")
            event = ["type": "ERROR", "object": status.json]
        case .bookmark(let revision, let initialEventsEnd):
            var metadata: JSONValue = ["resourceVersion": .string(String(revision))]
            if initialEventsEnd { metadata[path: ["annotations", "k8s.io/initial-events-end"]] = "true" }
            event = ["type": "BOOKMARK", "object": ["kind": .string(definition.kind), "apiVersion": .string(definition.apiVersion),
                                                    "metadata": metadata]]
        }
        var bytes = event.serialized()
        bytes.append(0x0A)
        return bytes
    }
}
