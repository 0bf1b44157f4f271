import Testing
import KubeModel
@testable import APIMachinery

@Suite struct ServerSideApplyTests {
    let strategies = PatchStrategies.builtIn(group: "apps", kind: "Deployment")
    let now = "2026-01-01T00:00:00Z"
    let later = "2026-01-01T00:05:00Z"

    func deployment(replicas: Int64, image: String = "nginx:1", labels: JSONValue = ["app": "web"]) -> JSONValue {
        json(#"""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default","labels":\#(labels.jsonString)},
             "spec":{"replicas":\#(replicas),"selector":{"matchLabels":{"app":"web"}},
                     "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"app","image":"\#(image)"}]}}}}
            """#)
    }

    func entries(_ object: JSONValue) -> [JSONValue] { object[path: ["metadata", "managedFields"]]?.arrayValue ?? [] }

    @Test func createRecordsTheAppliedFieldsInFieldsV1() throws {
        let created = try ServerSideApply.apply(deployment(replicas: 2), to: nil, manager: "kubectl", force: false, strategies: strategies, now: now)
        #expect(created[path: ["spec", "replicas"]] == 2)
        #expect(entries(created) == [json(#"""
            {"manager":"kubectl","operation":"Apply","apiVersion":"apps/v1","time":"2026-01-01T00:00:00Z","fieldsType":"FieldsV1",
             "fieldsV1":{"f:metadata":{"f:labels":{"f:app":{}}},
                         "f:spec":{"f:replicas":{},"f:selector":{},
                                   "f:template":{"f:metadata":{"f:labels":{"f:app":{}}},
                                                 "f:spec":{"f:containers":{"k:{\"name\":\"app\"}":{".":{},"f:image":{},"f:name":{}}}}}}}}
            """#)])
    }

    @Test func applyingTheSameConfigurationTwiceChangesNothing() throws {
        let first = try ServerSideApply.apply(deployment(replicas: 2), to: nil, manager: "kubectl", force: false, strategies: strategies, now: now)
        let second = try ServerSideApply.apply(deployment(replicas: 2), to: first, manager: "kubectl", force: false, strategies: strategies, now: later)
        #expect(second == first)
    }

    @Test func changingAFieldAnotherManagerSetConflicts() throws {
        let created = ServerSideApply.recordUpdate(old: nil, new: deployment(replicas: 1), manager: "kubectl-client-side-apply", apiVersion: "apps/v1", now: now)
        do {
            _ = try ServerSideApply.apply(deployment(replicas: 3), to: created, manager: "kubectl", force: false, strategies: strategies, now: later)
            Issue.record("expected a conflict")
        } catch {
            #expect(error.message == "Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using apps/v1: .spec.replicas")
            #expect(error.causes == [APIStatus.Cause(reason: "FieldManagerConflict", message: "conflict with \"kubectl-client-side-apply\" using apps/v1", field: ".spec.replicas")])
            #expect(error.status.code == 409)
        }
    }

    @Test func severalConflictsListedByManager() throws {
        let created = ServerSideApply.recordUpdate(old: nil, new: deployment(replicas: 1), manager: "editor", apiVersion: "apps/v1", now: now)
        #expect(throws: ApplyConflict.self) {
            try ServerSideApply.apply(deployment(replicas: 3, image: "nginx:2"), to: created, manager: "kubectl", force: false, strategies: strategies, now: later)
        }
        do {
            _ = try ServerSideApply.apply(deployment(replicas: 3, image: "nginx:2"), to: created, manager: "kubectl", force: false, strategies: strategies, now: later)
        } catch {
            #expect(error.message == """
                Apply failed with 2 conflicts: conflicts with "editor" using apps/v1:
                - .spec.replicas
                - .spec.template.spec.containers[name="app"].image
                """)
        }
    }

    @Test func sameValueIsSharedNotAConflict() throws {
        let created = ServerSideApply.recordUpdate(old: nil, new: deployment(replicas: 1), manager: "editor", apiVersion: "apps/v1", now: now)
        let applied = try ServerSideApply.apply(deployment(replicas: 1), to: created, manager: "kubectl", force: false, strategies: strategies, now: later)
        let managers = entries(applied).compactMap { $0["manager"]?.stringValue }
        #expect(managers == ["kubectl", "editor"])
        #expect(entries(applied)[1][path: ["fieldsV1", "f:spec", "f:replicas"]] == .object([:]))
    }

    @Test func forceTakesTheFieldOver() throws {
        let created = ServerSideApply.recordUpdate(old: nil, new: deployment(replicas: 1), manager: "editor", apiVersion: "apps/v1", now: now)
        let applied = try ServerSideApply.apply(deployment(replicas: 5), to: created, manager: "kubectl", force: true, strategies: strategies, now: later)
        #expect(applied[path: ["spec", "replicas"]] == 5)
        let editor = entries(applied).first { $0["manager"] == "editor" }
        #expect(editor?[path: ["fieldsV1", "f:spec", "f:replicas"]] == nil)
        #expect(editor?[path: ["fieldsV1", "f:spec", "f:selector"]] == .object([:]))
    }

    @Test func omittedFieldsAreRemovedUnlessSomeoneElseOwnsThem() throws {
        let first = try ServerSideApply.apply(deployment(replicas: 1, labels: ["app": "web", "tier": "fe", "team": "a"]), to: nil,
                                              manager: "kubectl", force: false, strategies: strategies, now: now)
        // Another applier also sets `team` to the same value, so it shares ownership.
        let other = json(#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"team":"a"}}}"#)
        let shared = try ServerSideApply.apply(other, to: first, manager: "other", force: false, strategies: strategies, now: now)
        let second = try ServerSideApply.apply(deployment(replicas: 1, labels: ["app": "web"]), to: shared,
                                               manager: "kubectl", force: false, strategies: strategies, now: later)
        #expect(second[path: ["metadata", "labels"]] == ["app": "web", "team": "a"])
        #expect(entries(second).map { $0["manager"] } == ["other", "kubectl"])
    }

    @Test func removedListElementsGo() throws {
        var config = deployment(replicas: 1)
        config[path: ["spec", "template", "spec", "containers"]] = json(#"[{"name":"app","image":"a"},{"name":"side","image":"s"}]"#)
        let first = try ServerSideApply.apply(config, to: nil, manager: "kubectl", force: false, strategies: strategies, now: now)
        let second = try ServerSideApply.apply(deployment(replicas: 1, image: "a"), to: first, manager: "kubectl", force: false, strategies: strategies, now: later)
        #expect(second[path: ["spec", "template", "spec", "containers"]] == json(#"[{"name":"app","image":"a"}]"#))
    }

    @Test func keyedListsMergeWithOtherManagersElements() throws {
        let created = ServerSideApply.recordUpdate(old: nil, new: deployment(replicas: 1), manager: "editor", apiVersion: "apps/v1", now: now)
        var config = json(#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"}}"#)
        config[path: ["spec", "template", "spec", "containers"]] = json(#"[{"name":"side","image":"s"}]"#)
        let applied = try ServerSideApply.apply(config, to: created, manager: "mesh", force: false, strategies: strategies, now: later)
        #expect(applied[path: ["spec", "template", "spec", "containers"]] == json(#"[{"name":"app","image":"nginx:1"},{"name":"side","image":"s"}]"#))
        #expect(applied[path: ["spec", "replicas"]] == 1)
    }
}

@Suite struct ManagedFieldsUpdateTests {
    let now = "2026-01-01T00:00:00Z"
    let later = "2026-01-01T00:05:00Z"

    @Test func createOwnsEverythingItSet() {
        let configMap = json(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"d","labels":{"a":"b"}},"data":{"key":"v"}}"#)
        let recorded = ServerSideApply.recordUpdate(old: nil, new: configMap, manager: "kubectl-create", apiVersion: "v1", now: now)
        #expect(recorded[path: ["metadata", "managedFields"]] == json(#"""
            [{"manager":"kubectl-create","operation":"Update","apiVersion":"v1","time":"2026-01-01T00:00:00Z","fieldsType":"FieldsV1",
              "fieldsV1":{"f:data":{".":{},"f:key":{}},"f:metadata":{"f:labels":{".":{},"f:a":{}}}}}]
            """#))
    }

    @Test func workloadCreateDoesNotOwnTheShell() {
        let deployment = json(#"""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"w"},
             "spec":{"replicas":1,"template":{"metadata":{"labels":{"app":"w"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}}
            """#)
        let recorded = ServerSideApply.recordUpdate(old: nil, new: deployment, manager: "kubectl-create", apiVersion: "apps/v1", now: now)
        #expect(recorded[path: ["metadata", "managedFields"]]?.arrayValue?.first?["fieldsV1"] == json(#"""
            {"f:spec":{"f:replicas":{},"f:template":{"f:metadata":{"f:labels":{".":{},"f:app":{}}},
             "f:spec":{"f:containers":{"k:{\"name\":\"c\"}":{".":{},"f:image":{},"f:name":{}}}}}}}
            """#))
    }

    @Test func updatesMoveOwnershipAndKeepTimeWhenNothingChanged() {
        let v1 = json(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"1","b":"2"}}"#)
        let created = ServerSideApply.recordUpdate(old: nil, new: v1, manager: "creator", apiVersion: "v1", now: now)
        var v2 = created
        v2[path: ["data", "b"]] = "3"
        let edited = ServerSideApply.recordUpdate(old: created, new: v2, manager: "editor", apiVersion: "v1", now: later)
        let entries = edited[path: ["metadata", "managedFields"]]?.arrayValue ?? []
        #expect(entries.map { $0["manager"] } == ["creator", "editor"])
        #expect(entries[0]["fieldsV1"] == json(#"{"f:data":{".":{},"f:a":{}}}"#))
        #expect(entries[1]["fieldsV1"] == json(#"{"f:data":{"f:b":{}}}"#))

        let unchanged = ServerSideApply.recordUpdate(old: edited, new: edited, manager: "editor", apiVersion: "v1", now: "2026-01-02T00:00:00Z")
        #expect(unchanged == edited)
    }

    @Test func removedFieldsLeaveEveryone() {
        let v1 = json(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"1"}}"#)
        let created = ServerSideApply.recordUpdate(old: nil, new: v1, manager: "creator", apiVersion: "v1", now: now)
        var v2 = created
        v2["data"] = nil
        let edited = ServerSideApply.recordUpdate(old: created, new: v2, manager: "editor", apiVersion: "v1", now: later)
        #expect(edited[path: ["metadata", "managedFields"]] == nil)
    }

    @Test func fieldsV1RoundTrips() {
        let fields = json(#"{"f:spec":{"f:ports":{"k:{\"port\":80,\"protocol\":\"TCP\"}":{".":{},"f:port":{}}}},"f:metadata":{"f:finalizers":{".":{},"v:\"a\"":{}}}}"#)
        #expect(FieldSet(fieldsV1: fields).fieldsV1 == fields)
    }
}

@Suite struct ManagedFieldsCapTests {
    @Test func oldestUpdatersFoldIntoAncientChanges() {
        var object = json(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{}}"#)
        var previous: JSONValue?
        for writer in 0..<12 {
            var next = object
            next[path: ["data", "k\(writer)"]] = "v"
            object = ServerSideApply.recordUpdate(old: previous, new: next, manager: "writer-\(writer)", apiVersion: "v1",
                                                  now: "2026-01-01T00:00:\(writer < 10 ? "0" : "")\(writer)Z")
            previous = object
        }
        let entries = object[path: ["metadata", "managedFields"]]?.arrayValue ?? []
        #expect(entries.count == 10)
        #expect(entries.first?["manager"] == "ancient-changes")
        #expect(entries.first?[path: ["fieldsV1", "f:data"]]?.objectValue?.keys.sorted() == [".", "f:k0", "f:k1", "f:k2"])
        #expect(entries.last?["manager"] == "writer-11")
    }
}

@Suite struct ManagedFieldsSourceTests {
    let stored = ServerSideApply.recordUpdate(old: nil, new: json(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"1"}}"#),
                                              manager: "creator", apiVersion: "v1", now: "2026-01-01T00:00:00Z")

    func managers(_ object: JSONValue) -> [JSONValue?] {
        (object[path: ["metadata", "managedFields"]]?.arrayValue ?? []).map { $0["manager"] }
    }

    @Test func requestsWithoutManagedFieldsKeepTheStoredOnes() {
        var request = stored
        request[path: ["metadata", "managedFields"]] = nil
        request[path: ["data", "b"]] = "2"
        let written = ServerSideApply.recordUpdate(old: stored, new: request, manager: "editor", apiVersion: "v1", now: "2026-01-01T00:01:00Z")
        #expect(managers(written) == ["creator", "editor"])
    }

    @Test func oneEmptyEntryResets() {
        var request = stored
        request[path: ["metadata", "managedFields"]] = [.object([:])]
        let written = ServerSideApply.recordUpdate(old: stored, new: request, manager: "editor", apiVersion: "v1", now: "2026-01-01T00:01:00Z")
        #expect(written[path: ["metadata", "managedFields"]] == nil)
    }
}
