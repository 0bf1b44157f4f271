import Foundation
import Testing
@testable import DevCluster
import KubeModel

/// The event log keeps what watches resume from, bounded by bytes as well as by count: beyond
/// either the oldest events go, and a watch from before them gets 410 Expired.
@Suite struct EventLogBoundsTests {
    private static let configMaps = StorageKey(group: "", resource: "configmaps")

    private static func write(_ store: ObjectStore, name: String, padding: Int) {
        store.mutate(configMaps, ObjectKey(namespace: "default", name: name)) { (_: JSONValue?) -> ObjectStore.Mutation in
            .put(["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name), "namespace": "default"],
                  "data": ["pad": .string(String(repeating: "x", count: padding))]])
        }
    }

    private static func firstDelivery(_ store: ObjectStore, since: UInt64) -> WatchDelivery? {
        let delivered = DeliveryRecorder()
        let id = store.watch(ObjectStore.Watcher(storageKey: configMaps, namespace: nil, matches: { _ in true },
                                                 deliver: delivered.record), since: since)
        if let id { store.cancelWatch(id) }
        return delivered.first
    }

    @Test func largeEventsAreForgottenBeyondTheByteLimit() throws {
        let store = try ObjectStore(eventLogCapacity: 100_000, eventLogByteLimit: 256 * 1024)
        let start = store.currentRevision
        for index in 0..<200 { Self.write(store, name: "big-\(index % 10)", padding: 10 * 1024) }
        let usage = store.eventLogUsage
        #expect(usage.bytes <= 256 * 1024)
        #expect(usage.events < 200)
        #expect(usage.events > 5)
        guard case .expired(let requested, _) = Self.firstDelivery(store, since: start) else {
            Issue.record("a watch from an evicted revision must expire")
            return
        }
        #expect(requested == start)
        // The newest events are still there to resume from.
        guard case .event(.modified, _, _) = Self.firstDelivery(store, since: store.currentRevision - 1) else {
            Issue.record("a watch from a kept revision must replay")
            return
        }
    }

    @Test func smallEventsAreStillBoundedByCount() throws {
        let store = try ObjectStore(eventLogCapacity: 50)
        for index in 0..<120 { Self.write(store, name: "small-\(index)", padding: 10) }
        #expect(store.eventLogUsage.events == 50)
        guard case .expired = Self.firstDelivery(store, since: store.currentRevision - 60) else {
            Issue.record("a watch from before the last 50 events must expire")
            return
        }
    }
}
