import TestSupport
import Foundation
import Synchronization
import Testing
import KubeModel
@testable import DevCluster

/// An in-process API server with the built-in controllers running, as `DevCluster.start` wires it,
/// and the Service/Pod/EndpointSlice operations these tests need.
private struct ServiceCluster {
    let server: APIServer
    let namespace = "default"

    init() throws {
        server = APIServer(store: try ObjectStore())
        CRDController(server: server).start()
        BuiltInControllers.start(server)
        try Bootstrap.ensureSystemNamespaces(server)
    }

    func definition(_ group: String, _ resource: String) throws -> ResourceDefinition {
        try #require(server.registry.anyVersion(of: StorageKey(group: group, resource: resource)))
    }

    func service(_ name: String, selector: JSONValue?, ports: JSONValue) throws {
        var spec: JSONValue = ["ports": ports]
        if let selector { spec["selector"] = selector }
        _ = try server.create(try definition("", "services"), namespace: namespace,
                              body: ["apiVersion": "v1", "kind": "Service", "metadata": ["name": .string(name)], "spec": spec],
                              options: WriteOptions(fieldManager: "tests"))
    }

    /// A pod with an IP, Ready or not, as a kubelet would report it through the status subresource.
    func pod(_ name: String, labels: JSONValue, ip: String, ready: Bool, containerPorts: JSONValue = []) throws {
        _ = try server.create(try definition("", "pods"), namespace: namespace, body: [
            "apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name), "labels": labels],
            "spec": ["nodeName": "node-1", "containers": [["name": "app", "image": "nginx:1.27", "ports": containerPorts]]],
        ], options: WriteOptions(fieldManager: "tests"))
        try setStatus(name, ip: ip, ready: ready)
    }

    func setStatus(_ name: String, ip: String, ready: Bool) throws {
        var pod = try #require(server.store.get(StorageKey(group: "", resource: "pods"), ObjectKey(namespace: namespace, name: name)))
        pod["status"] = ["phase": "Running", "podIP": .string(ip), "podIPs": [["ip": .string(ip)]],
                         "conditions": [["type": "Ready", "status": ready ? "True" : "False"]]]
        _ = try server.update(try definition("", "pods"), namespace: namespace, name: name, body: pod, subresource: "status",
                              options: WriteOptions(fieldManager: "tests"))
    }

    func deletePod(_ name: String) throws {
        _ = try server.delete(try definition("", "pods"), namespace: namespace, name: name, options: APIServer.DeleteOptions())
    }

    func deleteService(_ name: String) throws {
        _ = try server.delete(try definition("", "services"), namespace: namespace, name: name, options: APIServer.DeleteOptions())
    }

    /// The slices labelled for a Service, sorted by name.
    func slices(of service: String) -> [JSONValue] {
        server.store.list(StorageKey(group: "discovery.k8s.io", resource: "endpointslices"), namespace: namespace).items
            .map(\.1)
            .filter { ObjectMetaRules.labels($0)["kubernetes.io/service-name"] == service }
    }

    /// The endpoints of a Service's slices, by pod name.
    func endpoints(of service: String) -> [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        for slice in slices(of: service) {
            for endpoint in slice["endpoints"]?.arrayValue ?? [] {
                result[endpoint[path: ["targetRef", "name"]]?.stringValue ?? ""] = endpoint
            }
        }
        return result
    }
}

