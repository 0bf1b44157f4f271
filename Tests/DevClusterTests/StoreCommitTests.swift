import Foundation
import Testing
@testable import DevCluster
import KubeModel

/// Mutations decide outside the store's lock and commit only on the object they saw; the
/// journal writes after the commit, and a write it cannot make is reported, not lost quietly.
@Suite struct StoreCommitTests {
    private static let counters = StorageKey(group: "", resource: "configmaps")

    @Test func concurrentIncrementsOfOneObjectLoseNoUpdate() throws {
        let store = try ObjectStore()
        let key = ObjectKey(namespace: "default", name: "counter")
        let threads = 8
        let increments = 250
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            for _ in 0..<increments {
                store.mutate(Self.counters, key) { (current: JSONValue?) -> ObjectStore.Mutation in
                    var object: JSONValue = current ?? ["metadata": ["name": "counter", "namespace": "default"], "data": ["n": "0"]]
                    let next = (Int(object[path: ["data", "n"]]?.stringValue ?? "0") ?? 0) + 1
                    object[path: ["data", "n"]] = .string(String(next))
                    return .put(object)
                }
            }
        }
        let final = store.get(Self.counters, key)
        #expect(final?[path: ["data", "n"]]?.stringValue == String(threads * increments))
        #expect(final?[path: ["metadata", "resourceVersion"]]?.stringValue == String(store.currentRevision))
    }

    @Test func readersGoOnWhileAMutationDecides() throws {
        let store = try ObjectStore()
        let key = ObjectKey(namespace: "default", name: "deciding")
        // Under the old single lock this read, from inside the decision, could never proceed.
        store.mutate(Self.counters, key) { (_: JSONValue?) -> ObjectStore.Mutation in
            #expect(store.get(Self.counters, key) == nil)
            #expect(store.list(Self.counters).items.isEmpty)
            return .put(["metadata": ["name": "deciding", "namespace": "default"]])
        }
        #expect(store.get(Self.counters, key) != nil)
    }

    @Test func journalKeepsConcurrentWritesInCommitOrderAcrossARestart() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("journal-order-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try ObjectStore(journal: try FileJournal(directory: directory))
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            for index in 0..<100 {
                let key = ObjectKey(namespace: "default", name: "object-\(index % 10)")
                store.mutate(Self.counters, key) { (current: JSONValue?) -> ObjectStore.Mutation in
                    var object: JSONValue = current ?? ["metadata": ["name": .string(key.name), "namespace": "default"]]
                    object[path: ["data", "last"]] = .string("\(worker)-\(index)")
                    return .put(object)
                }
            }
        }
        store.flushJournal()
        #expect(store.journalFailure == nil)
        let restarted = try ObjectStore(journal: try FileJournal(directory: directory))
        #expect(restarted.currentRevision == store.currentRevision)
        for index in 0..<10 {
            let key = ObjectKey(namespace: "default", name: "object-\(index)")
            #expect(restarted.get(Self.counters, key) == store.get(Self.counters, key))
        }
    }

    @Test func journalWriteFailureRefusesLaterWritesWithAClearError() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("journal-full-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        // /dev/full answers every write with ENOSPC, as a full disk does.
        let journal = try FileJournal(directory: directory) { _ in
            guard let full = FileHandle(forWritingAtPath: "/dev/full") else { throw CocoaError(.fileNoSuchFile) }
            return full
        }
        try await PlainCluster.run(journal: journal) { cluster in
            cluster.call("POST", "/api/v1/namespaces/default/configmaps", ["metadata": ["name": "first"]])
            cluster.store.flushJournal()
            let failure = try #require(cluster.store.journalFailure)
            #expect(failure.contains("not on disk"))

            let connection = try RawHTTPConnection(port: cluster.port)
            let body = #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"refused"}}"#
            try connection.send("POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body)
            let answer = String(decoding: connection.readUntilClosed().bytes, as: UTF8.self)
            #expect(answer.hasPrefix("HTTP/1.1 500"))
            #expect(answer.contains("not on disk"))
            #expect(cluster.store.get(Self.counters, ObjectKey(namespace: "default", name: "refused")) == nil)
            // Reads still work: the data in memory is intact.
            let reader = try RawHTTPConnection(port: cluster.port)
            try reader.send("GET /api/v1/namespaces/default/configmaps/first HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            #expect(String(decoding: reader.readUntilClosed().bytes, as: UTF8.self).hasPrefix("HTTP/1.1 200"))
        }
    }
}
