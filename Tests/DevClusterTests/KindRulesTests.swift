import KubeModel
import Testing
@testable import DevCluster

/// Per-kind rules of the real registry that users meet on their first edits: a running pod's spec
/// is fixed except its images, a Job's template is fixed, pod policy fields are closed sets, and
/// NodePort and LoadBalancer Services get node ports.
@Suite struct KindRulesTests {
    let api: InProcessAPI

    init() throws {
        api = try InProcessAPI()
    }

    private let pods = "/api/v1/namespaces/default/pods"
    private let services = "/api/v1/namespaces/default/services"

    private func pod(_ name: String, spec: [String: JSONValue] = [:]) -> JSONValue {
        var podSpec: [String: JSONValue] = ["containers": [["name": "c", "image": "busybox"]]]
        podSpec.merge(spec) { _, new in new }
        return ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name)], "spec": .object(podSpec)]
    }

    @Test func aRunningPodChangesOnlyItsImagesAndTolerations() {
        #expect(api.call("POST", pods, pod("p")).status == 201)
        let env = api.call("PATCH", "\(pods)/p", ["spec": ["containers": [["name": "c", "env": [["name": "A", "value": "1"]]]]]],
                           contentType: "application/strategic-merge-patch+json")
        #expect(env.status == 422)
        #expect(env.body["message"]?.stringValue?.hasPrefix("Pod \"p\" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`") == true,
                "\(env.body)")
        let image = api.call("PATCH", "\(pods)/p", ["spec": ["containers": [["name": "c", "image": "busybox:2"]]]],
                             contentType: "application/strategic-merge-patch+json")
        #expect(image.status == 200, "\(image.body)")
        let added = api.call("PATCH", "\(pods)/p", ["spec": ["containers": [["name": "c", "image": "busybox"], ["name": "d", "image": "nginx"]]]],
                             contentType: "application/merge-patch+json")
        #expect(added.status == 422)
        #expect(added.body["message"] == "Pod \"p\" is invalid: spec.containers: Forbidden: pod updates may not add or remove containers")
        let toleration = api.call("PATCH", "\(pods)/p", ["spec": ["tolerations": [["key": "gpu", "operator": "Exists"]]]],
                                  contentType: "application/strategic-merge-patch+json")
        #expect(toleration.status == 200, "\(toleration.body)")
    }

    @Test func podPolicyFieldsAreClosedSets() {
        let restart = api.call("POST", pods, pod("q", spec: ["restartPolicy": "Sometimes"]))
        #expect(restart.status == 422)
        #expect(restart.body["message"] == "Pod \"q\" is invalid: spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"")
        let pull = api.call("POST", pods, pod("r", spec: ["containers": [["name": "c", "image": "busybox", "imagePullPolicy": "Sometimes"]]]))
        #expect(pull.status == 422)
        #expect(pull.body["message"]?.stringValue?.contains("spec.containers[0].imagePullPolicy: Unsupported value") == true)
    }

    @Test func aJobsTemplateIsFixed() {
        let jobs = "/apis/batch/v1/namespaces/default/jobs"
        let job: JSONValue = ["apiVersion": "batch/v1", "kind": "Job", "metadata": ["name": "j"],
                              "spec": ["template": ["spec": ["restartPolicy": "Never", "containers": [["name": "c", "image": "x"]]]]]]
        #expect(api.call("POST", jobs, job).status == 201)
        let changed = api.call("PATCH", "\(jobs)/j", ["spec": ["template": ["spec": ["containers": [["name": "c", "image": "y"]]]]]],
                               contentType: "application/strategic-merge-patch+json")
        #expect(changed.status == 422)
        #expect(changed.body["message"]?.stringValue?.contains("spec.template: Invalid value:") == true)
        #expect(changed.body["message"]?.stringValue?.hasSuffix("field is immutable") == true)
    }

    private func service(_ name: String, type: String, ports: [JSONValue]) -> JSONValue {
        ["apiVersion": "v1", "kind": "Service", "metadata": ["name": .string(name)], "spec": ["type": .string(type), "ports": .array(ports)]]
    }

    @Test func nodePortServicesGetFreeNodePortsThatTheyKeep() throws {
        let first = api.call("POST", services, service("a", type: "NodePort", ports: [["name": "http", "port": 80], ["name": "https", "port": 443]]))
        #expect(first.status == 201, "\(first.body)")
        let assigned = (first.body[path: ["spec", "ports"]]?.arrayValue ?? []).compactMap { $0["nodePort"]?.intValue }
        #expect(assigned.count == 2)
        #expect(assigned.allSatisfy { (30000...32767).contains($0) } && Set(assigned).count == 2)

        // Another Service may not take them, and a port outside the range is refused.
        let taken = api.call("POST", services, service("b", type: "NodePort", ports: [["port": 80, "nodePort": .int(assigned[0])]]))
        #expect(taken.status == 422)
        #expect(taken.body["message"] == .string("Service \"b\" is invalid: spec.ports[0].nodePort: Invalid value: \(assigned[0]): provided port is already allocated"))
        let outside = api.call("POST", services, service("c", type: "NodePort", ports: [["port": 80, "nodePort": 8080]]))
        #expect(outside.status == 422)
        #expect(outside.body["message"] == "Service \"c\" is invalid: spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767")

        // A replacement that leaves them out keeps them.
        let replaced = api.call("PUT", "\(services)/a", service("a", type: "NodePort", ports: [["name": "http", "port": 80], ["name": "https", "port": 443]]))
        #expect(replaced.status == 200, "\(replaced.body)")
        #expect((replaced.body[path: ["spec", "ports"]]?.arrayValue ?? []).compactMap { $0["nodePort"]?.intValue } == assigned)

        // Moving to ClusterIP drops them; a ClusterIP Service may not name one.
        let clusterIP = api.call("PATCH", "\(services)/a", ["spec": ["type": "ClusterIP"]], contentType: "application/merge-patch+json")
        #expect(clusterIP.status == 200, "\(clusterIP.body)")
        #expect((clusterIP.body[path: ["spec", "ports"]]?.arrayValue ?? []).allSatisfy { $0["nodePort"] == nil })
        let named = api.call("POST", services, service("d", type: "ClusterIP", ports: [["port": 80, "nodePort": 30500]]))
        #expect(named.status == 422)
        #expect(named.body["message"] == "Service \"d\" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'")

        // Given back, the first port can be requested by another Service.
        let reused = api.call("POST", services, service("e", type: "LoadBalancer", ports: [["port": 80, "nodePort": .int(assigned[0])]]))
        #expect(reused.status == 201, "\(reused.body)")
    }

    @Test func deletingAServiceFreesItsNodePorts() {
        let created = api.call("POST", services, service("a", type: "NodePort", ports: [["port": 80]]))
        let port = created.body[path: ["spec", "ports"]]?.arrayValue?.first?["nodePort"]?.intValue ?? 0
        #expect(port != 0)
        #expect(api.call("DELETE", "\(services)/a").status == 200)
        let again = api.call("POST", services, service("b", type: "NodePort", ports: [["port": 80, "nodePort": .int(port)]]))
        #expect(again.status == 201, "\(again.body)")
    }
}
