import KubeModel
import Testing
@testable import Controller

@Suite("Status-only updates")
struct StatusOnlyChangeTests {
    let route: JSONValue = [
        "metadata": ["name": "users", "namespace": "default", "resourceVersion": "7", "generation": 1, "annotations": ["a": "1"]],
        "spec": ["hostnames": ["api.example.com"]],
    ]

    @Test("a new status and resourceVersion alone need no reconcile; spec, labels and annotations do")
    func statusOnly() {
        var written = route
        written["status"] = ["parents": []]
        written[path: ["metadata", "resourceVersion"]] = "8"
        #expect(StatusOnlyChange.matches(old: route, new: written))

        var respecced = written
        respecced[path: ["spec", "hostnames"]] = ["www.example.com"]
        #expect(!StatusOnlyChange.matches(old: route, new: respecced))

        var annotated = written
        annotated[path: ["metadata", "annotations", "a"]] = "2"
        #expect(!StatusOnlyChange.matches(old: route, new: annotated), "Ingress annotations steer translation")
    }
}