@Suite("EndpointSlice controller")
struct EndpointSliceControllerTests {
    @Test("a Service's slice follows its pod: ready, not ready, deleted")
    func followsPodLifecycle() async throws {
        let cluster = try ServiceCluster()
        try cluster.service("web", selector: ["app": "web"], ports: [["name": "http", "port": 80, "targetPort": 8080]])
        try cluster.pod("web-1", labels: ["app": "web"], ip: "10.1.0.5", ready: true)
        try cluster.pod("other", labels: ["app": "other"], ip: "10.1.0.6", ready: true)

        // The placeholder slice made while no pod was ready takes the endpoint: still one slice.
        #expect(await eventually {
            cluster.endpoints(of: "web")["web-1"]?[path: ["conditions", "ready"]] == true && cluster.slices(of: "web").count == 1
        })
        let slices = cluster.slices(of: "web")
        try #require(slices.count == 1)
        let slice = slices[0]
        let service = try #require(cluster.server.store.get(StorageKey(group: "", resource: "services"),
                                                            ObjectKey(namespace: "default", name: "web")))
        let pod = try #require(cluster.server.store.get(StorageKey(group: "", resource: "pods"),
                                                        ObjectKey(namespace: "default", name: "web-1")))
        #expect(ObjectMetaRules.name(slice)?.hasPrefix("web-") == true)
        #expect(ObjectMetaRules.labels(slice)["endpointslice.kubernetes.io/managed-by"] == "endpointslice-controller.k8s.io")
        #expect(slice["addressType"] == "IPv4")
        #expect(slice["ports"] == [["name": "http", "protocol": "TCP", "port": 8080]])
        #expect(slice[path: ["metadata", "ownerReferences"]] == [[
            "apiVersion": "v1", "kind": "Service", "name": "web", "uid": service[path: ["metadata", "uid"]] ?? "",
            "controller": true, "blockOwnerDeletion": true,
        ]])
        #expect(slice["endpoints"] == [[
            "addresses": ["10.1.0.5"],
            "conditions": ["ready": true, "serving": true, "terminating": false],
            "nodeName": "node-1",
            "targetRef": ["kind": "Pod", "namespace": "default", "name": "web-1", "uid": pod[path: ["metadata", "uid"]] ?? ""],
        ]])

        try cluster.setStatus("web-1", ip: "10.1.0.5", ready: false)
        #expect(await eventually {
            cluster.endpoints(of: "web")["web-1"]?["conditions"] == ["ready": false, "serving": false, "terminating": false]
        })

        try cluster.deletePod("web-1")
        #expect(await eventually { cluster.endpoints(of: "web").isEmpty })
        // The Service keeps one empty placeholder slice, as the real controller does.
        #expect(cluster.slices(of: "web").count == 1)
        #expect(cluster.slices(of: "web").first?["endpoints"] == .null)
    }

    @Test("a named target port resolves per pod; pods without it go to a slice without that port")
    func namedTargetPort() async throws {
        let cluster = try ServiceCluster()
        try cluster.service("api", selector: ["app": "api"], ports: [["name": "grpc", "port": 443, "targetPort": "grpc-port"]])
        try cluster.pod("api-1", labels: ["app": "api"], ip: "10.1.0.7", ready: true,
                        containerPorts: [["name": "grpc-port", "containerPort": 9090]])
        try cluster.pod("api-2", labels: ["app": "api"], ip: "10.1.0.8", ready: true,
                        containerPorts: [["name": "metrics", "containerPort": 9100]])

        #expect(await eventually { cluster.endpoints(of: "api").count == 2 })
        let slices = cluster.slices(of: "api")
        let named = try #require(slices.first { $0["ports"] != .null })
        #expect(named["ports"] == [["name": "grpc", "protocol": "TCP", "port": 9090]])
        #expect(named["endpoints"]?.arrayValue?.compactMap { $0[path: ["targetRef", "name"]]?.stringValue } == ["api-1"])
        let unnamed = try #require(slices.first { $0["ports"] == .null })
        #expect(unnamed["endpoints"]?.arrayValue?.compactMap { $0[path: ["targetRef", "name"]]?.stringValue } == ["api-2"])
    }

    @Test("Services without a selector are left alone; a deleted Service loses its slices")
    func selectorlessAndDeleted() async throws {
        let cluster = try ServiceCluster()
        try cluster.service("a-manual", selector: nil, ports: [["port": 80]])
        try cluster.service("b-selected", selector: ["app": "b"], ports: [["port": 80]])
        try cluster.pod("b-1", labels: ["app": "b"], ip: "10.1.0.9", ready: true)

        #expect(await eventually { cluster.endpoints(of: "b-selected")["b-1"] != nil })
        // Services are synced in name order, so the selector-less one was handled already.
        #expect(cluster.slices(of: "a-manual").isEmpty)
        #expect(cluster.slices(of: "b-selected").first?["ports"] == [["name": "", "protocol": "TCP", "port": 80]])

        try cluster.deleteService("b-selected")
        #expect(await eventually { cluster.slices(of: "b-selected").isEmpty })
    }

    @Test("slices are rewritten only when their content changes")
    func noChurn() async throws {
        let cluster = try ServiceCluster()
        try cluster.service("web", selector: ["app": "web"], ports: [["port": 80]])
        try cluster.pod("web-1", labels: ["app": "web"], ip: "10.1.0.5", ready: true)
        #expect(await eventually { cluster.endpoints(of: "web")["web-1"] != nil && cluster.slices(of: "web").count == 1 })
        let sliceWrites = Mutex(0)
        cluster.server.onCommit { event in
            if event.storageKey.resource == "endpointslices" { sliceWrites.withLock { $0 += 1 } }
        }

        // A change the slice does not show (an annotation), then one it does (a new ready pod).
        var pod = try #require(cluster.server.store.get(StorageKey(group: "", resource: "pods"),
                                                        ObjectKey(namespace: "default", name: "web-1")))
        pod[path: ["metadata", "annotations"]] = ["note": "unrelated"]
        _ = try cluster.server.update(try cluster.definition("", "pods"), namespace: "default", name: "web-1", body: pod,
                                      subresource: nil, options: WriteOptions(fieldManager: "tests"))
        try cluster.pod("web-2", labels: ["app": "web"], ip: "10.1.0.6", ready: true)

        #expect(await eventually { cluster.endpoints(of: "web").count == 2 })
        #expect(cluster.slices(of: "web").count == 1)
        // The controller works serially: once the new pod's write is reported, an earlier write
        // for the annotation would have been reported before it.
        #expect(await eventually { sliceWrites.withLock { $0 } >= 1 })
        // One write for the new pod; under heavy parallel test load a sync queued before the
        // counter was installed may land one more. Churn would be a write per sync, unbounded.
        #expect(sliceWrites.withLock { $0 } <= 2)
    }
}

