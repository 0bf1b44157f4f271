import TestSupport
import KubeModel
@testable import KubeClient
import Synchronization
import Testing

/// Records what handlers saw.
final class HandlerLog: Sendable {
    let entries = Locked<[String]>([])
    var all: [String] { entries.withLock { $0 } }

    var handler: EventHandler {
        EventHandler(
            onAdd: { object in self.entries.withLock { $0.append("add \(object.objectKey)") } },
            onUpdate: { old, new in
                self.entries.withLock { $0.append(old == new ? "resync \(new.objectKey)" : "update \(new.objectKey)") }
            },
            onDelete: { object in self.entries.withLock { $0.append("delete \(object.objectKey)") } })
    }

    func count(_ prefix: String) -> Int { all.filter { $0.hasPrefix(prefix) }.count }
}

@Suite("Shared informer over a fake lister-watcher")
struct InformerTests {
    struct Harness {
        let fake = FakeListerWatcher()
        let clock = ManualClock()
        let log = HandlerLog()
        let informer: SharedInformer

        init(resync: Duration? = nil, indexers: [String: ObjectCache.IndexFunction] = [:]) {
            informer = SharedInformer(name: "configmaps", listerWatcher: fake, indexers: indexers, resyncPeriod: resync,
                                      clock: clock, random: FixedRandom(0))
            informer.addEventHandler(log.handler)
        }

        /// Lets the informer through any backoff waits on the manual clock until `condition` holds.
        func drive(until condition: @Sendable () -> Bool) async -> Bool {
            await eventually {
                if condition() { return true }
                if let deadline = clock.nextDeadline { clock.advance(by: .seconds(double: deadline.timeIntervalSince(clock.now()))) }
                return condition()
            }
        }

        /// The cache holds exactly what the fake server holds (modulo stripped managedFields).
        func cacheMatchesServer() -> Bool {
            let server = fake.objects.mapValues { ObjectTransform.stripManagedFields.apply($0) }
            let cached = Dictionary(uniqueKeysWithValues: informer.cache.list().map { ($0.objectKey, $0) })
            return server == cached
        }
    }

    func running(_ harness: Harness, _ body: () async throws -> Void) async throws {
        let task = Task { await harness.informer.run() }
        defer { task.cancel() }
        #expect(await harness.informer.waitForSync())
        try await body()
        task.cancel()
        await task.value
    }

    @Test("lists, strips managedFields, then follows the watch")
    func listThenWatch() async throws {
        let h = Harness()
        h.fake.put(FakeListerWatcher.object("a"))
        h.fake.put(FakeListerWatcher.object("b", namespace: "other"))
        try await running(h) {
            #expect(h.informer.hasSynced)
            #expect(h.informer.cache.count == 2)
            #expect(h.informer.cache.get("default/a")?[path: ["metadata", "managedFields"]] == nil)
            #expect(await eventually { h.fake.activeWatchers == 1 })
            h.fake.put(FakeListerWatcher.object("a", data: "changed"))
            h.fake.put(FakeListerWatcher.object("c"))
            h.fake.delete("other/b")
            #expect(await eventually { h.log.count("delete") == 1 })
            #expect(h.cacheMatchesServer())
            #expect(h.log.all.sorted() == ["add default/a", "add default/c", "add other/b", "delete other/b", "update default/a"])
            #expect(h.informer.cache.byNamespace("default").count == 2)
        }
    }

    @Test("a watch closed by the server resumes from the last resourceVersion, bookmarks included, without relisting")
    func resumesAfterClose() async throws {
        let h = Harness()
        h.fake.put(FakeListerWatcher.object("a"))
        try await running(h) {
            #expect(await eventually { h.fake.activeWatchers == 1 })
            h.fake.put(FakeListerWatcher.object("b"))
            #expect(await eventually { h.informer.cache.count == 2 })
            h.fake.closeWatches()
            #expect(await eventually { h.fake.activeWatchers == 1 })
            #expect(h.fake.watchCalls == ["1", "2"])
            h.fake.put(FakeListerWatcher.object("c"))
            h.fake.bookmark()
            // Changes made while no watch is open are picked up from the log on resumption.
            #expect(await eventually { h.informer.lastResourceVersion == "3" })
            h.fake.closeWatches()
            h.fake.put(FakeListerWatcher.object("d"))
            #expect(await eventually { h.informer.cache.count == 4 })
            #expect(h.fake.listCalls == 1)
            #expect(h.fake.watchCalls.last == "3")
            #expect(h.log.count("add") == 4)
            #expect(h.cacheMatchesServer())
        }
    }

