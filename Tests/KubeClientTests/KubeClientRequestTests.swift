import TestSupport
import Foundation
import KubeModel
@testable import KubeClient
import Synchronization
import Testing

@Suite("KubeClient requests against a scripted server")
struct KubeClientRequestTests {
    static func client(_ server: TestHTTPServer, credentials: CredentialSource = .bearerToken("secret"),
                       clock: any KubeClock = SystemClock()) -> KubeClient {
        KubeClient(config: ClientConfig(server: server.url, credentials: credentials, namespace: "team"), clock: clock)
    }

    @Test("verbs go to the right paths with the right query, body and content type")
    func paths() async throws {
        let server = try await TestHTTPServer { request in
            .json(200, #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","namespace":"team"}}"#)
        }
        defer { Task { await server.shutdown() } }
        let client = Self.client(server)
        let configMaps = client.resource(.configMaps)
        _ = try await configMaps.get("x")
        _ = try await configMaps.create(["metadata": ["name": "x"]], options: WriteOptions(fieldManager: "causeway"))
        _ = try await configMaps.update(["metadata": ["name": "x", "namespace": "other", "resourceVersion": "7"]])
        _ = try await configMaps.patch("x", kind: .apply(fieldManager: "causeway", force: true), patch: ["data": ["a": "b"]])
        _ = try await configMaps.patch("x", kind: .json, patch: [["op": "add", "path": "/data/c", "value": "d"]], subresource: "status")
        try await configMaps.delete("x", options: DeleteOptions(preconditionUID: "u1", propagationPolicy: .foreground))
        _ = try await client.resource(.leases).list(namespace: nil, options: ListOptions(labelSelector: "app in (a,b),tier!=db", limit: 5))

        let requests = server.requests
        #expect(requests.map { "\($0.method) \($0.uri)" } == [
            "GET /api/v1/namespaces/team/configmaps/x",
            "POST /api/v1/namespaces/team/configmaps?fieldManager=causeway",
            "PUT /api/v1/namespaces/other/configmaps/x",
            "PATCH /api/v1/namespaces/team/configmaps/x?fieldManager=causeway&force=true",
            "PATCH /api/v1/namespaces/team/configmaps/x/status",
            "DELETE /api/v1/namespaces/team/configmaps/x",
            "GET /apis/coordination.k8s.io/v1/leases?labelSelector=app%20in%20%28a%2Cb%29%2Ctier%21%3Ddb&limit=5",
        ])
        #expect(requests.allSatisfy { $0.header("Authorization") == "Bearer secret" })
        #expect(requests[1].header("Content-Type") == "application/json")
        let created = try JSONValue(parsing: requests[1].body)
        #expect(created["apiVersion"] == "v1" && created["kind"] == "ConfigMap")
        #expect(requests[3].header("Content-Type") == "application/apply-patch+yaml")
        #expect(requests[4].header("Content-Type") == "application/json-patch+json")
        let deleteBody = try JSONValue(parsing: requests[5].body)
        #expect(deleteBody[path: ["preconditions", "uid"]] == "u1")
        #expect(deleteBody["propagationPolicy"] == "Foreground")
    }

    @Test("errors arrive typed, with the request named")
    func errors() async throws {
        let server = try await TestHTTPServer { _ in
            .json(404, #"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"configmaps \"x\" not found","reason":"NotFound","details":{"name":"x","kind":"configmaps"},"code":404}"#)
        }
        defer { Task { await server.shutdown() } }
        do {
            _ = try await Self.client(server).resource(.configMaps).get("x")
            Issue.record("expected NotFound")
        } catch let error as KubeAPIError {
            #expect(error.code == .notFound)
            #expect(error.description == #"NotFound (HTTP 404) from GET /api/v1/namespaces/team/configmaps/x: configmaps "x" not found"#)
        }
    }

    @Test("429 is retried after Retry-After on the injected clock")
    func retryAfter() async throws {
        let calls = Locked(0)
        let server = try await TestHTTPServer { _ in
            let n = calls.withLock { $0 += 1; return $0 }
            if n < 3 {
                return .json(429, #"{"kind":"Status","status":"Failure","reason":"TooManyRequests","message":"slow down","code":429}"#,
                             headers: [("Retry-After", "7")])
            }
            return .json(200, #"{"kind":"ConfigMap","metadata":{"name":"x"}}"#)
        }
        defer { Task { await server.shutdown() } }
        let clock = ManualClock()
        let client = Self.client(server, clock: clock)
        let start = clock.now()
        let get = Task { try await client.resource(.configMaps).get("x") }
        for _ in 0..<2 {
            #expect(await eventually { clock.sleeperCount == 1 })
            clock.advance(by: .seconds(7))
        }
        let object = try await get.value
        #expect(object.metaName == "x")
        #expect(clock.now().timeIntervalSince(start) == 14)
        #expect(calls.withLock { $0 } == 3)
    }

    @Test("a 401 refreshes rotating credentials once and retries")
    func unauthorizedRefresh() async throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        let tokenFile = try directory.write("token", "old")
        let server = try await TestHTTPServer { request in
            if request.header("Authorization") == "Bearer new" { return .json(200, #"{"kind":"ConfigMap","metadata":{"name":"x"}}"#) }
            return .json(401, #"{"kind":"Status","status":"Failure","reason":"Unauthorized","message":"Unauthorized","code":401}"#)
        }
        defer { Task { await server.shutdown() } }
        let client = Self.client(server, credentials: .tokenFile(path: tokenFile))
        await #expect(throws: KubeAPIError.self) { _ = try await client.resource(.configMaps).get("x") }
        try directory.write("token", "new")
        #expect(try await client.resource(.configMaps).get("x").metaName == "x")
    }

    @Test("listAll follows continue tokens")
    func paging() async throws {
        let server = try await TestHTTPServer { request in
            if request.uri.contains("continue=page2") {
                return .json(200, #"{"kind":"ConfigMapList","metadata":{"resourceVersion":"11"},"items":[{"metadata":{"name":"c"}}]}"#)
            }
            return .json(200, #"{"kind":"ConfigMapList","metadata":{"resourceVersion":"10","continue":"page2","remainingItemCount":1},"items":[{"metadata":{"name":"a"}},{"metadata":{"name":"b"}}]}"#)
        }
        defer { Task { await server.shutdown() } }
        let all = try await Self.client(server).resource(.configMaps).listAll(namespace: "team", options: ListOptions(limit: 2))
        #expect(all.items.compactMap(\.metaName) == ["a", "b", "c"])
        #expect(all.items.allSatisfy { $0["kind"] == "ConfigMap" && $0["apiVersion"] == "v1" })
        #expect(all.resourceVersion == "10")
        #expect(server.requests.map(\.uri) == ["/api/v1/namespaces/team/configmaps?limit=2",
                                               "/api/v1/namespaces/team/configmaps?limit=2&continue=page2"])
    }

    @Test("a watch streams events as the server writes them")
    func watch() async throws {
        let server = try await TestHTTPServer { _ in
            .streaming { writer in
                try await writer.write(#"{"type":"ADDED","object":{"metadata":{"name":"a","resourceVersion":"1"}}}"# + "\n" + #"{"type":"MOD"#)
                try await writer.write(#"IFIED","object":{"metadata":{"name":"a","resourceVersion":"2"}}}"# + "\n")
            }
        }
        defer { Task { await server.shutdown() } }
        let stream = try await Self.client(server).resource(.configMaps)
            .watch(namespace: "team", options: ListOptions(resourceVersion: "0", allowWatchBookmarks: true, timeoutSeconds: 30))
        var events: [WatchEvent] = []
        for try await event in stream { events.append(event) }
        #expect(events.map(\.type) == [.added, .modified])
        #expect(server.requests.first?.uri == "/api/v1/namespaces/team/configmaps?resourceVersion=0&timeoutSeconds=30&watch=true&allowWatchBookmarks=true")
    }
}
