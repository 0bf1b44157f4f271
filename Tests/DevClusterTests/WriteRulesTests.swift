import KubeModel
import Testing
@testable import DevCluster

/// Writes kube-apiserver refuses and DevCluster used to accept: bad option values, apply without a
/// manager, renaming patches, immutable ConfigMaps and Secrets, unqualified finalizers, bad pod
/// addresses, a changed cluster IP, and unknown fields under `fieldValidation=Strict`.
@Suite struct WriteRulesTests {
    let api: InProcessAPI

    init() throws {
        api = try InProcessAPI()
    }

    private let configMaps = "/api/v1/namespaces/default/configmaps"

    private func configMap(_ name: String, data: JSONValue = ["v": "1"], extra: [String: JSONValue] = [:]) -> JSONValue {
        var object: [String: JSONValue] = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name)], "data": data]
        object.merge(extra) { _, new in new }
        return .object(object)
    }

    @Test func bogusOptionValuesAre422OnTheirOptionKind() {
        let dryRun = api.call("POST", "\(configMaps)?dryRun=Yes", configMap("a"))
        #expect(dryRun.status == 422)
        #expect(dryRun.body["message"] == "CreateOptions.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: []string{\"Yes\"}: supported values: \"All\"")

        let validation = api.call("POST", "\(configMaps)?fieldValidation=Loose", configMap("a"))
        #expect(validation.status == 422)
        #expect(validation.body["message"] == "CreateOptions.meta.k8s.io \"\" is invalid: fieldValidation: Unsupported value: \"Loose\": supported values: \"\", \"Ignore\", \"Strict\", \"Warn\"")

        #expect(api.call("POST", configMaps, configMap("a")).status == 201)
        let propagation = api.call("DELETE", "\(configMaps)/a?propagationPolicy=Eventually")
        #expect(propagation.status == 422)
        #expect(propagation.body["message"] == "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \"Eventually\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"")
        #expect(api.call("GET", "\(configMaps)/a").status == 200)

        let longManager = api.call("POST", "\(configMaps)?fieldManager=\(String(repeating: "m", count: 129))", configMap("b"))
        #expect(longManager.status == 422)
        #expect(longManager.body["message"] == "CreateOptions.meta.k8s.io \"\" is invalid: fieldManager: Too long: may not be more than 128 bytes")
        let tab = api.call("POST", "\(configMaps)?fieldManager=a%09b", configMap("b"))
        #expect(tab.status == 422)
        #expect(tab.body["message"] == "CreateOptions.meta.k8s.io \"\" is invalid: fieldManager: Invalid value: \"a\\tb\": invalid character U+0009 (at position 1)")

        let update = api.call("PUT", "\(configMaps)/a?dryRun=Some", configMap("a"))
        #expect(update.status == 422)
        #expect(update.body[path: ["details", "kind"]] == "UpdateOptions")
    }

    @Test func serverSideApplyNeedsAFieldManagerAndForceIsForApplyOnly() {
        let apply = api.call("PATCH", "\(configMaps)/a", configMap("a"), contentType: "application/apply-patch+yaml")
        #expect(apply.status == 422)
        #expect(apply.body["message"] == "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch")
        #expect(api.call("GET", "\(configMaps)/a").status == 404)
        #expect(api.call("PATCH", "\(configMaps)/a?fieldManager=me", configMap("a"), contentType: "application/apply-patch+yaml").status == 201)

        let forced = api.call("PATCH", "\(configMaps)/a?force=true", ["data": ["v": "2"]], contentType: "application/merge-patch+json")
        #expect(forced.status == 422)
        #expect(forced.body["message"] == "PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may not be specified for non-apply patch")
    }

    @Test func aPatchMayNotRenameTheObject() {
        #expect(api.call("POST", configMaps, configMap("a")).status == 201)
        let merge = api.call("PATCH", "\(configMaps)/a", ["metadata": ["name": "b"]], contentType: "application/merge-patch+json")
        #expect(merge.status == 400)
        #expect(merge.body["message"] == "the name of the object (b) does not match the name on the URL (a)")
        let json = api.call("PATCH", "\(configMaps)/a", [["op": "replace", "path": "/metadata/name", "value": "c"]],
                            contentType: "application/json-patch+json")
        #expect(json.status == 400)
        #expect(api.call("GET", "\(configMaps)/a").status == 200)
        #expect(api.call("GET", "\(configMaps)/b").status == 404)
    }

    @Test func immutableConfigMapsAndSecretsKeepTheirData() {
        #expect(api.call("POST", configMaps, configMap("frozen", extra: ["immutable": true])).status == 201)
        let changed = api.call("PUT", "\(configMaps)/frozen", configMap("frozen", data: ["v": "2"], extra: ["immutable": true]))
        #expect(changed.status == 422)
        #expect(changed.body["message"] == "ConfigMap \"frozen\" is invalid: data: Forbidden: field is immutable when `immutable` is set")
        let thawed = api.call("PATCH", "\(configMaps)/frozen", ["immutable": false], contentType: "application/merge-patch+json")
        #expect(thawed.status == 422)
        // Metadata still changes.
        let labelled = api.call("PATCH", "\(configMaps)/frozen", ["metadata": ["labels": ["a": "b"]]], contentType: "application/merge-patch+json")
        #expect(labelled.status == 200, "\(labelled.body)")

        let secrets = "/api/v1/namespaces/default/secrets"
        #expect(api.call("POST", secrets, ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "s"], "immutable": true,
                                           "data": ["k": "YQ=="]]).status == 201)
        let secret = api.call("PATCH", "\(secrets)/s", ["stringData": ["k": "b"]], contentType: "application/merge-patch+json")
        #expect(secret.status == 422)
        #expect(secret.body["message"] == "Secret \"s\" is invalid: data: Forbidden: field is immutable when `immutable` is set")
    }

    @Test func builtInFinalizersMustBeQualifiedOrStandard() {
        let bare = api.call("POST", configMaps, configMap("f", extra: ["metadata": ["name": "f", "finalizers": ["cleanup"]]]))
        #expect(bare.status == 422)
        #expect(bare.body["message"] == "ConfigMap \"f\" is invalid: metadata.finalizers: Invalid value: \"cleanup\": name is neither a standard finalizer name nor is it fully qualified")
        let qualified = api.call("POST", configMaps, configMap("g", extra: ["metadata": ["name": "g", "finalizers": ["example.com/cleanup", "orphan"]]]))
        #expect(qualified.status == 201, "\(qualified.body)")
    }

    @Test func podAddressesMustBeIPsOnePerFamily() {
        let pods = "/api/v1/namespaces/default/pods"
        let pod: JSONValue = ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p"],
                              "spec": ["containers": [["name": "c", "image": "busybox"]]]]
        #expect(api.call("POST", pods, pod).status == 201)
        let bogus = api.call("PATCH", "\(pods)/p/status", ["status": ["podIPs": [["ip": "not-an-ip"]]]],
                             contentType: "application/merge-patch+json")
        #expect(bogus.status == 422)
        #expect(bogus.body["message"]?.stringValue?.contains("status.podIPs[0]: Invalid value: \"not-an-ip\": must be a valid IP address") == true)
        let twoV4 = api.call("PATCH", "\(pods)/p/status", ["status": ["podIPs": [["ip": "10.0.0.1"], ["ip": "10.0.0.2"]]]],
                             contentType: "application/merge-patch+json")
        #expect(twoV4.status == 422)
        #expect(twoV4.body["message"]?.stringValue?.contains("may specify no more than one IP for each IP family") == true)
        let dual = api.call("PATCH", "\(pods)/p/status", ["status": ["podIPs": [["ip": "10.0.0.1"], ["ip": "fd00::1"]]]],
                            contentType: "application/merge-patch+json")
        #expect(dual.status == 200, "\(dual.body)")
    }

    @Test func aServiceKeepsItsClusterIP() {
        let services = "/api/v1/namespaces/default/services"
        let created = api.call("POST", services, ["apiVersion": "v1", "kind": "Service", "metadata": ["name": "web"],
                                                  "spec": ["ports": [["port": 80]]]])
        #expect(created.status == 201)
        let ip = created.body[path: ["spec", "clusterIP"]]?.stringValue ?? ""
        #expect(!ip.isEmpty)
        let moved = api.call("PATCH", "\(services)/web", ["spec": ["clusterIP": "10.96.250.250"]], contentType: "application/merge-patch+json")
        #expect(moved.status == 422)
        #expect(moved.body["message"] == "Service \"web\" is invalid: spec.clusterIP: Invalid value: \"10.96.250.250\": field is immutable")
        // Leaving it out of a replacement keeps it.
        let replaced = api.call("PUT", "\(services)/web", ["apiVersion": "v1", "kind": "Service", "metadata": ["name": "web"],
                                                           "spec": ["ports": [["port": 81]]]])
        #expect(replaced.status == 200, "\(replaced.body)")
        #expect(replaced.body[path: ["spec", "clusterIP"]] == .string(ip))
    }

    @Test func unknownFieldsOfBuiltInKindsFollowFieldValidation() {
        let strict = api.call("POST", "\(configMaps)?fieldValidation=Strict", configMap("u", extra: ["spec": ["x": 1]]))
        #expect(strict.status == 400)
        #expect(strict.body["message"] == "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: strict decoding error: unknown field \"spec\"")

        let deployment: JSONValue = [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web"],
            "spec": ["selector": ["matchLabels": ["app": "web"]], "replica": 2,
                     "template": ["metadata": ["labels": ["app": "web"]],
                                  "spec": ["containers": [["name": "c", "image": "nginx", "imagePolicy": "Always"]]]]],
        ]
        let nested = api.call("POST", "/apis/apps/v1/namespaces/default/deployments?fieldValidation=Strict", deployment)
        #expect(nested.status == 400)
        #expect(nested.body["message"]?.stringValue?.hasSuffix("strict decoding error: unknown field \"spec.replica\", unknown field \"spec.template.spec.containers[0].imagePolicy\"") == true,
                "\(nested.body)")

        let warned = api.call("POST", "/apis/apps/v1/namespaces/default/deployments", deployment)
        #expect(warned.status == 201)
        #expect(warned.warnings.contains("unknown field \"spec.replica\""))
        // Dropped, as JSON decoding into the Go types drops them.
        #expect(warned.body[path: ["spec", "replica"]] == nil)
        #expect(warned.body[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.first?["imagePolicy"] == nil)
        #expect(warned.body[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.first?["image"] == "nginx")
    }

    @Test func aCreateMayNotCarryAResourceVersionAndAnUpdateMayNotSwapTheUID() {
        let exported = api.call("POST", configMaps, configMap("x", extra: ["metadata": ["name": "x", "resourceVersion": "42"]]))
        #expect(exported.status == 500)
        #expect(exported.body["message"] == "resourceVersion should not be set on objects to be created")
        #expect(exported.body["reason"] == nil)
        #expect(api.call("GET", "\(configMaps)/x").status == 404)

        #expect(api.call("POST", configMaps, configMap("y")).status == 201)
        let uid = api.call("GET", "\(configMaps)/y").body[path: ["metadata", "uid"]]?.stringValue ?? ""
        let other = api.call("PUT", "\(configMaps)/y", configMap("y", data: ["v": "2"], extra: ["metadata": ["name": "y", "uid": "someone-else"]]))
        #expect(other.status == 409)
        #expect(other.body["message"] == .string("Operation cannot be fulfilled on configmaps \"y\": Precondition failed: UID in precondition: someone-else, UID in object meta: \(uid)"))
        let same = api.call("PUT", "\(configMaps)/y", configMap("y", data: ["v": "2"], extra: ["metadata": ["name": "y", "uid": .string(uid)]]))
        #expect(same.status == 200)
    }
}
