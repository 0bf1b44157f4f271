import KubeModel
import Testing
@testable import DevCluster

/// `resourceVersion` and `resourceVersionMatch` on GET, LIST and WATCH, answered as kube-apiserver
/// answers them (apimachinery's ValidateListOptions, the storage layer's version parsing, the
/// watch cache's "Too large resource version").
@Suite struct ReadOptionsTests {
    let api: InProcessAPI

    init() throws {
        api = try InProcessAPI()
    }

    private func configMap(_ name: String, _ value: String) -> JSONValue {
        ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name)], "data": ["v": .string(value)]]
    }

    @Test func aMatchWithoutAVersionOrWithAnUnknownValueIs422OnListOptions() {
        let missing = api.call("GET", "/api/v1/namespaces/default/configmaps?resourceVersionMatch=Exact")
        #expect(missing.status == 422)
        #expect(missing.body["message"] == "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided")
        #expect(missing.body[path: ["details", "kind"]] == "ListOptions")
        #expect(missing.body[path: ["details", "group"]] == "meta.k8s.io")

        let bogus = api.call("GET", "/api/v1/namespaces/default/configmaps?resourceVersion=1&resourceVersionMatch=Newest")
        #expect(bogus.status == 422)
        #expect(bogus.body["message"] == "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Unsupported value: \"Newest\": supported values: \"Exact\", \"NotOlderThan\", \"\"")

        let exactZero = api.call("GET", "/api/v1/namespaces/default/configmaps?resourceVersion=0&resourceVersionMatch=Exact")
        #expect(exactZero.status == 422)

        let watchMatch = api.call("GET", "/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=1&resourceVersionMatch=NotOlderThan")
        #expect(watchMatch.status == 422)
        #expect(watchMatch.body["message"]?.stringValue?.contains("resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided") == true)
    }

    @Test func aMalformedVersionIs400() {
        for target in ["/api/v1/namespaces/default/configmaps?resourceVersion=abc",
                       "/api/v1/namespaces/default/configmaps/x?resourceVersion=abc",
                       "/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=abc"] {
            let answer = api.call("GET", target)
            #expect(answer.status == 400, "\(target): \(answer.body)")
            #expect(answer.body["message"] == "invalid resource version: resourceVersion: Invalid value: \"abc\": strconv.ParseUint: parsing \"abc\": invalid syntax")
        }
    }

    @Test func aLimitOrTimeoutThatIsNotANumberIs400() {
        for target in ["/api/v1/namespaces/default/configmaps?limit=ten", "/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=soon"] {
            let answer = api.call("GET", target)
            #expect(answer.status == 400, "\(target): \(answer.body)")
            #expect(answer.body["message"]?.stringValue?.hasPrefix("strconv.ParseInt: parsing ") == true)
        }
    }

    @Test func aVersionFromTheFutureIs504TooLarge() {
        _ = api.call("POST", "/api/v1/namespaces/default/configmaps", configMap("x", "1"))
        let current = api.call("GET", "/api/v1/namespaces/default/configmaps").body[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""
        let future = String((UInt64(current) ?? 0) + 1000)
        for target in ["/api/v1/namespaces/default/configmaps?resourceVersion=\(future)",
                       "/api/v1/namespaces/default/configmaps?resourceVersion=\(future)&resourceVersionMatch=NotOlderThan",
                       "/api/v1/namespaces/default/configmaps/x?resourceVersion=\(future)"] {
            let answer = api.call("GET", target)
            #expect(answer.status == 504, "\(target): \(answer.body)")
            #expect(answer.body["reason"] == "Timeout")
            // The dev controllers may have written since `current` was read, so only the prefix is fixed.
            #expect(answer.body["message"]?.stringValue?.hasPrefix("Timeout: Too large resource version: \(future), current: ") == true)
            #expect(answer.body[path: ["details", "causes"]]?.arrayValue?.first?["reason"] == "ResourceVersionTooLarge")
        }
        // A version already reached is served.
        #expect(api.call("GET", "/api/v1/namespaces/default/configmaps/x?resourceVersion=\(current)").status == 200)
    }

    @Test func anExactListShowsTheCollectionAsItWasThen() {
        _ = api.call("POST", "/api/v1/namespaces/default/configmaps", configMap("a", "1"))
        let then = api.call("GET", "/api/v1/namespaces/default/configmaps").body[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""
        _ = api.call("PUT", "/api/v1/namespaces/default/configmaps/a", configMap("a", "2"))
        _ = api.call("POST", "/api/v1/namespaces/default/configmaps", configMap("b", "1"))

        let past = api.call("GET", "/api/v1/namespaces/default/configmaps?resourceVersion=\(then)&resourceVersionMatch=Exact")
        #expect(past.status == 200, "\(past.body)")
        #expect(past.body[path: ["metadata", "resourceVersion"]] == .string(then))
        let items = past.body["items"]?.arrayValue ?? []
        #expect(items.compactMap { $0[path: ["metadata", "name"]]?.stringValue } == ["a"])
        #expect(items.first?[path: ["data", "v"]] == "1")

        let now = api.call("GET", "/api/v1/namespaces/default/configmaps?resourceVersion=\(then)&resourceVersionMatch=NotOlderThan")
        #expect((now.body["items"]?.arrayValue ?? []).count == 2)
    }

    @Test func anExactListOlderThanTheHistoryIs410() {
        _ = api.call("POST", "/api/v1/namespaces/default/configmaps", configMap("a", "1"))
        let then = api.call("GET", "/api/v1/namespaces/default/configmaps").body[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""
        _ = api.call("PUT", "/api/v1/namespaces/default/configmaps/a", configMap("a", "2"))
        api.server.store.compactEventLog()
        let answer = api.call("GET", "/api/v1/namespaces/default/configmaps?resourceVersion=\(then)&resourceVersionMatch=Exact")
        #expect(answer.status == 410)
        #expect(answer.body["reason"] == "Expired")
        #expect(answer.body["message"] == "The resourceVersion for the provided list is too old.")
    }

    @Test func laterPagesShowTheCollectionAsTheFirstPageSawIt() {
        for name in ["a", "b", "c"] { _ = api.call("POST", "/api/v1/namespaces/default/configmaps", configMap(name, "1")) }
        let first = api.call("GET", "/api/v1/namespaces/default/configmaps?limit=1")
        let token = first.body[path: ["metadata", "continue"]]?.stringValue ?? ""
        #expect(!token.isEmpty)
        _ = api.call("DELETE", "/api/v1/namespaces/default/configmaps/b")
        _ = api.call("PUT", "/api/v1/namespaces/default/configmaps/c", configMap("c", "2"))
        let rest = api.call("GET", "/api/v1/namespaces/default/configmaps?limit=5&continue=\(token)")
        #expect(rest.status == 200, "\(rest.body)")
        let items = rest.body["items"]?.arrayValue ?? []
        #expect(items.compactMap { $0[path: ["metadata", "name"]]?.stringValue } == ["b", "c"])
        #expect(items.last?[path: ["data", "v"]] == "1")
        #expect(rest.body[path: ["metadata", "resourceVersion"]] == first.body[path: ["metadata", "resourceVersion"]])

        api.server.store.compactEventLog()
        let expired = api.call("GET", "/api/v1/namespaces/default/configmaps?limit=5&continue=\(token)")
        #expect(expired.status == 410)
        #expect(expired.body["message"]?.stringValue?.hasPrefix("The provided continue parameter is too old") == true)
    }
}
