import Testing
import KubeModel
import APIMachinery

/// Kubernetes behaviours checked through the public API only (`StrategicMergePatch.apply`,
/// `ServerSideApply.apply`/`recordUpdate`, `PatchStrategies.builtIn`, `ApplyConflict`), so the
/// suite holds whichever implementation sits behind it. Each expectation follows
/// kube-apiserver: `k8s.io/apimachinery/pkg/util/strategicpatch`, `sigs.k8s.io/structured-merge-diff`
/// and `k8s.io/apimachinery/pkg/util/managedfields`.
@Suite struct KubeFidelityStrategicMergePatchTests {
    static let deployment = PatchStrategies.builtIn(group: "apps", kind: "Deployment")
    static let pod = PatchStrategies.builtIn(group: "", kind: "Pod")

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var original: String
        var patch: String
        var expected: String
        var testDescription: String { name }
    }

    @Test(arguments: [
        Case(name: "containers merge by name",
             original: #"{"spec":{"template":{"spec":{"containers":[{"name":"a","image":"a:1"},{"name":"b","image":"b:1"}]}}}}"#,
             patch: #"{"spec":{"template":{"spec":{"containers":[{"name":"b","image":"b:2"}]}}}}"#,
             expected: #"{"spec":{"template":{"spec":{"containers":[{"name":"a","image":"a:1"},{"name":"b","image":"b:2"}]}}}}"#),
        // As kube-apiserver (and the kubectl patch documentation) show: patch items lead, and an
        // item the server had keeps its place only relative to patch items it stood beside.
        Case(name: "a new container comes before the server's",
             original: #"{"spec":{"template":{"spec":{"containers":[{"name":"a","image":"a:1"}]}}}}"#,
             patch: #"{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"s:1"}]}}}}"#,
             expected: #"{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"s:1"},{"name":"a","image":"a:1"}]}}}}"#),
        Case(name: "$patch: delete removes an item",
             original: #"{"spec":{"template":{"spec":{"containers":[{"name":"a"},{"name":"b"}]}}}}"#,
             patch: #"{"spec":{"template":{"spec":{"containers":[{"name":"a","$patch":"delete"}]}}}}"#,
             expected: #"{"spec":{"template":{"spec":{"containers":[{"name":"b"}]}}}}"#),
        Case(name: "$patch: replace as a list item replaces the list",
             original: #"{"spec":{"template":{"spec":{"containers":[{"name":"a"},{"name":"b"}]}}}}"#,
             patch: #"{"spec":{"template":{"spec":{"containers":[{"name":"c"},{"$patch":"replace"}]}}}}"#,
             expected: #"{"spec":{"template":{"spec":{"containers":[{"name":"c"}]}}}}"#),
        Case(name: "$patch: replace in a map replaces the map",
             original: #"{"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}}}}"#,
             patch: #"{"spec":{"strategy":{"$patch":"replace","type":"Recreate"}}}"#,
             expected: #"{"spec":{"strategy":{"type":"Recreate"}}}"#),
        Case(name: "nested lists merge by their own keys",
             original: #"{"spec":{"template":{"spec":{"containers":[{"name":"a","env":[{"name":"X","value":"1"},{"name":"Y","value":"2"}],"ports":[{"containerPort":80}]}]}}}}"#,
             patch: #"{"spec":{"template":{"spec":{"containers":[{"name":"a","env":[{"name":"Y","value":"3"}],"ports":[{"containerPort":443}]}]}}}}"#,
             expected: #"{"spec":{"template":{"spec":{"containers":[{"name":"a","env":[{"name":"X","value":"1"},{"name":"Y","value":"3"}],"ports":[{"containerPort":443},{"containerPort":80}]}]}}}}"#),
        Case(name: "a list without a strategy is replaced",
             original: #"{"spec":{"template":{"spec":{"containers":[{"name":"a","args":["x","y"]}]}}}}"#,
             patch: #"{"spec":{"template":{"spec":{"containers":[{"name":"a","args":["z"]}]}}}}"#,
             expected: #"{"spec":{"template":{"spec":{"containers":[{"name":"a","args":["z"]}]}}}}"#),
        Case(name: "patch order wins over the server's order",
             original: #"{"spec":{"template":{"spec":{"containers":[{"name":"a"},{"name":"b"},{"name":"c"}]}}}}"#,
             patch: #"{"spec":{"template":{"spec":{"containers":[{"name":"c","image":"c:2"},{"name":"a"}]}}}}"#,
             expected: #"{"spec":{"template":{"spec":{"containers":[{"name":"b"},{"name":"c","image":"c:2"},{"name":"a"}]}}}}"#),
        Case(name: "kubectl's client-side apply patch: order, retainKeys and a deletion",
             original: #"{"spec":{"template":{"spec":{"volumes":[{"name":"v","emptyDir":{}},{"name":"old","emptyDir":{}}],"containers":[{"name":"a"}]}}}}"#,
             patch: #"{"spec":{"template":{"spec":{"$setElementOrder/volumes":[{"name":"v"}],"volumes":[{"$retainKeys":["configMap","name"],"configMap":{"name":"cm"},"name":"v"},{"$patch":"delete","name":"old"}]}}}}"#,
             expected: #"{"spec":{"template":{"spec":{"volumes":[{"name":"v","configMap":{"name":"cm"}}],"containers":[{"name":"a"}]}}}}"#),
        Case(name: "helm's three-way patch deleting an env var",
             original: #"{"spec":{"template":{"spec":{"containers":[{"name":"app","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]}]}}}}"#,
             patch: #"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"app"}],"containers":[{"$setElementOrder/env":[{"name":"A"}],"env":[{"$patch":"delete","name":"B"}],"name":"app"}]}}}}"#,
             expected: #"{"spec":{"template":{"spec":{"containers":[{"name":"app","env":[{"name":"A","value":"1"}]}]}}}}"#),
        Case(name: "an ordered primitive list with a deletion",
             original: #"{"metadata":{"finalizers":["a","b"]}}"#,
             patch: #"{"metadata":{"$setElementOrder/finalizers":["a"],"$deleteFromPrimitiveList/finalizers":["b"]}}"#,
             expected: #"{"metadata":{"finalizers":["a"]}}"#),
        Case(name: "finalizers merge as a set",
             original: #"{"metadata":{"finalizers":["a","b"]}}"#,
             patch: #"{"metadata":{"finalizers":["b","c"]}}"#,
             expected: #"{"metadata":{"finalizers":["a","b","c"]}}"#),
        Case(name: "$deleteFromPrimitiveList removes set members",
             original: #"{"metadata":{"finalizers":["a","b","c"]}}"#,
             patch: #"{"metadata":{"$deleteFromPrimitiveList/finalizers":["b"]}}"#,
             expected: #"{"metadata":{"finalizers":["a","c"]}}"#),
        Case(name: "null deletes a map member",
             original: #"{"metadata":{"labels":{"a":"1","b":"2"}},"spec":{"replicas":3}}"#,
             patch: #"{"metadata":{"labels":{"a":null}},"spec":{"replicas":null}}"#,
             expected: #"{"metadata":{"labels":{"b":"2"}},"spec":{}}"#),
        Case(name: "$retainKeys clears the members it does not name",
             original: #"{"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}}}}"#,
             patch: #"{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}"#,
             expected: #"{"spec":{"strategy":{"type":"Recreate"}}}"#),
        Case(name: "$setElementOrder orders merged items",
             original: #"{"spec":{"template":{"spec":{"containers":[{"name":"a"},{"name":"b"}]}}}}"#,
             patch: #"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"b"},{"name":"a"}],"containers":[{"name":"b","image":"b:2"}]}}}}"#,
             expected: #"{"spec":{"template":{"spec":{"containers":[{"name":"b","image":"b:2"},{"name":"a"}]}}}}"#),
        Case(name: "owner references merge by uid",
             original: #"{"metadata":{"ownerReferences":[{"uid":"1","name":"x"}]}}"#,
             patch: #"{"metadata":{"ownerReferences":[{"uid":"2","name":"y"}]}}"#,
             expected: #"{"metadata":{"ownerReferences":[{"uid":"2","name":"y"},{"uid":"1","name":"x"}]}}"#),
        Case(name: "directives in a new member are applied, not stored",
             original: #"{"spec":{}}"#,
             patch: #"{"spec":{"template":{"spec":{"containers":[{"name":"a","env":[{"name":"X","$patch":"delete"}]}]}}}}"#,
             expected: #"{"spec":{"template":{"spec":{"containers":[{"name":"a","env":[]}]}}}}"#),
    ])
    func deploymentPatches(_ test: Case) throws {
        let result = try StrategicMergePatch.apply(json(test.patch), to: json(test.original), strategies: Self.deployment)
        #expect(result == json(test.expected), "\(result.jsonString)")
    }

    /// A new member carrying `$patch` is dropped, as `removeDirectives` does.
    @Test func newMembersLoseDirectiveMaps() throws {
        let result = try StrategicMergePatch.apply(
            json(#"{"spec":{"hostname":"h","extra":{"$patch":"replace","y":1}}}"#),
            to: json(#"{"spec":{"containers":[{"name":"a"}]}}"#), strategies: Self.pod)
        #expect(result == json(#"{"spec":{"containers":[{"name":"a"}],"hostname":"h"}}"#))
    }

    @Test func podAndServiceLists() throws {
        let pod = try StrategicMergePatch.apply(
            json(#"{"spec":{"volumes":[{"name":"v2","emptyDir":{}}],"tolerations":[{"key":"k2"}]}}"#),
            to: json(#"{"spec":{"volumes":[{"name":"v1","emptyDir":{}}],"tolerations":[{"key":"k1"}]}}"#),
            strategies: Self.pod)
        // Tolerations are atomic in the Kubernetes types.
        #expect(pod == json(#"{"spec":{"volumes":[{"name":"v2","emptyDir":{}},{"name":"v1","emptyDir":{}}],"tolerations":[{"key":"k2"}]}}"#))

        let service = try StrategicMergePatch.apply(
            json(#"{"spec":{"ports":[{"port":443,"name":"https"}]}}"#),
            to: json(#"{"spec":{"ports":[{"port":80,"name":"http"},{"port":443,"name":"old"}]}}"#),
            strategies: .builtIn(group: "", kind: "Service"))
        #expect(service == json(#"{"spec":{"ports":[{"port":80,"name":"http"},{"port":443,"name":"https"}]}}"#))
    }

    @Test func replaceStrategies() throws {
        // PodDisruptionBudget's selector has patchStrategy=replace.
        let pdb = try StrategicMergePatch.apply(
            json(#"{"spec":{"selector":{"matchLabels":{"app":"b"}}}}"#),
            to: json(#"{"spec":{"selector":{"matchLabels":{"app":"a","tier":"web"}}}}"#),
            strategies: .builtIn(group: "policy", kind: "PodDisruptionBudget"))
        #expect(pdb == json(#"{"spec":{"selector":{"matchLabels":{"app":"b"}}}}"#))
        // A Deployment's selector merges.
        let deployment = try StrategicMergePatch.apply(
            json(#"{"spec":{"selector":{"matchLabels":{"app":"b"}}}}"#),
            to: json(#"{"spec":{"selector":{"matchLabels":{"app":"a","tier":"web"}}}}"#),
            strategies: Self.deployment)
        #expect(deployment == json(#"{"spec":{"selector":{"matchLabels":{"app":"b","tier":"web"}}}}"#))
        // resources.claims is listType=map without a patch strategy: a strategic merge patch replaces it.
        let claims = try StrategicMergePatch.apply(
            json(#"{"spec":{"containers":[{"name":"a","resources":{"claims":[{"name":"y"}]}}]}}"#),
            to: json(#"{"spec":{"containers":[{"name":"a","resources":{"claims":[{"name":"x"}]}}]}}"#),
            strategies: Self.pod)
        #expect(claims == json(#"{"spec":{"containers":[{"name":"a","resources":{"claims":[{"name":"y"}]}}]}}"#))
    }

    @Test(arguments: [
        (#"{"spec":{"$patch":"explode"}}"#, "unknown patch type: explode in map: map[$patch:explode]"),
        (#"{"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}}"#, "map: map[image:x] does not contain declared merge key: name"),
        (#"{"spec":{"strategy":{"$retainKeys":["type"],"rollingUpdate":{}}}}"#, "invalid patch format of retainKeys"),
        (#"{"spec":{"template":{"spec":{"containers":[{"$patch":"merge"}]}}}}"#, "merging lists cannot yet be specified in the patch"),
        // The original's element type is seen first, so a nested list reads as a type mismatch.
        (#"{"metadata":{"finalizers":[["x"]]}}"#, "list element types are not identical: [[a] [[x]]]"),
        (#"{"metadata":{"finalizers":[1]}}"#, "list element types are not identical: [[a] [1]]"),
        // kube-apiserver decodes the body into a map first (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go).
        (#"["not","an","object"]"#, "json: cannot unmarshal array into Go value of type map[string]interface {}"),
    ])
    func errorsReadAsKubeAPIServers(patch: String, message: String) {
        let original = json(#"{"metadata":{"finalizers":["a"]},"spec":{"template":{"spec":{"containers":[{"name":"a"}]}}}}"#)
        let error = #expect(throws: PatchError.self) {
            try StrategicMergePatch.apply(json(patch), to: original, strategies: Self.deployment)
        }
        #expect(error?.message == message)
    }
}
