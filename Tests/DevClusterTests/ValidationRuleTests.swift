import APIMachinery
import Foundation
import KubeModel
import Testing
@testable import DevCluster

/// `x-kubernetes-validations` through the API: the Gateway API CRDs' rules refuse bad objects with
/// 422 and the rule's message, and a CRD whose rule does not compile is refused.
@Suite struct ValidationRuleTests {
    let api: InProcessAPI

    init() throws {
        api = try InProcessAPI()
    }

    static let manifests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Manifests/gateway-api/standard")

    private func installGatewayAPI() throws {
        for file in ["gateway.networking.k8s.io_httproutes.yaml", "gateway.networking.k8s.io_gateways.yaml",
                     "gateway.networking.k8s.io_gatewayclasses.yaml"] {
            let text = try String(contentsOf: Self.manifests.appendingPathComponent(file), encoding: .utf8)
            for crd in try JSONValue.documents(yaml: text) where crd["kind"] == "CustomResourceDefinition" {
                let created = api.call("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd)
                try #require(created.status == 201, "\(created.body)")
            }
        }
    }

    private static func route(path: String) -> JSONValue {
        ["apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute", "metadata": ["name": "shop"],
         "spec": ["parentRefs": [["name": "edge"]],
                  "hostnames": ["shop.example.com"],
                  "rules": [["matches": [["path": ["type": "PathPrefix", "value": .string(path)]]],
                             "backendRefs": [["name": "shop", "port": 8080]]]]]]
    }

    @Test func invalidHTTPRouteIsRefusedWithTheRulesMessage() throws {
        try installGatewayAPI()
        let routes = "/apis/gateway.networking.k8s.io/v1/namespaces/default/httproutes"
        let refused = api.call("POST", routes, Self.route(path: "shop"))
        #expect(refused.status == 422)
        #expect(refused.body["reason"] == "Invalid")
        #expect(refused.body["message"] == #"HTTPRoute.gateway.networking.k8s.io "shop" is invalid: spec.rules[0].matches[0].path: Invalid value: "object": value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']"#)
        let causes = refused.body[path: ["details", "causes"]]?.arrayValue ?? []
        #expect(causes.first?["field"] == "spec.rules[0].matches[0].path")
        #expect(causes.first?["reason"] == "FieldValueInvalid")

        #expect(api.call("POST", routes, Self.route(path: "/shop")).status == 201)
    }

    @Test func gatewayWithDuplicateListenerNamesIsRefused() throws {
        try installGatewayAPI()
        let listener: JSONValue = ["name": "http", "port": 80, "protocol": "HTTP"]
        let gateway: JSONValue = ["apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway", "metadata": ["name": "edge"],
                                  "spec": ["gatewayClassName": "causeway", "listeners": [listener, listener]]]
        let refused = api.call("POST", "/apis/gateway.networking.k8s.io/v1/namespaces/default/gateways", gateway)
        #expect(refused.status == 422)
        #expect(refused.body["message"]?.stringValue?.contains("Listener name must be unique within the Gateway") == true)
    }

    @Test func transitionRuleRefusesChangingAnImmutableField() throws {
        try installGatewayAPI()
        let classes = "/apis/gateway.networking.k8s.io/v1/gatewayclasses"
        let created = api.call("POST", classes, ["apiVersion": "gateway.networking.k8s.io/v1", "kind": "GatewayClass",
                                                 "metadata": ["name": "causeway"], "spec": ["controllerName": "causeway.dev/gateway"]])
        try #require(created.status == 201, "\(created.body)")
        let renamed = api.call("PATCH", "\(classes)/causeway", ["spec": ["controllerName": "example.com/other"]],
                               contentType: "application/merge-patch+json")
        #expect(renamed.status == 422)
        #expect(renamed.body["message"] == #"GatewayClass.gateway.networking.k8s.io "causeway" is invalid: spec.controllerName: Invalid value: "string": Value is immutable"#)
        let described = api.call("PATCH", "\(classes)/causeway", ["spec": ["description": "the Causeway gateway"]],
                                 contentType: "application/merge-patch+json")
        #expect(described.status == 200, "\(described.body)")
    }

    @Test func crdWithARuleThatDoesNotCompileIsRefused() {
        let crd: JSONValue = [
            "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": ["name": "widgets.example.com"],
            "spec": ["group": "example.com", "scope": "Namespaced",
                     "names": ["plural": "widgets", "singular": "widget", "kind": "Widget"],
                     "versions": [["name": "v1", "served": true, "storage": true,
                                   "schema": ["openAPIV3Schema": ["type": "object", "properties": [
                                       "spec": ["type": "object", "properties": ["size": ["type": "integer"]],
                                                "x-kubernetes-validations": [["rule": "self.sise > 0"]]],
                                   ]]]]]],
        ]
        let refused = api.call("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd)
        #expect(refused.status == 422)
        let causes = refused.body[path: ["details", "causes"]]?.arrayValue ?? []
        #expect(causes.first?["field"] == "spec.versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule")
        #expect(causes.first?["message"]?.stringValue?.contains("compilation failed: ERROR: <input>:1:5: undefined field 'sise'") == true)
        #expect(api.call("GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com").status == 404)
    }
}
