import Foundation
import Testing
import NIOCore
@testable import DevCluster
import KubeModel
import TestSupport

/// A watcher is sent events at the pace it reads them; one that falls too far behind is ended,
/// as kube-apiserver ends a watcher that stops keeping up, and what it held is freed.
@Suite struct WatchBufferTests {
    private static func line(_ size: Int) -> ByteBuffer { ByteBuffer(repeating: UInt8(ascii: "x"), count: size) }

    @Test func outboxHoldsEventsUpToItsLimitThenOverflowsEmpty() {
        var outbox = WatchOutbox(limit: 1000)
        for _ in 0..<10 { #expect(outbox.append(Self.line(100)) == .queued) }
        #expect(outbox.queuedBytes == 1000)
        #expect(outbox.append(Self.line(1)) == .overflow)
        #expect(outbox.isEmpty)
        #expect(outbox.queuedBytes == 0)
    }

    @Test func outboxTakesOneEventLargerThanItsLimitWhenEmpty() {
        var outbox = WatchOutbox(limit: 100)
        #expect(outbox.append(Self.line(500)) == .queued)
        #expect(outbox.popFirst()?.readableBytes == 500)
        #expect(outbox.queuedBytes == 0)
    }

    @Test func outboxQueuesTheEventsAWatchStartsWithBeyondItsLimit() {
        var outbox = WatchOutbox(limit: 100)
        for _ in 0..<10 { outbox.appendInitial(Self.line(100)) }
        #expect(outbox.queuedBytes == 0)
        #expect(outbox.append(Self.line(100)) == .queued)
        #expect(outbox.append(Self.line(1)) == .overflow)
        #expect(outbox.isEmpty)
    }

    @Test func watcherResumingFarBehindCatchesUpAtItsOwnPace() async throws {
        try await PlainCluster.run({ $0.connectionLimits.watchBufferBytes = 16 * 1024 }) { cluster in
            let from = cluster.store.currentRevision
            let padding = String(repeating: "p", count: 4096)
            for index in 0..<3000 {
                cluster.call("POST", "/api/v1/namespaces/default/configmaps",
                             ["metadata": ["name": .string("replayed-\(index)")], "data": ["pad": .string(padding)]])
            }
            // A small receive buffer: the replay cannot hide in kernel buffers, it waits in the outbox.
            let watch = try RawHTTPConnection(port: cluster.port, receiveBuffer: 4096)
            try watch.send("GET /api/v1/namespaces/default/configmaps?watch=1&resourceVersion=\(from) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            let marker = Array("replayed-2999".utf8)
            let (bytes, closed) = watch.read { $0.suffix(8192).firstRange(of: marker) != nil }
            #expect(!closed)
            #expect(String(decoding: bytes, as: UTF8.self).matches(of: /"type":"ADDED"/).count == 3000)
        }
    }

    @Test func watcherThatNeverReadsIsClosedAndForgotten() async throws {
        try await PlainCluster.run({ $0.connectionLimits.watchBufferBytes = 64 * 1024 }) { cluster in
            let baseline = cluster.store.watcherCount
            let padding = String(repeating: "p", count: 2048)
            #expect(cluster.call("POST", "/api/v1/namespaces/default/configmaps",
                                 ["metadata": ["name": "churn"], "data": ["n": "0"]]).status == 201)
            let stalled = try RawHTTPConnection(port: cluster.port, receiveBuffer: 4096)
            try stalled.send("GET /api/v1/configmaps?watch=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            #expect(await eventually { cluster.store.watcherCount == baseline + 1 })

            // Kernel buffers take a few MiB before the server sees the client lag at all; the
            // bound is what the server keeps beyond them. Stop writing as soon as it gives up.
            var updates = 0
            while updates < 20_000, cluster.store.watcherCount > baseline {
                for _ in 0..<100 {
                    updates += 1
                    cluster.call("PATCH", "/api/v1/namespaces/default/configmaps/churn",
                                 ["data": ["n": .string(String(updates)), "pad": .string(padding)]],
                                 contentType: "application/merge-patch+json")
                }
                await Task.yield()
            }
            #expect(await eventually { cluster.store.watcherCount == baseline })
            #expect(updates < 20_000)
            #expect(stalled.readUntilClosed().closed)
        }
    }

    @Test func watcherThatReadsGetsEveryEventInOrder() async throws {
        try await PlainCluster.run { cluster in
            let created = cluster.call("POST", "/api/v1/namespaces/default/configmaps",
                                       ["metadata": ["name": "followed"], "data": ["n": "0"]])
            let from = created.body[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""
            let watch = try RawHTTPConnection(port: cluster.port)
            try watch.send("GET /api/v1/namespaces/default/configmaps?watch=1&resourceVersion=\(from) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            let count = 2000
            var last = ""
            for n in 1...count {
                let answer = cluster.call("PATCH", "/api/v1/namespaces/default/configmaps/followed",
                                          ["data": ["n": .string(String(n))]], contentType: "application/merge-patch+json")
                last = answer.body[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""
            }
            let marker = Array("\"resourceVersion\":\"\(last)\"".utf8)
            let (bytes, _) = watch.read { $0.suffix(4096).firstRange(of: marker) != nil }
            let text = String(decoding: bytes, as: UTF8.self)
            let values = text.matches(of: /"n":"(\d+)"/).map { Int($0.output.1) ?? 0 }
            let versions = text.matches(of: /"resourceVersion":"(\d+)"/).map { Int($0.output.1) ?? 0 }
            #expect(values == Array(1...count))
            #expect(versions.count == count)
            #expect(zip(versions, versions.dropFirst()).allSatisfy { $0 < $1 })
        }
    }
}
