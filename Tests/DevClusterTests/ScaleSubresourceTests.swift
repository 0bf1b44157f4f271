import KubeModel
import Testing
@testable import DevCluster

/// The `scale` subresource `kubectl scale` and autoscalers use: Deployments, ReplicaSets,
/// StatefulSets, and custom resources whose CRD declares `subresources.scale`.
@Suite struct ScaleSubresourceTests {
    let api: InProcessAPI

    init() throws {
        api = try InProcessAPI()
    }

    private let deployments = "/apis/apps/v1/namespaces/default/deployments"

    private func createDeployment() {
        let created = api.call("POST", deployments, [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web"],
            "spec": ["replicas": 1, "selector": ["matchLabels": ["app": "web", "tier": "front"]],
                     "template": ["metadata": ["labels": ["app": "web", "tier": "front"]],
                                  "spec": ["containers": [["name": "c", "image": "nginx"]]]]],
        ])
        #expect(created.status == 201, "\(created.body)")
    }

    @Test func aDeploymentScalesThroughItsScale() {
        createDeployment()
        let scale = api.call("GET", "\(deployments)/web/scale")
        #expect(scale.status == 200)
        #expect(scale.body["kind"] == "Scale")
        #expect(scale.body["apiVersion"] == "autoscaling/v1")
        #expect(scale.body[path: ["spec", "replicas"]] == 1)
        #expect(scale.body[path: ["status", "selector"]] == "app=web,tier=front")

        let put = api.call("PUT", "\(deployments)/web/scale", ["apiVersion": "autoscaling/v1", "kind": "Scale",
                                                               "metadata": ["name": "web"], "spec": ["replicas": 3]])
        #expect(put.status == 200, "\(put.body)")
        #expect(put.body[path: ["spec", "replicas"]] == 3)
        let deployment = api.call("GET", "\(deployments)/web").body
        #expect(deployment[path: ["spec", "replicas"]] == 3)
        #expect(deployment[path: ["metadata", "generation"]] == 2)

        let patched = api.call("PATCH", "\(deployments)/web/scale", ["spec": ["replicas": 5]], contentType: "application/merge-patch+json")
        #expect(patched.status == 200)
        #expect(api.call("GET", "\(deployments)/web").body[path: ["spec", "replicas"]] == 5)
    }

    @Test func aNegativeOrStaleScaleIsRefused() {
        createDeployment()
        let negative = api.call("PUT", "\(deployments)/web/scale", ["kind": "Scale", "apiVersion": "autoscaling/v1",
                                                                    "metadata": ["name": "web"], "spec": ["replicas": -1]])
        #expect(negative.status == 422)
        #expect(negative.body["message"] == "Scale.autoscaling \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0")
        let stale = api.call("PUT", "\(deployments)/web/scale", ["kind": "Scale", "apiVersion": "autoscaling/v1",
                                                                 "metadata": ["name": "web", "resourceVersion": "1"], "spec": ["replicas": 2]])
        #expect(stale.status == 409)
        #expect(api.call("GET", "\(deployments)/web").body[path: ["spec", "replicas"]] == 1)
        #expect(api.call("GET", "\(deployments)/missing/scale").status == 404)
        #expect(api.call("GET", "/api/v1/namespaces/default/configmaps/x/scale").status == 404)
    }

    @Test func discoveryListsTheScaleSubresource() {
        let resources = api.call("GET", "/apis/apps/v1").body["resources"]?.arrayValue ?? []
        let scale = resources.first { $0["name"] == "deployments/scale" }
        #expect(scale?["kind"] == "Scale")
        #expect(scale?["group"] == "autoscaling")
        #expect(resources.contains { $0["name"] == "statefulsets/scale" })
    }

    @Test func aCustomResourceWithAScaleSubresourceScales() throws {
        let crd: JSONValue = [
            "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": ["name": "workers.example.com"],
            "spec": ["group": "example.com", "scope": "Namespaced",
                     "names": ["plural": "workers", "singular": "worker", "kind": "Worker"],
                     "versions": [["name": "v1", "served": true, "storage": true,
                                   "subresources": ["status": [:], "scale": ["specReplicasPath": ".spec.count", "statusReplicasPath": ".status.count",
                                                                             "labelSelectorPath": ".status.selector"]],
                                   "schema": ["openAPIV3Schema": ["type": "object", "properties": [
                                       "spec": ["type": "object", "properties": ["count": ["type": "integer"]]],
                                       "status": ["type": "object", "properties": ["count": ["type": "integer"], "selector": ["type": "string"]]],
                                   ]]]]]],
        ]
        #expect(api.call("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd).status == 201)
        let workers = "/apis/example.com/v1/namespaces/default/workers"
        try #require(api.call("POST", workers, ["apiVersion": "example.com/v1", "kind": "Worker", "metadata": ["name": "w"],
                                                "spec": ["count": 2]]).status == 201)
        _ = api.call("PATCH", "\(workers)/w/status", ["status": ["count": 1, "selector": "app=w"]], contentType: "application/merge-patch+json")
        let scale = api.call("GET", "\(workers)/w/scale")
        #expect(scale.status == 200, "\(scale.body)")
        #expect(scale.body[path: ["spec", "replicas"]] == 2)
        #expect(scale.body[path: ["status", "replicas"]] == 1)
        #expect(scale.body[path: ["status", "selector"]] == "app=w")
        let put = api.call("PATCH", "\(workers)/w/scale", ["spec": ["replicas": 4]], contentType: "application/merge-patch+json")
        #expect(put.status == 200, "\(put.body)")
        #expect(api.call("GET", "\(workers)/w").body[path: ["spec", "count"]] == 4)
    }
}