@Suite("EndpointSlice controller: more lifecycle")
struct EndpointSliceLifecycleTests {
    @Test("a pod relabelled out of the selector leaves the slice; a new Service port replaces the slice")
    func relabelAndPortChange() async throws {
        let cluster = try ServiceCluster()
        try cluster.service("web", selector: ["app": "web"], ports: [["port": 80]])
        try cluster.pod("web-1", labels: ["app": "web"], ip: "10.1.0.5", ready: true)
        try cluster.pod("web-2", labels: ["app": "web"], ip: "10.1.0.6", ready: true)
        #expect(await eventually { cluster.endpoints(of: "web").count == 2 && cluster.slices(of: "web").count == 1 })

        var pod = try #require(cluster.server.store.get(StorageKey(group: "", resource: "pods"),
                                                        ObjectKey(namespace: "default", name: "web-2")))
        pod[path: ["metadata", "labels"]] = ["app": "canary"]
        _ = try cluster.server.update(try cluster.definition("", "pods"), namespace: "default", name: "web-2", body: pod,
                                      subresource: nil, options: WriteOptions(fieldManager: "tests"))
        #expect(await eventually { Set(cluster.endpoints(of: "web").keys) == ["web-1"] })

        var service = try #require(cluster.server.store.get(StorageKey(group: "", resource: "services"),
                                                            ObjectKey(namespace: "default", name: "web")))
        service[path: ["spec", "ports"]] = [["name": "http", "port": 80, "targetPort": 8081]]
        _ = try cluster.server.update(try cluster.definition("", "services"), namespace: "default", name: "web", body: service,
                                      subresource: nil, options: WriteOptions(fieldManager: "tests"))
        #expect(await eventually {
            let slices = cluster.slices(of: "web")
            return slices.count == 1 && slices[0]["ports"] == [["name": "http", "protocol": "TCP", "port": 8081]]
        })
    }

    @Test("an endpoint shows its node's zone, also when the node's labels change later")
    func nodeZone() async throws {
        let cluster = try ServiceCluster()
        try cluster.service("web", selector: ["app": "web"], ports: [["port": 80]])
        try cluster.pod("web-1", labels: ["app": "web"], ip: "10.1.0.5", ready: true)
        #expect(await eventually { cluster.endpoints(of: "web")["web-1"] != nil })
        #expect(cluster.endpoints(of: "web")["web-1"]?["zone"] == nil)

        _ = try cluster.server.create(try cluster.definition("", "nodes"), namespace: nil, body: [
            "apiVersion": "v1", "kind": "Node",
            "metadata": ["name": "node-1", "labels": ["topology.kubernetes.io/zone": "zone-a"]],
        ], options: WriteOptions(fieldManager: "tests"))
        #expect(await eventually { cluster.endpoints(of: "web")["web-1"]?["zone"] == "zone-a" })
    }
}

