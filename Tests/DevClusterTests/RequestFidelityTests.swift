import Foundation
import KubeModel
import Testing
@testable import DevCluster

/// Requests kube-apiserver answers differently from what DevCluster used to: each was tried
/// against the real server's documented behaviour (issue #12's list).
@Suite struct RequestFidelityTests {
    let api: InProcessAPI

    init() throws {
        api = try InProcessAPI()
    }

    @Test func aBodyWithoutKindOrAPIVersionTakesThemFromTheURL() {
        let created = api.call("POST", "/api/v1/namespaces/default/configmaps", ["metadata": ["name": "bare"], "data": ["a": "1"]],
                               contentType: "application/json", accept: nil)
        #expect(created.status == 201, "\(created.body)")
        #expect(created.body["kind"] == "ConfigMap")
        #expect(created.body["apiVersion"] == "v1")
        let kindOnly = api.call("POST", "/apis/apps/v1/namespaces/default/deployments", [
            "kind": "Deployment", "metadata": ["name": "web"],
            "spec": ["selector": ["matchLabels": ["app": "web"]],
                     "template": ["metadata": ["labels": ["app": "web"]], "spec": ["containers": [["name": "c", "image": "nginx"]]]]],
        ], contentType: "application/json", accept: nil)
        #expect(kindOnly.status == 201, "\(kindOnly.body)")
        #expect(kindOnly.body["apiVersion"] == "apps/v1")
        // A kind that contradicts the URL is still refused.
        let wrong = api.call("POST", "/api/v1/namespaces/default/configmaps", ["kind": "Secret", "metadata": ["name": "x"]],
                             contentType: "application/json", accept: nil)
        #expect(wrong.status == 400)
    }

    @Test func aBodyInAnUnsupportedMediaTypeIs415() {
        for type in ["text/plain", "application/x-www-form-urlencoded", "text/yaml"] {
            let answer = api.call("POST", "/api/v1/namespaces/default/configmaps",
                                  ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "plain"]], contentType: type, accept: nil)
            #expect(answer.status == 415, "\(type): \(answer.body)")
            #expect(answer.body["reason"] == "UnsupportedMediaType")
            #expect(answer.body["message"]?.stringValue?.contains("accepted media types include: application/json, application/yaml") == true)
        }
        let withCharset = api.call("POST", "/api/v1/namespaces/default/configmaps",
                                   ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "charset"]],
                                   contentType: "application/json; charset=utf-8", accept: nil)
        #expect(withCharset.status == 201)
    }

    @Test func theSystemNamespacesCannotBeDeleted() {
        for name in ["default", "kube-system", "kube-public"] {
            let answer = api.call("DELETE", "/api/v1/namespaces/\(name)", nil, contentType: "application/json", accept: nil)
            #expect(answer.status == 403, "\(name)")
            #expect(answer.body["message"] == .string("namespaces \"\(name)\" is forbidden: this namespace may not be deleted"))
            #expect(api.call("GET", "/api/v1/namespaces/\(name)", nil, contentType: "application/json", accept: nil).status == 200)
        }
        _ = api.call("POST", "/api/v1/namespaces", ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "scratch"]],
                     contentType: "application/json", accept: nil)
        #expect(api.call("DELETE", "/api/v1/namespaces/scratch", nil, contentType: "application/json", accept: nil).status == 200)
    }
}
