import Testing
import KubeModel
@testable import APIMachinery

@Suite struct ApplyInteropTests {
    let strategies = PatchStrategies.builtIn(group: "apps", kind: "Deployment")
    let now = "2026-01-01T00:00:00Z"
    let later = "2026-01-01T00:05:00Z"

    func deployment(replicas: Int64) -> JSONValue {
        json(#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":\#(replicas)}}"#)
    }

    func entries(_ object: JSONValue) -> [JSONValue] { object[path: ["metadata", "managedFields"]]?.arrayValue ?? [] }

    /// An object last written by `kubectl apply` (client-side), with its annotation.
    func clientSideApplied(replicas: Int64, recorded lastReplicas: Int64) -> JSONValue {
        let annotation = deployment(replicas: lastReplicas).jsonString + "\n"
        var object = deployment(replicas: replicas)
        object[path: ["metadata", "annotations"]] = ["kubectl.kubernetes.io/last-applied-configuration": .string(annotation)]
        return ServerSideApply.recordUpdate(old: nil, new: object, manager: "kubectl-client-side-apply", apiVersion: "apps/v1", now: now)
    }

    @Test func kubectlTakesOverFieldsThatStillMatchItsLastAppliedRecord() throws {
        let live = clientSideApplied(replicas: 1, recorded: 1)
        let applied = try ServerSideApply.apply(deployment(replicas: 3), to: live, manager: "kubectl", force: false, strategies: strategies, now: later)
        #expect(applied[path: ["spec", "replicas"]] == 3)
        let record = applied[path: ["metadata", "annotations", "kubectl.kubernetes.io/last-applied-configuration"]]?.stringValue ?? ""
        #expect(try JSONValue(parsing: record) == deployment(replicas: 3))
        #expect(record.hasSuffix("\n"))
    }

    @Test func kubectlStillConflictsOnFieldsChangedSinceItsLastApply() {
        let live = clientSideApplied(replicas: 2, recorded: 1)
        #expect(throws: ApplyConflict.self) {
            try ServerSideApply.apply(deployment(replicas: 3), to: live, manager: "kubectl", force: false, strategies: strategies, now: later)
        }
    }

    @Test func otherManagersGetNoLastAppliedExemption() {
        let live = clientSideApplied(replicas: 1, recorded: 1)
        #expect(throws: ApplyConflict.self) {
            try ServerSideApply.apply(deployment(replicas: 3), to: live, manager: "helm", force: false, strategies: strategies, now: later)
        }
    }

    @Test func untrackedObjectsBelongToBeforeFirstApply() throws {
        let applied = try ServerSideApply.apply(deployment(replicas: 1), to: deployment(replicas: 1), manager: "kubectl", force: false,
                                                strategies: strategies, now: later)
        #expect(entries(applied).map { $0["manager"] } == ["kubectl", "before-first-apply"])
    }

    @Test func customResourceListsFollowTheirSchema() throws {
        let schema = try StructuralSchema(json(#"""
            {"type":"object","properties":{"spec":{"type":"object","properties":{
              "listeners":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],
                           "items":{"type":"object","properties":{"name":{"type":"string"},"port":{"type":"integer"}}}},
              "hosts":{"type":"array","items":{"type":"string"}}}}}}
            """#))
        let crd = PatchStrategies(schema: schema)
        let first = try ServerSideApply.apply(
            json(#"{"apiVersion":"x/v1","kind":"Gateway","metadata":{"name":"g"},"spec":{"listeners":[{"name":"http","port":80}],"hosts":["a"]}}"#),
            to: nil, manager: "one", force: false, strategies: crd, now: now)
        let second = try ServerSideApply.apply(
            json(#"{"apiVersion":"x/v1","kind":"Gateway","metadata":{"name":"g"},"spec":{"listeners":[{"name":"https","port":443}]}}"#),
            to: first, manager: "two", force: false, strategies: crd, now: later)
        #expect(second[path: ["spec", "listeners"]] == json(#"[{"name":"http","port":80},{"name":"https","port":443}]"#))
        #expect(second[path: ["spec", "hosts"]] == ["a"])
        #expect(entries(second).first { $0["manager"] == "two" }?["fieldsV1"]
                == json(#"{"f:spec":{"f:listeners":{"k:{\"name\":\"https\"}":{".":{},"f:name":{},"f:port":{}}}}}"#))
        // hosts is atomic and owned by "one": replacing it is a conflict.
        #expect(throws: ApplyConflict.self) {
            try ServerSideApply.apply(json(#"{"apiVersion":"x/v1","kind":"Gateway","metadata":{"name":"g"},"spec":{"hosts":["b"]}}"#),
                                      to: second, manager: "two", force: false, strategies: crd, now: later)
        }
    }
}