@Suite("EndpointSlice desired content")
struct EndpointSliceDesiredTests {
    private let service: JSONValue = [
        "apiVersion": "v1", "kind": "Service",
        "metadata": ["name": "web", "namespace": "default", "uid": "svc-uid", "labels": ["team": "a"]],
        "spec": ["selector": ["app": "web"], "clusterIP": "10.96.0.10",
                 "ports": [["name": "http", "port": 80, "targetPort": 8080, "protocol": "TCP"]]],
    ]

    private func pod(_ name: String, ip: String? = "10.1.0.1", ready: Bool = true, phase: String = "Running",
                     extraMetadata: [String: JSONValue] = [:], extraSpec: [String: JSONValue] = [:]) -> JSONValue {
        var metadata: [String: JSONValue] = ["name": .string(name), "namespace": "default", "uid": .string(name + "-uid"),
                                             "labels": ["app": "web"]]
        metadata.merge(extraMetadata) { $1 }
        var spec: [String: JSONValue] = ["containers": [["name": "app", "image": "nginx"]]]
        spec.merge(extraSpec) { $1 }
        var status: JSONValue = ["phase": .string(phase), "conditions": [["type": "Ready", "status": ready ? "True" : "False"]]]
        if let ip { status["podIP"] = .string(ip) }
        return ["metadata": .object(metadata), "spec": .object(spec), "status": status]
    }

    @Test("terminating pods stay, not ready but serving; terminal and IP-less pods are left out")
    func podConditions() {
        let pods = [
            pod("a-terminating", extraMetadata: ["deletionTimestamp": "2026-01-01T00:00:00Z"]),
            pod("b-succeeded", phase: "Succeeded"),
            pod("c-no-ip", ip: nil),
            pod("d-ipv6-only", ip: "fd00::1"),
        ]
        let slices = EndpointSliceDesired.slices(service: service, pods: pods, nodeZone: { _ in nil })
        #expect(slices.count == 1)
        let endpoints = slices[0].endpoints.arrayValue ?? []
        #expect(endpoints.map { $0[path: ["targetRef", "name"]] } == ["a-terminating"])
        #expect(endpoints.first?["conditions"] == ["ready": false, "serving": true, "terminating": true])
    }

    @Test("publishNotReadyAddresses makes every endpoint ready")
    func publishNotReady() {
        var published = service
        published[path: ["spec", "publishNotReadyAddresses"]] = true
        let slices = EndpointSliceDesired.slices(service: published, pods: [pod("a", ready: false)], nodeZone: { _ in nil })
        #expect(slices.first?.endpoints.arrayValue?.first?["conditions"] == ["ready": true, "serving": false, "terminating": false])
    }