    @Test("410 Gone relists and replaces the cache, as an HTTP error or as an ERROR event",
          arguments: [FakeListerWatcher.WatchFailure.httpGone, .errorEventGone])
    func goneRelists(failure: FakeListerWatcher.WatchFailure) async throws {
        let h = Harness()
        h.fake.put(FakeListerWatcher.object("keep"))
        h.fake.put(FakeListerWatcher.object("remove"))
        try await running(h) {
            #expect(await eventually { h.fake.activeWatchers == 1 })
            h.fake.failNextWatch(failure)
            h.fake.closeWatches()
            // The next watch fails with 410 (after a short pause, as the closed watch had delivered nothing).
            #expect(await h.drive { h.fake.listCalls == 2 && h.fake.activeWatchers == 1 })
            h.fake.delete("default/remove")
            h.fake.put(FakeListerWatcher.object("keep", data: "v2"))
            #expect(await eventually { h.cacheMatchesServer() })
            #expect(h.log.count("delete") == 1)
        }
    }

    @Test("a compacted history during a disconnect forces a relist that reports deletions")
    func compactionDuringDisconnect() async throws {
        let h = Harness()
        for name in ["a", "b", "c"] { h.fake.put(FakeListerWatcher.object(name)) }
        try await running(h) {
            #expect(await eventually { h.fake.activeWatchers == 1 })
            h.fake.failNextWatch(.transport)
            h.fake.closeWatches()
            // The failed watch waits on the injected clock.
            #expect(await eventually { h.clock.sleeperCount == 1 })
            h.fake.delete("default/b")
            h.fake.put(FakeListerWatcher.object("d"))
            h.fake.compact()
            #expect(await h.drive { h.cacheMatchesServer() })
            #expect(h.fake.listCalls == 2)
            #expect(h.log.all.contains("delete default/b"))
            #expect(h.log.all.contains("add default/d"))
        }
    }

    @Test("list failures back off on the injected clock with growing waits")
    func listBackoff() async throws {
        let fake = FakeListerWatcher()
        let clock = ManualClock()
        fake.put(FakeListerWatcher.object("a"))
        fake.failNextLists(3)
        let informer = SharedInformer(name: "t", listerWatcher: fake, clock: clock, random: FixedRandom(0))
        let task = Task { await informer.run() }
        defer { task.cancel() }
        let start = clock.now()
        for attempt in 1...3 {
            #expect(await eventually { clock.sleeperCount == 1 && fake.listCalls == attempt })
            clock.advance(by: .seconds(clock.nextDeadline!.timeIntervalSince(clock.now())))
        }
        #expect(await informer.waitForSync())
        // 0.8 s + 1.6 s + 3.2 s with zero jitter.
        #expect(abs(clock.now().timeIntervalSince(start) - 5.6) < 0.001)
        #expect(informer.cache.count == 1)
    }

    @Test("resync re-announces every object on the injected clock")
    func resync() async throws {
        let h = Harness(resync: .seconds(30))
        h.fake.put(FakeListerWatcher.object("a"))
        h.fake.put(FakeListerWatcher.object("b"))
        try await running(h) {
            #expect(await eventually { h.clock.sleeperCount == 1 && h.fake.activeWatchers == 1 })
            h.clock.advance(by: .seconds(30))
            #expect(await eventually { h.log.count("resync") == 2 })
        }
    }

    @Test("custom indexers, label index, and late handlers hear existing objects")
    func indexers() async throws {
        let byGateway: ObjectCache.IndexFunction = { object in
            (object[path: ["spec", "parentRefs"]]?.arrayValue ?? []).compactMap { ref in
                ref["name"]?.stringValue.map { "\(ref["namespace"]?.stringValue ?? object.metaNamespace ?? "")/\($0)" }
            }
        }
        let h = Harness(indexers: ["gateway": byGateway])
        var route = FakeListerWatcher.object("r1", labels: ["app": "web"])
        route[path: ["spec", "parentRefs"]] = [["name": "gw"], ["name": "edge", "namespace": "infra"]]
        h.fake.put(route)
        h.fake.put(FakeListerWatcher.object("r2", labels: ["app": "api"]))
        try await running(h) {
            #expect(h.informer.cache.byIndex("gateway", "default/gw").map(\.objectKey) == ["default/r1"])
            #expect(h.informer.cache.byIndex("gateway", "infra/edge").map(\.objectKey) == ["default/r1"])
            #expect(h.informer.cache.byLabel("app", "api").map(\.objectKey) == ["default/r2"])
            // Moving a route to another parent moves it in the index.
            route[path: ["spec", "parentRefs"]] = [["name": "other"]]
            h.fake.put(route)
            #expect(await eventually { h.informer.cache.byIndex("gateway", "default/other").count == 1 })
            #expect(h.informer.cache.byIndex("gateway", "default/gw").isEmpty)
            let late = HandlerLog()
            h.informer.addEventHandler(late.handler)
            #expect(late.all.sorted() == ["add default/r1", "add default/r2"])
        }
    }
}
