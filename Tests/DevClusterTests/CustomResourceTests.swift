import Foundation
import Testing
@testable import DevCluster
import KubeModel

/// CustomResourceDefinitions: what is served once one is created, and how its objects are checked.
@Suite struct CustomResourceTests {
    let api: InProcessAPI
    var server: APIServer { api.server }

    init() throws {
        api = try InProcessAPI()
    }

    func call(_ method: String, _ target: String, _ body: JSONValue? = nil, contentType: String = "application/json",
              accept: String? = nil) -> InProcessAPI.Answer {
        api.call(method, target, body, contentType: contentType, accept: accept)
    }

    static func crd(versions: [JSONValue]) -> JSONValue {
        ["apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
         "metadata": ["name": "gadgets.example.com"],
         "spec": ["group": "example.com", "scope": "Namespaced",
                  "names": ["plural": "gadgets", "singular": "gadget", "kind": "Gadget"],
                  "versions": .array(versions)]]
    }

    static let schema: JSONValue = [
        "type": "object",
        "properties": [
            "spec": ["type": "object", "required": ["mode"],
                     "properties": ["mode": ["type": "string", "enum": ["on", "off"]],
                                    "level": ["type": "integer", "minimum": 1, "maximum": 5, "default": 3]]],
            "status": ["type": "object", "properties": ["phase": ["type": "string"]]],
        ],
    ]

    func install() {
        let versions: [JSONValue] = [
            ["name": "v1", "served": true, "storage": true, "subresources": ["status": [:]], "schema": ["openAPIV3Schema": Self.schema]],
            ["name": "v1beta1", "served": true, "storage": false, "schema": ["openAPIV3Schema": Self.schema]],
        ]
        let created = call("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", Self.crd(versions: versions))
        #expect(created.status == 201)
    }

    static let gadget: JSONValue = ["apiVersion": "example.com/v1", "kind": "Gadget", "metadata": ["name": "g1"], "spec": ["mode": "on"]]