    @Test("node zone, hostname for the Service's subdomain, and podIPs first")
    func topologyAndHostname() {
        var member = pod("a", extraSpec: ["nodeName": "node-1", "hostname": "a-host", "subdomain": "web"])
        member[path: ["status", "podIPs"]] = [["ip": "10.1.0.9"], ["ip": "fd00::9"]]
        let slices = EndpointSliceDesired.slices(service: service, pods: [member], nodeZone: { $0 == "node-1" ? "zone-a" : nil })
        let endpoint = slices.first?.endpoints.arrayValue?.first
        #expect(endpoint?["addresses"] == ["10.1.0.9"])
        #expect(endpoint?["nodeName"] == "node-1")
        #expect(endpoint?["zone"] == "zone-a")
        #expect(endpoint?["hostname"] == "a-host")
    }

    @Test("more than 100 endpoints are split across slices; no pod gives one placeholder")
    func chunkingAndPlaceholder() {
        let pods = (0..<150).map { pod("p\($0)", ip: "10.2.\($0 / 250).\($0 % 250 + 1)") }
        let slices = EndpointSliceDesired.slices(service: service, pods: pods, nodeZone: { _ in nil })
        #expect(slices.map { $0.endpoints.arrayValue?.count } == [100, 50])
        #expect(EndpointSliceDesired.slices(service: service, pods: [], nodeZone: { _ in nil })
            == [EndpointSliceDesired.Slice(ports: .null, endpoints: .null)])
    }

    @Test("slice labels copy the Service's, mark headless Services, and keep the reserved ones")
    func labels() {
        var headless = service
        headless[path: ["spec", "clusterIP"]] = "None"
        headless[path: ["metadata", "labels", "kubernetes.io/service-name"]] = "spoofed"
        #expect(EndpointSliceDesired.labels(for: headless) == [
            "team": "a", "service.kubernetes.io/headless": "",
            "kubernetes.io/service-name": "web", "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
        ])
        #expect(EndpointSliceDesired.labels(for: service)["service.kubernetes.io/headless"] == nil)
    }

    @Test("ExternalName Services and Services without a selector are not managed")
    func unmanagedServices() {
        var external = service
        external[path: ["spec", "type"]] = "ExternalName"
        var manual = service
        manual[path: ["spec", "selector"]] = nil
        #expect(EndpointSliceDesired.selector(of: external) == nil)
        #expect(EndpointSliceDesired.selector(of: manual) == nil)
        #expect(EndpointSliceDesired.selector(of: service) == ["app": "web"])
    }

    @Test("a slice of an earlier Service with the same name is replaced, one with equal content kept")
    func plan() {
        let current = EndpointSliceDesired.newSlice(EndpointSliceDesired.Slice(ports: .null, endpoints: .null), service: service)
        var kept = current
        kept[path: ["metadata", "name"]] = "web-kept"
        var stale = current
        stale[path: ["metadata", "name"]] = "web-stale"
        stale[path: ["metadata", "ownerReferences"]] = [["apiVersion": "v1", "kind": "Service", "name": "web",
                                                         "uid": "old-uid", "controller": true]]
        let plan = EndpointSlicePlan(desired: [EndpointSliceDesired.Slice(ports: .null, endpoints: .null)],
                                     existing: [kept, stale], service: service)
        #expect(plan.creates.isEmpty)
        #expect(plan.updates.isEmpty)
        #expect(plan.deletes.map { $0[path: ["metadata", "name"]] } == ["web-stale"])
    }

    @Test("a slice no longer needed is rewritten rather than deleted while a new one is created")
    func planReusesSlices() {
        let placeholder = EndpointSliceDesired.Slice(ports: .null, endpoints: .null)
        var existing = EndpointSliceDesired.newSlice(placeholder, service: service)
        existing[path: ["metadata", "name"]] = "web-abcde"
        let filled = EndpointSliceDesired.Slice(ports: [["name": "http", "protocol": "TCP", "port": 8080]],
                                                endpoints: [["addresses": ["10.1.0.1"]]])
        let plan = EndpointSlicePlan(desired: [filled], existing: [existing], service: service)
        #expect(plan.creates.isEmpty)
        #expect(plan.deletes.isEmpty)
        #expect(plan.updates.map { $0.existing[path: ["metadata", "name"]] } == ["web-abcde"])
        #expect(plan.updates.map(\.desired) == [filled])
    }
}
