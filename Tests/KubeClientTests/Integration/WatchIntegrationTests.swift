import TestSupport
import Foundation
import KubeClient
import KubeModel
import Testing

@Suite("Watches and informers against an API server")
struct WatchIntegrationTests {
    static let fastBackoff = Backoff(initial: .milliseconds(100), maximum: .seconds(1), factor: 2, jitter: 0.5)

    @Test("an informer follows writes across watches the server keeps closing, without relisting")
    func serverClosesStreams() async throws {
        try await withTestCluster { cluster in
            let configMaps = try cluster.client().resource(.configMaps)
            for index in 0..<5 { _ = try await configMaps.create(["metadata": ["name": .string("w\(index)")], "data": ["n": "0"]]) }
            let source = InstrumentedListerWatcher(configMaps.listerWatcher(namespace: cluster.namespace))
            let informer = SharedInformer(name: "cm", listerWatcher: source, backoff: Self.fastBackoff, watchTimeoutSeconds: 1...1)
            let observed = ObservedEvents()
            informer.addEventHandler(observed.handler)
            let run = Task { await informer.run() }
            defer { run.cancel() }
            #expect(await informer.waitForSync())

            // Writes spread over a few seconds, so that several 1-second watches end in between.
            for step in 1...40 {
                let name = "w\(step % 4)"
                _ = try await configMaps.patch(name, kind: .merge, patch: ["data": ["n": .string(String(step))]])
                if step == 20 { try await configMaps.delete("w4") }
                if step == 30 { _ = try await configMaps.create(["metadata": ["name": "w5"]]) }
                try await Task.sleep(for: .milliseconds(75))
            }
            let final = try await configMaps.listAll(namespace: cluster.namespace)
            #expect(await eventually { informer.cacheEquals(final) })
            #expect(source.watchCalls.count >= 2, "the server closed watches and they were reopened")
            #expect(source.listCalls == 1, "a closed watch resumes from its resourceVersion")
            #expect(observed.duplicates.isEmpty)
            #expect(observed.lastResourceVersions == Dictionary(uniqueKeysWithValues: final.items.map { ($0.objectKey, $0.metaResourceVersion!) }))
        }
    }

    @Test("a forced 410 Gone relists and ends with the server's exact state",
          .enabled(if: !TestCluster.isExternal, "compacts DevCluster's event log"))
    func forcedGone() async throws {
        try await withTestCluster { cluster in
            let configMaps = try cluster.client().resource(.configMaps)
            for name in ["keep", "change", "remove"] { _ = try await configMaps.create(["metadata": ["name": .string(name)]]) }
            let source = InstrumentedListerWatcher(configMaps.listerWatcher(namespace: cluster.namespace))
            let informer = SharedInformer(name: "cm", listerWatcher: source, backoff: Self.fastBackoff, watchTimeoutSeconds: 1...1)
            let observed = ObservedEvents()
            informer.addEventHandler(observed.handler)
            let run = Task { await informer.run() }
            defer { run.cancel() }
            #expect(await informer.waitForSync())

            // Catch the informer between two watches, change the world, and forget the history.
            source.holdWatches()
            #expect(await eventually { source.heldWatches == 1 })
            _ = try await configMaps.patch("change", kind: .merge, patch: ["data": ["v": "2"]])
            try await configMaps.delete("remove")
            _ = try await configMaps.create(["metadata": ["name": "new"]])
            cluster.devCluster!.store.compactEventLog()
            source.release()

            let final = try await configMaps.listAll(namespace: cluster.namespace)
            #expect(await eventually { informer.cacheEquals(final) })
            #expect(source.listCalls == 2, "410 Gone forced exactly one relist")
            #expect(observed.duplicates.isEmpty)
            #expect(observed.lastResourceVersions == Dictionary(uniqueKeysWithValues: final.items.map { ($0.objectKey, $0.metaResourceVersion!) }))
        }
    }