    @Test func establishedCRDIsServedAtEveryVersion() {
        install()
        let crd = call("GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.example.com").body
        let conditions = crd[path: ["status", "conditions"]]?.arrayValue ?? []
        #expect(conditions.contains { $0["type"] == "Established" && $0["status"] == "True" })
        #expect(crd[path: ["status", "storedVersions"]] == ["v1"])
        #expect(call("POST", "/apis/example.com/v1/namespaces/default/gadgets", Self.gadget).status == 201)
        let viaBeta = call("GET", "/apis/example.com/v1beta1/namespaces/default/gadgets/g1")
        #expect(viaBeta.status == 200)
        #expect(viaBeta.body["apiVersion"] == "example.com/v1beta1")
        let discovery = call("GET", "/apis/example.com/v1").body
        let names = discovery["resources"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        #expect(names == ["gadgets", "gadgets/status"])
    }

    @Test func invalidCRDIsRefusedWithCauses() {
        var bad = Self.crd(versions: [["name": "v1", "served": true, "storage": false, "schema": ["openAPIV3Schema": Self.schema]]])
        bad[path: ["metadata", "name"]] = "wrong.example.com"
        let refused = call("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", bad)
        #expect(refused.status == 422)
        let fields = refused.body[path: ["details", "causes"]]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? []
        #expect(fields.contains("metadata.name"))
        #expect(fields.contains("spec.versions"))
        #expect(call("GET", "/apis/example.com/v1/namespaces/default/gadgets").status == 404)
    }

    @Test func schemaDefaultsValidationAndUnknownFields() {
        install()
        let created = call("POST", "/apis/example.com/v1/namespaces/default/gadgets", Self.gadget)
        #expect(created.body[path: ["spec", "level"]] == 3)
        var bad = Self.gadget
        bad[path: ["metadata", "name"]] = "g2"
        bad[path: ["spec", "mode"]] = "sideways"
        bad[path: ["spec", "level"]] = 9
        let refused = call("POST", "/apis/example.com/v1/namespaces/default/gadgets", bad)
        #expect(refused.status == 422)
        #expect(refused.body["reason"] == "Invalid")
        let causes = refused.body[path: ["details", "causes"]]?.arrayValue ?? []
        #expect(causes.contains { $0["field"] == "spec.mode" && $0["reason"] == "FieldValueNotSupported" })
        #expect(causes.contains { $0["field"] == "spec.level" })
        #expect(call("GET", "/apis/example.com/v1/namespaces/default/gadgets/g2").status == 404)

        var extra = Self.gadget
        extra[path: ["metadata", "name"]] = "g3"
        extra[path: ["spec", "bogus"]] = true
        let strict = call("POST", "/apis/example.com/v1/namespaces/default/gadgets?fieldValidation=Strict", extra)
        #expect(strict.status == 400)
        #expect(strict.body["message"]?.stringValue?.contains("unknown field \"spec.bogus\"") == true)
        let warned = call("POST", "/apis/example.com/v1/namespaces/default/gadgets", extra)
        #expect(warned.status == 201)
        #expect(warned.warnings == ["unknown field \"spec.bogus\""])
        #expect(warned.body[path: ["spec", "bogus"]] == nil)
    }

    @Test func statusOnlyThroughTheSubresource() {
        install()
        var withStatus = Self.gadget
        withStatus["status"] = ["phase": "Ready"]
        let created = call("POST", "/apis/example.com/v1/namespaces/default/gadgets", withStatus)
        #expect(created.body["status"] == nil, "status is dropped on create when the status subresource is on")
        let status = call("PATCH", "/apis/example.com/v1/namespaces/default/gadgets/g1/status",
                          ["status": ["phase": "Ready"], "spec": ["mode": "off"]], contentType: "application/merge-patch+json")
        #expect(status.body[path: ["status", "phase"]] == "Ready")
        #expect(status.body[path: ["spec", "mode"]] == "on", "a status write changes nothing else")
        #expect(status.body[path: ["metadata", "generation"]] == 1)
    }

    @Test func deletingTheCRDRemovesItsObjects() {
        install()
        _ = call("POST", "/apis/example.com/v1/namespaces/default/gadgets", Self.gadget)
        #expect(call("DELETE", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.example.com").status == 200)
        #expect(call("GET", "/apis/example.com/v1/namespaces/default/gadgets").status == 404)
        #expect(server.store.count(StorageKey(group: "example.com", resource: "gadgets")) == 0)
    }

    @Test func tokenRequestAndReview() {
        _ = call("POST", "/api/v1/namespaces/default/serviceaccounts",
                 ["apiVersion": "v1", "kind": "ServiceAccount", "metadata": ["name": "builder"]])
        let issued = call("POST", "/api/v1/namespaces/default/serviceaccounts/builder/token",
                          ["apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "spec": ["audiences": ["causeway"]]])
        #expect(issued.status == 201)
        let token = issued.body[path: ["status", "token"]]?.stringValue ?? ""
        #expect(!token.isEmpty)
        let review = call("POST", "/apis/authentication.k8s.io/v1/tokenreviews",
                          ["apiVersion": "authentication.k8s.io/v1", "kind": "TokenReview",
                           "spec": ["token": .string(token), "audiences": ["causeway"]]])
        #expect(review.body[path: ["status", "authenticated"]] == true)
        #expect(review.body[path: ["status", "user", "username"]] == "system:serviceaccount:default:builder")
        #expect(review.body[path: ["status", "audiences"]] == ["causeway"])
        // As kube-apiserver: a review naming no audience checks for the API server's own, which a
        // token requested for "causeway" does not carry; nor does it pass for another audience.
        for audiences: JSONValue in [[], ["causeway-ca"]] {
            let wrong = call("POST", "/apis/authentication.k8s.io/v1/tokenreviews",
                             ["apiVersion": "authentication.k8s.io/v1", "kind": "TokenReview",
                              "spec": ["token": .string(token), "audiences": audiences]])
            #expect(wrong.body[path: ["status", "authenticated"]] == false)
        }
        // A token requested without audiences is for the API server, and a plain review accepts it.
        let plain = call("POST", "/api/v1/namespaces/default/serviceaccounts/builder/token",
                         ["apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "spec": [:]])
        #expect(plain.body[path: ["spec", "audiences"]] == ["https://kubernetes.default.svc.cluster.local"])
        let plainReview = call("POST", "/apis/authentication.k8s.io/v1/tokenreviews",
                               ["apiVersion": "authentication.k8s.io/v1", "kind": "TokenReview",
                                "spec": ["token": plain.body[path: ["status", "token"]] ?? ""]])
        #expect(plainReview.body[path: ["status", "authenticated"]] == true)
        let forged = call("POST", "/apis/authentication.k8s.io/v1/tokenreviews",
                          ["apiVersion": "authentication.k8s.io/v1", "kind": "TokenReview", "spec": ["token": "forged"]])
        #expect(forged.body[path: ["status", "authenticated"]] == false)
    }
}
