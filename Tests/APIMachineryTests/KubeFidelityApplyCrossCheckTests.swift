import Testing
import KubeModel
import APIMachinery

/// Server-side apply and managed fields as kube-apiserver keeps them, checked through the
/// public API only so the suite holds whichever implementation sits behind it.
@Suite struct KubeFidelityApplyCrossCheckTests {
    static let strategies = PatchStrategies.builtIn(group: "apps", kind: "Deployment")
    static let t1 = "2026-01-01T00:00:00Z"
    static let t2 = "2026-01-01T00:05:00Z"

    static let config = json(#"""
    {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web"}},
     "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
       "template":{"metadata":{"labels":{"app":"web"}},
         "spec":{"containers":[{"name":"web","image":"nginx:1","ports":[{"containerPort":80}]}]}}}}
    """#)

    func apply(_ config: JSONValue, to live: JSONValue?, manager: String = "kubectl", force: Bool = false,
               now: String = t1) throws(ApplyConflict) -> JSONValue {
        try ServerSideApply.apply(config, to: live, manager: manager, force: force, strategies: Self.strategies, now: now)
    }

    func update(_ old: JSONValue?, _ new: JSONValue, manager: String, now: String = t2) -> JSONValue {
        ServerSideApply.recordUpdate(old: old, new: new, manager: manager, apiVersion: "apps/v1", now: now)
    }

    func entries(_ object: JSONValue) -> [JSONValue] {
        object[path: ["metadata", "managedFields"]]?.arrayValue ?? []
    }

    func managers(_ object: JSONValue) -> [String] {
        entries(object).compactMap { $0["manager"]?.stringValue }
    }

    /// The FieldsV1 kubectl apply --server-side records for this Deployment: leaves, keyed items
    /// with `.`, the atomic label selector as one field, port keys with the defaulted protocol.
    @Test func createRecordsTheApplyEntry() throws {
        let created = try apply(Self.config, to: nil)
        #expect(entries(created) == [json(#"""
        {"manager":"kubectl","operation":"Apply","apiVersion":"apps/v1","time":"2026-01-01T00:00:00Z","fieldsType":"FieldsV1",
         "fieldsV1":{"f:metadata":{"f:labels":{"f:app":{}}},
           "f:spec":{"f:replicas":{},"f:selector":{},
             "f:template":{"f:metadata":{"f:labels":{"f:app":{}}},
               "f:spec":{"f:containers":{"k:{\"name\":\"web\"}":{".":{},"f:name":{},"f:image":{},
                 "f:ports":{"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{}}}}}}}}}}
        """#)])
    }

    @Test func applyingTwiceChangesNothing() throws {
        let first = try apply(Self.config, to: nil, now: Self.t1)
        #expect(try apply(Self.config, to: first, now: Self.t2) == first)
    }

    @Test func droppedFieldsGoUnlessSomeoneElseOwnsThem() throws {
        let first = try apply(Self.config, to: nil)
        var smaller = Self.config
        smaller[path: ["spec", "replicas"]] = nil
        let alone = try apply(smaller, to: first, now: Self.t2)
        #expect(alone[path: ["spec", "replicas"]] == nil)

        let shared = try apply(json(#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":2}}"#),
                               to: first, manager: "other")
        #expect(try apply(smaller, to: shared, now: Self.t2)[path: ["spec", "replicas"]] == 2)
    }

    @Test func conflictsNameTheUpdaterAndItsVersion() throws {
        let created = try apply(Self.config, to: nil)
        var scaled = created
        scaled[path: ["spec", "replicas"]] = 5
        let updated = update(created, scaled, manager: "kubectl-client-side-apply")
        var config = Self.config
        config[path: ["spec", "replicas"]] = 3
        let error = #expect(throws: ApplyConflict.self) { try apply(config, to: updated, now: Self.t2) }
        #expect(error?.message == #"Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas"#)
        #expect(error?.conflicts.map(\.manager) == ["kubectl-client-side-apply"])
        #expect(error?.conflicts.map(\.field) == [".spec.replicas"])
        #expect(error?.causes == [APIStatus.Cause(reason: "FieldManagerConflict",
                                                  message: #"conflict with "kubectl-client-side-apply" using apps/v1"#,
                                                  field: ".spec.replicas")])
        // Agreeing with the current value shares the field instead.
        config[path: ["spec", "replicas"]] = 5
        #expect(try apply(config, to: updated, now: Self.t2)[path: ["spec", "replicas"]] == 5)
        // Forcing takes it.
        config[path: ["spec", "replicas"]] = 3
        let forced = try apply(config, to: updated, force: true, now: Self.t2)
        #expect(forced[path: ["spec", "replicas"]] == 3)
        #expect(managers(forced) == ["kubectl"])
    }

    @Test func severalConflictsAreGroupedByManager() throws {
        let created = try apply(Self.config, to: nil)
        var config = Self.config
        config[path: ["spec", "replicas"]] = 9
        config[path: ["spec", "template", "spec", "containers"]] = json(#"[{"name":"web","image":"nginx:9"}]"#)
        let error = #expect(throws: ApplyConflict.self) { try apply(config, to: created, manager: "ci") }
        #expect(error?.message == """
            Apply failed with 2 conflicts: conflicts with "kubectl":
            - .spec.replicas
            - .spec.template.spec.containers[name="web"].image
            """)
    }

    @Test func conflictPathsNameKeyedItemsWithAllTheirKeys() throws {
        let created = try apply(Self.config, to: nil)
        var renamed = created
        renamed[path: ["spec", "template", "spec", "containers"]] = json(#"[{"name":"web","image":"nginx:1","ports":[{"containerPort":80,"name":"www"}]}]"#)
        let updated = update(created, renamed, manager: "editor")
        var config = Self.config
        config[path: ["spec", "template", "spec", "containers"]] = json(#"[{"name":"web","image":"nginx:1","ports":[{"containerPort":80,"name":"http"}]}]"#)
        let error = #expect(throws: ApplyConflict.self) { try apply(config, to: updated, now: Self.t2) }
        #expect(error?.conflicts.map(\.field) == [#".spec.template.spec.containers[name="web"].ports[containerPort=80,protocol="TCP"].name"#])
    }

    @Test func keyedItemsOfTwoAppliersMergeAndWithdraw() throws {
        let created = try apply(Self.config, to: nil)
        let sidecar = json(#"""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
         "spec":{"template":{"spec":{"containers":[{"name":"proxy","image":"causeway:1"}]}}}}
        """#)
        let both = try apply(sidecar, to: created, manager: "injector", now: Self.t2)
        #expect(both[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["web", "proxy"])
        let withdrawn = try apply(json(#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"}}"#),
                                  to: both, manager: "injector", now: Self.t2)
        #expect(withdrawn[path: ["spec", "template", "spec", "containers"]] == Self.config[path: ["spec", "template", "spec", "containers"]])
        #expect(managers(withdrawn) == ["kubectl"])
    }

    /// structured-merge-diff: applied items in the applied order, live-only items where they were.
    @Test func mergedListOrder() throws {
        func config(_ names: [String]) -> JSONValue {
            var config = json(#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"}}"#)
            config[path: ["spec", "template", "spec", "containers"]] = .array(names.map { ["name": .string($0), "image": "i"] })
            return config
        }
        let live = update(nil, config(["b", "x", "a"]), manager: "other", now: Self.t1)
        let merged = try apply(config(["a", "b"]), to: live, now: Self.t2)
        #expect(merged[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["x", "a", "b"])
    }

    @Test func anUntrackedObjectBelongsToBeforeFirstApply() throws {
        var live = Self.config
        live[path: ["spec", "replicas"]] = 4
        var config = Self.config
        config[path: ["spec", "replicas"]] = 1
        let error = #expect(throws: ApplyConflict.self) { try apply(config, to: live) }
        #expect(error?.message == #"Apply failed with 1 conflict: conflict with "before-first-apply" using apps/v1: .spec.replicas"#)
    }

    /// kubectl moving from client-side to server-side apply takes the fields its last-applied
    /// annotation still matches, and keeps that annotation in step.
    @Test func kubectlTakesOverItsClientSideFields() throws {
        var live = Self.config
        live[path: ["metadata", "annotations", "kubectl.kubernetes.io/last-applied-configuration"]] = .string(Self.config.jsonString)
        live = update(nil, live, manager: "kubectl-client-side-apply", now: Self.t1)
        var config = Self.config
        config[path: ["spec", "replicas"]] = 6
        let upgraded = try apply(config, to: live, now: Self.t2)
        #expect(upgraded[path: ["spec", "replicas"]] == 6)
        let record = try #require(upgraded[path: ["metadata", "annotations", "kubectl.kubernetes.io/last-applied-configuration"]]?.stringValue)
        #expect(json(record) == config)
        #expect(throws: ApplyConflict.self) { try apply(config, to: live, manager: "ci", now: Self.t2) }
    }

    @Test func updatesTakeWhatTheyChangeAndKeepTimesOtherwise() throws {
        let created = update(nil, Self.config, manager: "helm", now: Self.t1)
        var edited = created
        edited[path: ["spec", "replicas"]] = 4
        let updated = update(created, edited, manager: "kubectl-edit")
        let byManager = Dictionary(uniqueKeysWithValues: entries(updated).map { ($0["manager"]!.stringValue!, $0) })
        #expect(byManager["kubectl-edit"]?["fieldsV1"] == json(#"{"f:spec":{"f:replicas":{}}}"#))
        #expect(byManager["helm"]?[path: ["fieldsV1", "f:spec", "f:replicas"]] == nil)
        #expect(byManager["helm"]?["time"] == .string(Self.t1))
        #expect(update(updated, updated, manager: "kubectl-edit", now: "2026-02-02T00:00:00Z") == updated)
    }

    /// An update owns the maps and lists it adds (`.` in FieldsV1), but not the shells a typed
    /// object always has (`spec`, a pod template, a null `containers`).
    @Test func updatesOwnTheContainersTheyAdd() {
        let configMap = json(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","labels":{"a":"b"}},"data":{"key":"v"}}"#)
        let created = ServerSideApply.recordUpdate(old: nil, new: configMap, manager: "kubectl-create", apiVersion: "v1", now: Self.t1)
        #expect(entries(created).first?["fieldsV1"] == json(#"{"f:data":{".":{},"f:key":{}},"f:metadata":{"f:labels":{".":{},"f:a":{}}}}"#))

        let deployment = json(#"""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"w"},
         "spec":{"replicas":1,"template":{"metadata":{"labels":{"app":"w"}},"spec":{"containers":[{"name":"c","image":"i","env":[{"name":"E","value":"1"}]}]}}}}
        """#)
        let workload = update(nil, deployment, manager: "kubectl-create", now: Self.t1)
        #expect(entries(workload).first?["fieldsV1"] == json(#"""
        {"f:spec":{"f:replicas":{},"f:template":{"f:metadata":{"f:labels":{".":{},"f:app":{}}},
          "f:spec":{"f:containers":{"k:{\"name\":\"c\"}":{".":{},"f:image":{},"f:name":{},
            "f:env":{".":{},"k:{\"name\":\"E\"}":{".":{},"f:name":{},"f:value":{}}}}}}}}}
        """#))
    }

    /// `[{}]` resets managed fields; leaving them out keeps them.
    @Test func managedFieldsResetAndKeep() {
        let created = update(nil, Self.config, manager: "helm", now: Self.t1)
        var reset = created
        reset[path: ["metadata", "managedFields"]] = [[:]]
        #expect(update(created, reset, manager: "kubectl-edit")[path: ["metadata", "managedFields"]] == nil)
        var omitted = created
        omitted[path: ["metadata", "managedFields"]] = nil
        #expect(update(created, omitted, manager: "kubectl-edit") == created)
    }

    @Test func updatersBeyondTenFoldIntoAncientChanges() {
        var object = update(nil, Self.config, manager: "m0", now: "2026-01-01T00:00:00Z")
        for step in 1...11 {
            var next = object
            next[path: ["metadata", "labels", "step\(step)"]] = "x"
            object = update(object, next, manager: "m\(step)", now: "2026-01-01T00:\(step < 10 ? "0" : "")\(step):00Z")
        }
        let names = managers(object)
        #expect(names.count == 10)
        #expect(names.contains("ancient-changes"))
        #expect(!names.contains("m0") && !names.contains("m1") && !names.contains("m2"))
    }

    static let configMap = json(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}}"#)

    func applyConfigMap(_ edit: (inout JSONValue) -> Void, to live: JSONValue?, manager: String, force: Bool = false) throws(ApplyConflict) -> JSONValue {
        var config = Self.configMap
        edit(&config)
        return try ServerSideApply.apply(config, to: live, manager: manager, force: force,
                                         strategies: .builtIn(group: "", kind: "ConfigMap"), now: Self.t2)
    }

    /// Finalizers are a set and labels a map: each applier keeps and withdraws only its own.
    @Test func setsAndMapsOfTwoAppliers() throws {
        let a = try applyConfigMap({ $0[path: ["metadata", "finalizers"]] = ["a"]; $0[path: ["metadata", "labels", "a"]] = "1" },
                                   to: nil, manager: "a")
        let ab = try applyConfigMap({ $0[path: ["metadata", "finalizers"]] = ["b"]; $0[path: ["metadata", "labels", "b"]] = "2" },
                                    to: a, manager: "b")
        #expect(ab[path: ["metadata", "finalizers"]] == ["a", "b"])
        #expect(ab[path: ["metadata", "labels"]] == ["a": "1", "b": "2"])
        let b = try applyConfigMap({ _ in }, to: ab, manager: "a")
        #expect(b[path: ["metadata", "finalizers"]] == ["b"])
        #expect(b[path: ["metadata", "labels"]] == ["b": "2"])
        #expect(managers(b) == ["b"])
    }

    /// A field two appliers agree on is shared; one changing it conflicts with the other applier,
    /// named without a version.
    @Test func sharedFieldsConflictBetweenAppliers() throws {
        let one = try applyConfigMap({ $0["data"] = ["k": "v"] }, to: nil, manager: "one")
        let both = try applyConfigMap({ $0["data"] = ["k": "v"] }, to: one, manager: "two")
        #expect(managers(both).sorted() == ["one", "two"])
        let error = #expect(throws: ApplyConflict.self) {
            try applyConfigMap({ $0["data"] = ["k": "w"] }, to: both, manager: "two")
        }
        #expect(error?.message == #"Apply failed with 1 conflict: conflict with "one": .data.k"#)
        // One withdrawing leaves the value to the other.
        let left = try applyConfigMap({ _ in }, to: both, manager: "one")
        #expect(left["data"] == ["k": "v"])
        #expect(managers(left) == ["two"])
    }

    /// An applier replacing its container: the new one is added, and whatever is left of the old
    /// one never loses its key.
    @Test func droppedItemsNeverLoseTheirKeys() throws {
        let created = try apply(Self.config, to: nil)
        var edited = created
        edited[path: ["spec", "template", "spec", "containers"]] = json(#"[{"name":"web","image":"nginx:1","ports":[{"containerPort":80}],"imagePullPolicy":"Always"}]"#)
        let updated = update(created, edited, manager: "editor")
        var config = Self.config
        config[path: ["spec", "template", "spec", "containers"]] = json(#"[{"name":"other","image":"x"}]"#)
        let result = try apply(config, to: updated, now: Self.t2)
        let containers = result[path: ["spec", "template", "spec", "containers"]]?.arrayValue ?? []
        #expect(containers.contains(json(#"{"name":"other","image":"x"}"#)))
        #expect(containers.allSatisfy { $0["name"] != nil })
    }

    /// Labels the applier alone set go with it, and so does the map they leave empty.
    @Test func emptiedMapsGoToo() throws {
        let first = try apply(Self.config, to: nil)
        var config = Self.config
        config[path: ["metadata", "labels"]] = nil
        let second = try apply(config, to: first, now: Self.t2)
        #expect(second[path: ["metadata", "labels"]] == nil)
        #expect(second[path: ["metadata", "name"]] == "web")
    }
}