    @Test("an informer survives an API server restart", .enabled(if: !TestCluster.isExternal, "restarts DevCluster"))
    func serverRestart() async throws {
        let data = try TempDirectory()
        defer { data.remove() }
        let directory = URL(fileURLWithPath: data.path)
        let first = try await TestCluster.start(dataDirectory: directory)
        let config = try first.config()
        let port = URLComponents(string: config.server)!.port!
        let configMaps = KubeClient(config: config).resource(.configMaps)
        _ = try await configMaps.create(["metadata": ["name": "before"]])
        let informer = SharedInformer(name: "cm", listerWatcher: configMaps.listerWatcher(namespace: first.namespace),
                                      backoff: Self.fastBackoff)
        let observed = ObservedEvents()
        informer.addEventHandler(observed.handler)
        let run = Task { await informer.run() }
        defer { run.cancel() }
        #expect(await informer.waitForSync())
        _ = try await configMaps.create(["metadata": ["name": "watched"]])
        #expect(await eventually { informer.cache.count == 2 })

        await first.stop()
        // While it is down, requests fail fast with a transport error.
        await #expect(throws: TransportError.self) { _ = try await configMaps.get("before") }

        var configuration = DevClusterRestart(directory: directory, port: port)
        let second = try await configuration.start()
        defer { Task { await second.stop() } }
        _ = try await configMaps.patch("before", kind: .merge, patch: ["data": ["after": "restart"]])
        _ = try await configMaps.create(["metadata": ["name": "after"]])
        let final = try await configMaps.listAll(namespace: first.namespace)
        #expect(await eventually(timeout: .seconds(30)) { informer.cacheEquals(final) })
        #expect(observed.duplicates.isEmpty)
        #expect(observed.lastResourceVersions == Dictionary(uniqueKeysWithValues: final.items.map { ($0.objectKey, $0.metaResourceVersion!) }))
    }

    @Test("an informer over 5,000 objects matches a fresh list after random concurrent changes")
    func largeInformer() async throws {
        try await withTestCluster { cluster in
            let client = try cluster.client()
            let configMaps = client.resource(.configMaps)
            let total = 5000
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<8 {
                    group.addTask {
                        for index in stride(from: worker, to: total, by: 8) {
                            _ = try await configMaps.create(["metadata": ["name": .string("obj-\(index)"), "labels": ["shard": .string(String(index % 10))]],
                                                             "data": ["v": "0"]])
                        }
                    }
                }
                try await group.waitForAll()
            }
            let informer = SharedInformer(name: "cm", listerWatcher: configMaps.listerWatcher(namespace: cluster.namespace),
                                          backoff: Self.fastBackoff)
            let observed = ObservedEvents()
            informer.addEventHandler(observed.handler)
            let run = Task { await informer.run() }
            defer { run.cancel() }

            // Changes start while the informer is still listing.
            let random = SeededRandom(seed: 7)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<4 {
                    group.addTask {
                        for step in 0..<150 {
                            let index = Int(random.nextUnit() * Double(total + 200))
                            let name = "obj-\(index)"
                            do {
                                switch Int(random.nextUnit() * 3) {
                                case 0: _ = try await configMaps.patch(name, kind: .merge, patch: ["data": ["v": .string("\(worker)-\(step)")]])
                                case 1: try await configMaps.delete(name)
                                default: _ = try await configMaps.create(["metadata": ["name": .string(name)]])
                                }
                            } catch let error as KubeAPIError where error.code == .notFound || error.code == .alreadyExists {
                                // Random targets may be gone or present already; that is part of the churn.
                            }
                        }
                    }
                }
                group.addTask { _ = await informer.waitForSync() }
                try await group.waitForAll()
            }
            let final = try await configMaps.listAll(namespace: cluster.namespace)
            #expect(await eventually(timeout: .seconds(60)) { informer.cacheEquals(final) })
            #expect(informer.cache.count == final.items.count)
            #expect(observed.duplicates.isEmpty)
            #expect(informer.cache.byLabel("shard", "3").count == final.items.filter { $0.metaLabels["shard"] == "3" }.count)
        }
    }
}
