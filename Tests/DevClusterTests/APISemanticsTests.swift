import TestSupport
import Foundation
import Testing
@testable import DevCluster
import KubeModel

/// The API server's rules, exercised through the same entry point HTTP uses (`APIServer.handle`).
@Suite struct APISemanticsTests {
    let api: InProcessAPI
    var server: APIServer { api.server }

    init() throws {
        api = try InProcessAPI()
    }

    func call(_ method: String, _ target: String, _ body: JSONValue? = nil, contentType: String = "application/json",
              accept: String? = nil) -> InProcessAPI.Answer {
        api.call(method, target, body, contentType: contentType, accept: accept)
    }

    static let configMap: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "settings"], "data": ["a": "1"]]

    @Test func createAssignsSystemFieldsAndRejectsDuplicates() {
        let created = call("POST", "/api/v1/namespaces/default/configmaps", Self.configMap)
        #expect(created.status == 201)
        #expect(created.body[path: ["metadata", "uid"]]?.stringValue?.count == 36)
        #expect(created.body[path: ["metadata", "creationTimestamp"]] != nil)
        #expect(created.body[path: ["metadata", "namespace"]] == "default")
        let again = call("POST", "/api/v1/namespaces/default/configmaps", Self.configMap)
        #expect(again.status == 409)
        #expect(again.body["reason"] == "AlreadyExists")
        #expect(again.body["message"] == "configmaps \"settings\" already exists")
    }

    @Test func resourceVersionsRiseGloballyAndStaleUpdatesConflict() {
        let first = call("POST", "/api/v1/namespaces/default/configmaps", Self.configMap)
        let rv1 = UInt64(first.body[path: ["metadata", "resourceVersion"]]?.stringValue ?? "") ?? 0
        var changed = first.body
        changed[path: ["data", "a"]] = "2"
        let updated = call("PUT", "/api/v1/namespaces/default/configmaps/settings", changed)
        #expect(updated.status == 200)
        let rv2 = UInt64(updated.body[path: ["metadata", "resourceVersion"]]?.stringValue ?? "") ?? 0
        #expect(rv2 > rv1)
        let stale = call("PUT", "/api/v1/namespaces/default/configmaps/settings", changed)
        #expect(stale.status == 409)
        #expect(stale.body["reason"] == "Conflict")
    }

    @Test func unknownResourceAndMalformedBodies() {
        #expect(call("GET", "/api/v1/namespaces/default/gizmos").status == 404)
        let (path, query) = APIRequest.splitTarget("/api/v1/namespaces/default/configmaps")
        let response = server.handle(APIRequest(method: "POST", path: path, query: query,
                                                headers: ["content-type": "application/json"], body: Array("{nope".utf8)))
        guard case .body(let status, _, _, _) = response else { Issue.record("no body"); return }
        #expect(status == 400)
        var wrongKind = Self.configMap
        wrongKind["kind"] = "Secret"
        #expect(call("POST", "/api/v1/namespaces/default/configmaps", wrongKind).status == 400)
        #expect(call("POST", "/api/v1/namespaces/nowhere/configmaps", Self.configMap).status == 404)
    }

    @Test func listsWithSelectorsAndPages() {
        for index in 0..<5 {
            var object = Self.configMap
            object[path: ["metadata", "name"]] = .string("cm-\(index)")
            object[path: ["metadata", "labels"]] = ["parity": .string(index % 2 == 0 ? "even" : "odd")]
            #expect(call("POST", "/api/v1/namespaces/default/configmaps", object).status == 201)
        }
        let even = call("GET", "/api/v1/namespaces/default/configmaps?labelSelector=parity%3Deven")
        #expect(even.body["items"]?.arrayValue?.count == 3)
        let notOdd = call("GET", "/api/v1/namespaces/default/configmaps?labelSelector=parity+notin+(odd)")
        #expect(notOdd.body["items"]?.arrayValue?.count == 3)
        let byName = call("GET", "/api/v1/configmaps?fieldSelector=metadata.name%3Dcm-4")
        #expect(byName.body["items"]?.arrayValue?.count == 1)
        var names: [String] = []
        var next = "/api/v1/namespaces/default/configmaps?limit=2"
        for _ in 0..<5 {
            let page = call("GET", next)
            names += page.body["items"]?.arrayValue?.compactMap { $0[path: ["metadata", "name"]]?.stringValue } ?? []
            guard let token = page.body[path: ["metadata", "continue"]]?.stringValue else { break }
            next = "/api/v1/namespaces/default/configmaps?limit=2&continue=\(token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? token)"
        }
        #expect(names == ["cm-0", "cm-1", "cm-2", "cm-3", "cm-4"])
        #expect(call("GET", "/api/v1/configmaps?fieldSelector=spec.nothing%3Dx").status == 400)
    }

    @Test func watchReplaysFromAResourceVersionAndExpiresWhenCompacted() throws {
        let created = call("POST", "/api/v1/namespaces/default/configmaps", Self.configMap)
        let rv = created.body[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""
        _ = call("DELETE", "/api/v1/namespaces/default/configmaps/settings")
        let plan = try #require(watchPlan("/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=\(rv)"))
        let seen = Deliveries()
        let id = try #require(plan.start { seen.append($0) })
        plan.stop(id)
        #expect(seen.types == ["DELETED"])

        server.store.compactEventLog()
        let expired = try #require(watchPlan("/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=\(rv)"))
        let late = Deliveries()
        #expect(expired.start { late.append($0) } == nil)
        let line = try JSONValue(parsing: expired.encode(late.all[0]).dropLast())
        #expect(line["type"] == "ERROR")
        #expect(line[path: ["object", "code"]] == 410)
    }

    @Test func watchersShareEncodedEventsButTablesGetTheirOwn() throws {
        let plain = try #require(watchPlan("/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=1"))
        let other = try #require(watchPlan("/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=1"))
        let (path, query) = APIRequest.splitTarget("/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=1")
        guard case .watch(let table) = server.handle(APIRequest(method: "GET", path: path, query: query,
                                                                 headers: ["accept": "application/json;as=Table;v=v1;g=meta.k8s.io"])) else {
            Issue.record("no watch")
            return
        }
        let seen = [Deliveries(), Deliveries(), Deliveries()]
        let ids = [plain.start { seen[0].append($0) }, other.start { seen[1].append($0) }, table.start { seen[2].append($0) }]
        _ = call("POST", "/api/v1/namespaces/default/configmaps", Self.configMap)
        for (plan, id) in zip([plain, other, table], ids) { plan.stop(try #require(id)) }
        let lines = zip([plain, other, table], seen).map { plan, deliveries in deliveries.all.map { plan.encode($0) } }
        #expect(lines[0].count == 1 && lines[0] == lines[1])
        let event = try JSONValue(parsing: lines[0][0].dropLast())
        #expect(event["type"] == "ADDED")
        #expect(event[path: ["object", "metadata", "name"]] == "settings")
        let tableEvent = try JSONValue(parsing: lines[2][0].dropLast())
        #expect(tableEvent[path: ["object", "kind"]] == "Table")
    }

    func watchPlan(_ target: String) -> WatchPlan? {
        let (path, query) = APIRequest.splitTarget(target)
        if case .watch(let plan) = server.handle(APIRequest(method: "GET", path: path, query: query)) { return plan }
        return nil
    }

    @Test func generationFollowsSpecOnly() {
        let deployment: JSONValue = [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web"],
            "spec": ["selector": ["matchLabels": ["app": "web"]],
                     "template": ["metadata": ["labels": ["app": "web"]], "spec": ["containers": [["name": "web", "image": "nginx:1"]]]]],
        ]
        let created = call("POST", "/apis/apps/v1/namespaces/default/deployments", deployment)
        #expect(created.body[path: ["metadata", "generation"]] == 1)
        #expect(created.body[path: ["spec", "replicas"]] == 1, "apps/v1 default")
        let labeled = call("PATCH", "/apis/apps/v1/namespaces/default/deployments/web",
                           ["metadata": ["labels": ["team": "a"]]], contentType: "application/merge-patch+json")
        #expect(labeled.body[path: ["metadata", "generation"]] == 1)
        let status = call("PATCH", "/apis/apps/v1/namespaces/default/deployments/web/status",
                          ["status": ["replicas": 1]], contentType: "application/merge-patch+json")
        #expect(status.body[path: ["metadata", "generation"]] == 1)
        #expect(status.body[path: ["status", "replicas"]] == 1)
        let scaled = call("PATCH", "/apis/apps/v1/namespaces/default/deployments/web",
                          ["spec": ["replicas": 3]], contentType: "application/merge-patch+json")
        #expect(scaled.body[path: ["metadata", "generation"]] == 2)
    }

    @Test func finalizersHoldDeletion() {
        var object = Self.configMap
        object[path: ["metadata", "finalizers"]] = ["example.com/hold"]
        _ = call("POST", "/api/v1/namespaces/default/configmaps", object)
        let deleted = call("DELETE", "/api/v1/namespaces/default/configmaps/settings")
        #expect(deleted.status == 200)
        #expect(deleted.body[path: ["metadata", "deletionTimestamp"]] != nil)
        #expect(call("GET", "/api/v1/namespaces/default/configmaps/settings").status == 200)
        let released = call("PATCH", "/api/v1/namespaces/default/configmaps/settings",
                            [["op": "remove", "path": "/metadata/finalizers"]], contentType: "application/json-patch+json")
        #expect(released.status == 200)
        #expect(call("GET", "/api/v1/namespaces/default/configmaps/settings").status == 404)
    }

    @Test func everyNamespaceGetsItsDefaultServiceAccount() async {
        _ = call("POST", "/api/v1/namespaces", ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "team-c"]])
        #expect(await eventually { call("GET", "/api/v1/namespaces/team-c/serviceaccounts/default").status == 200 })
    }

    @Test func builtInTablesSummariseAsKubectlPrints() {
        let pod: JSONValue = ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "web-1"],
                              "spec": ["containers": [["name": "a", "image": "x:1"], ["name": "b", "image": "y:1"]]]]
        _ = call("POST", "/api/v1/namespaces/default/pods", pod)
        _ = call("PATCH", "/api/v1/namespaces/default/pods/web-1/status",
                 ["status": ["phase": "Running", "containerStatuses": [["name": "a", "ready": true, "restartCount": 2],
                                                                       ["name": "b", "ready": false, "restartCount": 1]]]],
                 contentType: "application/merge-patch+json")
        let table = call("GET", "/api/v1/namespaces/default/pods", accept: "application/json;as=Table;v=v1;g=meta.k8s.io").body
        let names = table["columnDefinitions"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        #expect(Array(names.prefix(5)) == ["Name", "Ready", "Status", "Restarts", "Age"])
        let cells = table["rows"]?.arrayValue?.first?["cells"]?.arrayValue ?? []
        #expect(Array(cells.prefix(4)) == ["web-1", "1/2", "Running", "3"])

        let service: JSONValue = ["apiVersion": "v1", "kind": "Service", "metadata": ["name": "web"],
                                  "spec": ["selector": ["app": "web"], "ports": [["port": 80, "targetPort": 8080]]]]
        _ = call("POST", "/api/v1/namespaces/default/services", service)
        let services = call("GET", "/api/v1/namespaces/default/services", accept: "application/json;as=Table;v=v1;g=meta.k8s.io").body
        let row = services["rows"]?.arrayValue?.first?["cells"]?.arrayValue ?? []
        #expect(row.count >= 5 && row[1] == "ClusterIP" && row[3] == "<none>" && row[4] == "80/TCP")
    }

    static func service(_ name: String, clusterIP: String? = nil) -> JSONValue {
        var spec: JSONValue = ["ports": [["port": 80]]]
        if let clusterIP { spec["clusterIP"] = .string(clusterIP) }
        return ["apiVersion": "v1", "kind": "Service", "metadata": ["name": .string(name)], "spec": spec]
    }

    @Test func clusterIPsAreUniqueAndComeBackWhenFreed() throws {
        let taken = call("POST", "/api/v1/namespaces/default/services", Self.service("pinned", clusterIP: "10.96.0.2"))
        #expect(taken.status == 201)
        let next = call("POST", "/api/v1/namespaces/default/services", Self.service("auto"))
        #expect(next.body[path: ["spec", "clusterIP"]] == "10.96.0.3")
        #expect(next.body[path: ["spec", "clusterIPs"]] == ["10.96.0.3"])
        let clash = call("POST", "/api/v1/namespaces/default/services", Self.service("clash", clusterIP: "10.96.0.3"))
        #expect(clash.status == 422)
        #expect(clash.body["message"]?.stringValue?.contains("provided IP is already allocated") == true)
        // A refused write takes no address: the next Service gets the lowest free one.
        _ = call("DELETE", "/api/v1/namespaces/default/services/pinned")
        #expect(call("POST", "/api/v1/namespaces/default/services", Self.service("reuse")).body[path: ["spec", "clusterIP"]] == "10.96.0.2")

        // A server started on a store that already holds Services (a restart) avoids their IPs.
        let restarted = APIServer(store: server.store)
        let (path, query) = APIRequest.splitTarget("/api/v1/namespaces/default/services")
        let response = restarted.handle(APIRequest(method: "POST", path: path, query: query,
                                                   headers: ["content-type": "application/json"], body: Self.service("later").serialized()))
        guard case .body(_, _, let bytes, _) = response else { Issue.record("no body"); return }
        #expect(try JSONValue(parsing: bytes)[path: ["spec", "clusterIP"]] == "10.96.0.4")
    }

    @Test func tableOutputForKubectl() {
        _ = call("POST", "/api/v1/namespaces/default/configmaps", Self.configMap)
        let table = call("GET", "/api/v1/namespaces/default/configmaps",
                         accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json")
        #expect(table.body["kind"] == "Table")
        #expect(table.body["columnDefinitions"]?.arrayValue?.first?["name"] == "Name")
        #expect(table.body["rows"]?.arrayValue?.first?["cells"]?.arrayValue?.first == "settings")
    }
}

final class Deliveries: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [WatchDelivery] = []
    func append(_ delivery: WatchDelivery) { lock.withLock { items.append(delivery) } }
    var all: [WatchDelivery] { lock.withLock { items } }
    var types: [String] {
        all.compactMap { if case .event(let kind, _, _) = $0 { return kind.rawValue } else { return nil } }
    }
}
