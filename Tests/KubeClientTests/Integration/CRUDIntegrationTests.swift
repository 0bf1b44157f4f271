import Foundation
import KubeClient
import KubeModel
import Testing

/// A typed ConfigMap, enough for round trips.
struct ConfigMap: KubeResource, Equatable {
    static let descriptor = ResourceDescriptor.configMaps
    struct Metadata: Codable, Sendable, Equatable {
        var name: String
        var namespace: String?
        var resourceVersion: String?
        var uid: String?
        var labels: [String: String]?
    }
    var apiVersion = "v1"
    var kind = "ConfigMap"
    var metadata: Metadata
    var data: [String: String]?
}

@Suite("CRUD and patch against an API server")
struct CRUDIntegrationTests {
    @Test("dynamic create, get, update, conflict, patch (merge, JSON, apply) and delete with preconditions")
    func dynamicRoundTrip() async throws {
        try await withTestCluster { cluster in
            let client = try cluster.client()
            let configMaps = client.resource(.configMaps)
            let created = try await configMaps.create(["metadata": ["name": "settings", "labels": ["app": "web"]], "data": ["mode": "a"]])
            #expect(created.metaNamespace == cluster.namespace)
            #expect(created.metaUID != nil)

            await #expect(throws: KubeAPIError.self) { _ = try await configMaps.create(["metadata": ["name": "settings"]]) }
            do {
                _ = try await configMaps.create(["metadata": ["name": "settings"]])
            } catch let error as KubeAPIError {
                #expect(error.code == .alreadyExists)
            }

            var fetched = try await configMaps.get("settings")
            #expect(fetched[path: ["data", "mode"]] == "a")
            fetched[path: ["data", "mode"]] = "b"
            let updated = try await configMaps.update(fetched)
            #expect(updated[path: ["data", "mode"]] == "b")
            #expect(updated.metaResourceVersion != fetched.metaResourceVersion)

            // Writing the stale copy again is a conflict.
            do {
                _ = try await configMaps.update(fetched)
                Issue.record("a stale update must fail")
            } catch let error as KubeAPIError {
                #expect(error.code == .conflict)
                #expect(error.httpStatus == 409)
            }

            let merged = try await configMaps.patch("settings", kind: .merge, patch: ["data": ["extra": "1"]])
            #expect(merged[path: ["data", "extra"]] == "1" && merged[path: ["data", "mode"]] == "b")
            let jsonPatched = try await configMaps.patch("settings", kind: .json, patch: [["op": "remove", "path": "/data/extra"]])
            #expect(jsonPatched[path: ["data", "extra"]] == nil)
            let applied = try await configMaps.patch("settings", kind: .apply(fieldManager: "causeway-test", force: true),
                                                     patch: ["apiVersion": "v1", "kind": "ConfigMap",
                                                             "metadata": ["name": "settings"], "data": ["applied": "yes"]])
            #expect(applied[path: ["data", "applied"]] == "yes")
            let managers = applied[path: ["metadata", "managedFields"]]?.arrayValue?.compactMap { $0["manager"]?.stringValue } ?? []
            #expect(managers.contains("causeway-test"))

            do {
                try await configMaps.delete("settings", options: DeleteOptions(preconditionUID: "not-the-uid"))
                Issue.record("a delete with a wrong uid precondition must fail")
            } catch let error as KubeAPIError {
                #expect(error.code == .conflict)
            }
            try await configMaps.delete("settings", options: DeleteOptions(preconditionUID: created.metaUID, propagationPolicy: .background))
            do {
                _ = try await configMaps.get("settings")
                Issue.record("deleted object still readable")
            } catch let error as KubeAPIError {
                #expect(error.code == .notFound)
                #expect(error.description.contains("settings"))
            }
        }
    }

    @Test("invalid objects come back as Invalid with field causes")
    func invalid() async throws {
        try await withTestCluster { cluster in
            do {
                _ = try await cluster.client().resource(.configMaps).create(["metadata": ["name": "Not_Valid"]])
                Issue.record("expected Invalid")
            } catch let error as KubeAPIError {
                #expect(error.code == .invalid)
                #expect(error.causes.contains { $0.field == "metadata.name" })
            }
        }
    }

    @Test("typed objects round trip, and status goes only through the status subresource")
    func typedAndStatus() async throws {
        try await withTestCluster { cluster in
            let client = try cluster.client()
            let typed = client.typed(ConfigMap.self)
            let made = try await typed.create(ConfigMap(metadata: .init(name: "typed", labels: ["tier": "x"]), data: ["k": "v"]))
            #expect(made.metadata.namespace == cluster.namespace)
            var changed = made
            changed.data?["k"] = "w"
            let updated = try await typed.update(changed)
            #expect(updated.data == ["k": "w"])
            #expect(try await typed.get("typed") == updated)
            let patched = try await typed.patch("typed", kind: .merge, patch: ["data": ["n": "2"]])
            #expect(patched.data?["n"] == "2")

            let pods = client.resource(.pods)
            let pod = try await pods.create(["metadata": ["name": "p"],
                                             "spec": ["containers": [["name": "c", "image": "busybox"]]]])
            var withStatus = pod
            withStatus[path: ["status", "phase"]] = "Running"
            // A main-resource update ignores status...
            let afterUpdate = try await pods.update(withStatus)
            #expect(afterUpdate[path: ["status", "phase"]] != "Running")
            // ...the status subresource sets it.
            var statusWrite = afterUpdate
            statusWrite[path: ["status", "phase"]] = "Running"
            let afterStatus = try await pods.updateStatus(statusWrite)
            #expect(afterStatus[path: ["status", "phase"]] == "Running")
            let statusPatched = try await pods.patch("p", kind: .merge, patch: ["status": ["phase": "Succeeded"]], subresource: "status")
            #expect(statusPatched[path: ["status", "phase"]] == "Succeeded")
        }
    }

    @Test("lists filter by label and page with limit/continue")
    func listing() async throws {
        try await withTestCluster { cluster in
            let configMaps = try cluster.client().resource(.configMaps)
            for index in 0..<7 {
                _ = try await configMaps.create(["metadata": ["name": .string("cm-\(index)"), "labels": ["parity": index % 2 == 0 ? "even" : "odd"]]])
            }
            let even = try await configMaps.listAll(namespace: cluster.namespace, options: ListOptions(labelSelector: "parity=even"))
            #expect(Set(even.items.compactMap(\.metaName)) == ["cm-0", "cm-2", "cm-4", "cm-6"])
            let firstPage = try await configMaps.list(namespace: cluster.namespace, options: ListOptions(limit: 3))
            #expect(firstPage.items.count == 3)
            #expect(firstPage.continueToken != nil)
            let all = try await configMaps.listAll(namespace: cluster.namespace, options: ListOptions(limit: 3))
            #expect(Set(all.items.compactMap(\.metaName)) == Set((0..<7).map { "cm-\($0)" }))
            #expect(!all.resourceVersion.isEmpty)
        }
    }
}
