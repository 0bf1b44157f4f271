import TestSupport
import Foundation
import Testing
import KubeModel
@testable import DevCluster

/// An in-process API server with the built-in controllers running, as `DevCluster.start` wires it.
private struct ControlPlane {
    let server: APIServer

    init() throws {
        server = APIServer(store: try ObjectStore())
        CRDController(server: server).start()
        BuiltInControllers.start(server)
        try Bootstrap.ensureSystemNamespaces(server)
    }

    func definition(_ group: String, _ resource: String) throws -> ResourceDefinition {
        try #require(server.registry.anyVersion(of: StorageKey(group: group, resource: resource)))
    }

    @discardableResult
    func create(_ resource: String, namespace: String?, _ body: JSONValue) throws -> JSONValue {
        try server.create(try definition("", resource), namespace: namespace, body: body,
                          options: WriteOptions(fieldManager: "tests")).object
    }

    func get(_ resource: String, namespace: String = "", _ name: String) -> JSONValue? {
        server.store.get(StorageKey(group: "", resource: resource), ObjectKey(namespace: namespace, name: name))
    }

    func delete(_ resource: String, namespace: String?, _ name: String,
                propagation: APIServer.DeleteOptions.Propagation? = nil) throws {
        var options = APIServer.DeleteOptions()
        options.propagation = propagation
        _ = try server.delete(try definition("", resource), namespace: namespace, name: name, options: options)
    }

    /// A ConfigMap, optionally owned by others.
    @discardableResult
    func configMap(_ name: String, namespace: String = "default", owners: [JSONValue] = [],
                   finalizers: [String] = []) throws -> JSONValue {
        var metadata: JSONValue = ["name": .string(name)]
        if !owners.isEmpty { metadata["ownerReferences"] = .array(owners) }
        if !finalizers.isEmpty { metadata["finalizers"] = .array(finalizers.map { .string($0) }) }
        return try create("configmaps", namespace: namespace, ["apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata])
    }
}

private func ownerReference(to object: JSONValue, block: Bool = false) -> JSONValue {
    ["apiVersion": object["apiVersion"] ?? "", "kind": object["kind"] ?? "", "name": object[path: ["metadata", "name"]] ?? "",
     "uid": object[path: ["metadata", "uid"]] ?? "", "blockOwnerDeletion": .bool(block)]
}

@Suite("Garbage collector")
struct GarbageCollectorTests {
    @Test("background deletion removes dependents, recursively")
    func backgroundCascade() async throws {
        let cluster = try ControlPlane()
        let owner = try cluster.configMap("owner")
        let child = try cluster.configMap("child", owners: [ownerReference(to: owner)])
        try cluster.configMap("grandchild", owners: [ownerReference(to: child)])
        try cluster.configMap("bystander")

        try cluster.delete("configmaps", namespace: "default", "owner")

        #expect(await eventually { cluster.get("configmaps", namespace: "default", "grandchild") == nil })
        #expect(cluster.get("configmaps", namespace: "default", "child") == nil)
        #expect(cluster.get("configmaps", namespace: "default", "bystander") != nil)
    }

    @Test("foreground deletion keeps the owner until blocking dependents are gone")
    func foregroundWaitsForDependents() async throws {
        let cluster = try ControlPlane()
        let owner = try cluster.configMap("owner")
        // The finalizer holds the dependent after the collector deletes it, so the wait is visible.
        try cluster.configMap("held", owners: [ownerReference(to: owner, block: true)], finalizers: ["example.com/hold"])
        try cluster.configMap("loose", owners: [ownerReference(to: owner)])

        try cluster.delete("configmaps", namespace: "default", "owner", propagation: .foreground)

        #expect(await eventually {
            cluster.get("configmaps", namespace: "default", "held").map(ObjectMetaRules.isDeleting) == true
                && cluster.get("configmaps", namespace: "default", "loose") == nil
        })
        let waiting = try #require(cluster.get("configmaps", namespace: "default", "owner"))
        #expect(ObjectMetaRules.isDeleting(waiting))
        #expect(ObjectMetaRules.finalizers(waiting) == ["foregroundDeletion"])

        var held = try #require(cluster.get("configmaps", namespace: "default", "held"))
        held[path: ["metadata", "finalizers"]] = nil
        _ = try cluster.server.update(try cluster.definition("", "configmaps"), namespace: "default", name: "held", body: held,
                                      subresource: nil, options: WriteOptions(fieldManager: "tests"))

        #expect(await eventually { cluster.get("configmaps", namespace: "default", "owner") == nil })
        #expect(cluster.get("configmaps", namespace: "default", "held") == nil)
    }

    @Test("foreground deletion goes down the tree before the owner goes")
    func foregroundRecursive() async throws {
        let cluster = try ControlPlane()
        let owner = try cluster.configMap("owner")
        let child = try cluster.configMap("child", owners: [ownerReference(to: owner, block: true)])
        try cluster.configMap("grandchild", owners: [ownerReference(to: child, block: true)], finalizers: ["example.com/hold"])

        try cluster.delete("configmaps", namespace: "default", "owner", propagation: .foreground)

        // The child is deleted in the foreground too: it waits for the held grandchild, the owner for it.
        #expect(await eventually {
            cluster.get("configmaps", namespace: "default", "grandchild").map(ObjectMetaRules.isDeleting) == true
        })
        let waitingChild = try #require(cluster.get("configmaps", namespace: "default", "child"))
        #expect(ObjectMetaRules.finalizers(waitingChild) == ["foregroundDeletion"])
        #expect(cluster.get("configmaps", namespace: "default", "owner") != nil)

        var grandchild = try #require(cluster.get("configmaps", namespace: "default", "grandchild"))
        grandchild[path: ["metadata", "finalizers"]] = nil
        _ = try cluster.server.update(try cluster.definition("", "configmaps"), namespace: "default", name: "grandchild",
                                      body: grandchild, subresource: nil, options: WriteOptions(fieldManager: "tests"))

        #expect(await eventually { cluster.get("configmaps", namespace: "default", "owner") == nil })
        #expect(cluster.get("configmaps", namespace: "default", "child") == nil)
    }

    @Test("orphan deletion keeps dependents and removes their reference to the owner")
    func orphan() async throws {
        let cluster = try ControlPlane()
        let owner = try cluster.configMap("owner")
        let other = try cluster.configMap("other-owner")
        try cluster.configMap("child", owners: [ownerReference(to: owner, block: true), ownerReference(to: other)])
        try cluster.configMap("only-child", owners: [ownerReference(to: owner)])

        try cluster.delete("configmaps", namespace: "default", "owner", propagation: .orphan)

        #expect(await eventually { cluster.get("configmaps", namespace: "default", "owner") == nil })
        let child = try #require(cluster.get("configmaps", namespace: "default", "child"))
        #expect(OwnerReference.all(of: child).map(\.name) == ["other-owner"])
        let onlyChild = try #require(cluster.get("configmaps", namespace: "default", "only-child"))
        #expect(onlyChild[path: ["metadata", "ownerReferences"]] == nil)
    }

    @Test("dependents of owners that do not exist are deleted; owners are looked up in the right scope")
    func danglingOwners() async throws {
        let cluster = try ControlPlane()
        for name in ["a", "b"] {
            try cluster.create("namespaces", namespace: nil, ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]])
        }
        let ownerInA = try cluster.configMap("owner", namespace: "a")
        let defaultNamespace = try #require(cluster.get("namespaces", "default"))
        // Survivors: a namespaced dependent of a cluster-scoped owner, and a cluster-scoped
        // dependent naming a namespaced kind (unresolvable: left alone, as the real collector does).
        try cluster.configMap("owned-by-namespace", namespace: "a", owners: [ownerReference(to: defaultNamespace)])
        try cluster.create("namespaces", namespace: nil, [
            "apiVersion": "v1", "kind": "Namespace",
            "metadata": ["name": "cluster-scoped", "ownerReferences": [ownerReference(to: ownerInA)]],
        ])
        try cluster.configMap("sibling", namespace: "a", owners: [ownerReference(to: ownerInA)])

        // Dangling: the same owner named from another namespace, an owner that never existed, and
        // one deleted before its dependent was created.
        try cluster.configMap("cross-namespace", namespace: "b", owners: [ownerReference(to: ownerInA)])
        try cluster.configMap("never", owners: [["apiVersion": "v1", "kind": "ConfigMap", "name": "ghost",
                                                 "uid": "00000000-0000-0000-0000-000000000000"]])
        let gone = try cluster.configMap("gone")
        try cluster.delete("configmaps", namespace: "default", "gone")
        try cluster.configMap("late", owners: [ownerReference(to: gone)])

        #expect(await eventually {
            cluster.get("configmaps", namespace: "b", "cross-namespace") == nil
                && cluster.get("configmaps", namespace: "default", "never") == nil
                && cluster.get("configmaps", namespace: "default", "late") == nil
        })
        // Events are handled in order, so the survivors (created first) were judged already.
        #expect(cluster.get("configmaps", namespace: "a", "owned-by-namespace") != nil)
        #expect(cluster.get("namespaces", "cluster-scoped") != nil)
        #expect(cluster.get("configmaps", namespace: "a", "sibling") != nil)
    }

    @Test("deleting a cluster-scoped owner removes its namespaced dependents")
    func clusterScopedOwner() async throws {
        let cluster = try ControlPlane()
        let node = try cluster.create("nodes", namespace: nil, ["apiVersion": "v1", "kind": "Node", "metadata": ["name": "node-x"]])
        try cluster.configMap("on-node", owners: [ownerReference(to: node)])

        try cluster.delete("nodes", namespace: nil, "node-x")

        #expect(await eventually { cluster.get("configmaps", namespace: "default", "on-node") == nil })
    }

    @Test("custom resources own objects at any served version; references to kinds not yet served wait for their CRD")
    func customResourceOwners() async throws {
        let cluster = try ControlPlane()
        func crd(_ plural: String, _ kind: String) -> JSONValue {
            let schema: JSONValue = ["type": "object", "x-kubernetes-preserve-unknown-fields": true]
            return ["apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
                    "metadata": ["name": .string("\(plural).example.com")],
                    "spec": ["group": "example.com", "scope": "Namespaced",
                             "names": ["plural": .string(plural), "singular": .string(kind.lowercased()), "kind": .string(kind)],
                             "versions": [["name": "v1", "served": true, "storage": true, "schema": ["openAPIV3Schema": schema]],
                                          ["name": "v1beta1", "served": true, "storage": false, "schema": ["openAPIV3Schema": schema]]]]]
        }
        let crds = try cluster.definition("apiextensions.k8s.io", "customresourcedefinitions")
        _ = try cluster.server.create(crds, namespace: nil, body: crd("gadgets", "Gadget"), options: WriteOptions(fieldManager: "tests"))
        let gadgets = try #require(cluster.server.registry.lookup(group: "example.com", version: "v1", resource: "gadgets"))
        let gadget = try cluster.server.create(gadgets, namespace: "default", body: [
            "apiVersion": "example.com/v1", "kind": "Gadget", "metadata": ["name": "g1"],
        ], options: WriteOptions(fieldManager: "tests")).object
        var olderVersion = ownerReference(to: gadget)
        olderVersion["apiVersion"] = "example.com/v1beta1"
        try cluster.configMap("gadget-config", owners: [olderVersion])
        // Widgets are not served yet: the reference cannot be checked, so the dependent waits.
        try cluster.configMap("widget-config", owners: [["apiVersion": "example.com/v1", "kind": "Widget", "name": "w1",
                                                         "uid": "11111111-1111-1111-1111-111111111111"]])
        try cluster.configMap("sentinel", owners: [["apiVersion": "v1", "kind": "ConfigMap", "name": "ghost",
                                                    "uid": "22222222-2222-2222-2222-222222222222"]])
        #expect(await eventually { cluster.get("configmaps", namespace: "default", "sentinel") == nil })
        #expect(cluster.get("configmaps", namespace: "default", "gadget-config") != nil)
        #expect(cluster.get("configmaps", namespace: "default", "widget-config") != nil)

        _ = try cluster.server.delete(gadgets, namespace: "default", name: "g1", options: APIServer.DeleteOptions())
        #expect(await eventually { cluster.get("configmaps", namespace: "default", "gadget-config") == nil })

        // Once Widgets are served, the widget w1 is known not to exist.
        _ = try cluster.server.create(crds, namespace: nil, body: crd("widgets", "Widget"), options: WriteOptions(fieldManager: "tests"))
        #expect(await eventually { cluster.get("configmaps", namespace: "default", "widget-config") == nil })
    }

    @Test("a dependent with one owner left keeps living without its dangling references")
    func partialOwnership() async throws {
        let cluster = try ControlPlane()
        let first = try cluster.configMap("first")
        let second = try cluster.configMap("second")
        try cluster.configMap("shared", owners: [ownerReference(to: first), ownerReference(to: second)])

        try cluster.delete("configmaps", namespace: "default", "first")

        #expect(await eventually {
            cluster.get("configmaps", namespace: "default", "shared").map { OwnerReference.all(of: $0).map(\.name) } == ["second"]
        })
        try cluster.delete("configmaps", namespace: "default", "second")
        #expect(await eventually { cluster.get("configmaps", namespace: "default", "shared") == nil })
    }

    @Test("the index follows owner references added and removed by updates")
    func indexFollowsUpdates() {
        var index = DependentIndex()
        let a = ObjectLocation(storageKey: StorageKey(group: "", resource: "configmaps"), objectKey: ObjectKey(namespace: "x", name: "a"))
        let b = ObjectLocation(storageKey: StorageKey(group: "", resource: "configmaps"), objectKey: ObjectKey(namespace: "x", name: "b"))
        index.record(a, owners: ["u1", "u2"])
        index.record(b, owners: ["u1"])
        #expect(index.dependents(of: "u1") == [a, b])
        index.record(a, owners: ["u2"])
        #expect(index.dependents(of: "u1") == [b])
        #expect(index.dependents(of: "u2") == [a])
        index.record(b, owners: [])
        #expect(!index.hasDependents("u1"))
    }
}
