import Testing
import KubeModel
@testable import APIMachinery

@Suite struct StrategicMergePatchTests {
    let pod = PatchStrategies.builtIn(group: "", kind: "Pod")
    let deployment = PatchStrategies.builtIn(group: "apps", kind: "Deployment")

    let original = json(#"""
        {"metadata":{"name":"p","labels":{"a":"1","b":"2"},"finalizers":["x","y"]},
         "spec":{"containers":[{"name":"a","image":"a:1","env":[{"name":"E1","value":"1"}]},{"name":"b","image":"b:1"}],
                 "tolerations":[{"key":"k1"}]}}
        """#)

    @Test(arguments: [
        // Keyed list: the named element merges in place.
        (#"{"spec":{"containers":[{"name":"b","image":"b:2"}]}}"#,
         #"{"spec":{"containers":[{"name":"a","image":"a:1","env":[{"name":"E1","value":"1"}]},{"name":"b","image":"b:2"}],"tolerations":[{"key":"k1"}]}}"#),
        // A new element goes first, as Kubernetes orders it.
        (#"{"spec":{"containers":[{"name":"c","image":"c:1"}]}}"#,
         #"{"spec":{"containers":[{"name":"c","image":"c:1"},{"name":"a","image":"a:1","env":[{"name":"E1","value":"1"}]},{"name":"b","image":"b:1"}],"tolerations":[{"key":"k1"}]}}"#),
        // Nested keyed list (env by name) and null deleting a member.
        (#"{"spec":{"containers":[{"name":"a","env":[{"name":"E1","value":null},{"name":"E2","value":"2"}]}]}}"#,
         #"{"spec":{"containers":[{"name":"a","image":"a:1","env":[{"name":"E1"},{"name":"E2","value":"2"}]},{"name":"b","image":"b:1"}],"tolerations":[{"key":"k1"}]}}"#),
        (#"{"spec":{"containers":[{"name":"a","$patch":"delete"}]}}"#,
         #"{"spec":{"containers":[{"name":"b","image":"b:1"}],"tolerations":[{"key":"k1"}]}}"#),
        (#"{"spec":{"containers":[{"name":"z","image":"z:1"},{"$patch":"replace"}]}}"#,
         #"{"spec":{"containers":[{"name":"z","image":"z:1"}],"tolerations":[{"key":"k1"}]}}"#),
        // Untagged lists are replaced whole.
        (#"{"spec":{"tolerations":[{"key":"k2"}]}}"#,
         #"{"spec":{"containers":[{"name":"a","image":"a:1","env":[{"name":"E1","value":"1"}]},{"name":"b","image":"b:1"}],"tolerations":[{"key":"k2"}]}}"#),
        (#"{"spec":{"$patch":"replace","containers":[{"name":"only"}]}}"#, #"{"spec":{"containers":[{"name":"only"}]}}"#),
        (#"{"spec":{"$patch":"delete"}}"#, #"{"spec":{}}"#),
        (#"{"spec":{"containers":[{"name":"b"},{"name":"a"}],"$setElementOrder/containers":[{"name":"b"},{"name":"a"}]}}"#,
         #"{"spec":{"containers":[{"name":"b","image":"b:1"},{"name":"a","image":"a:1","env":[{"name":"E1","value":"1"}]}],"tolerations":[{"key":"k1"}]}}"#),
        (#"{"spec":{"hostname":"h","newObject":{"x":null,"y":1,"$patch":"merge"}}}"#,
         #"{"spec":{"containers":[{"name":"a","image":"a:1","env":[{"name":"E1","value":"1"}]},{"name":"b","image":"b:1"}],"tolerations":[{"key":"k1"}],"hostname":"h"}}"#),
    ])
    func podSpec(patch: String, expectedSpec: String) throws {
        let result = try StrategicMergePatch.apply(json(patch), to: original, strategies: pod)
        #expect(result["spec"] == json(expectedSpec)["spec"])
    }

    @Test(arguments: [
        (#"{"metadata":{"finalizers":["z"]}}"#, #"["z","x","y"]"#),
        (#"{"metadata":{"finalizers":["y","z"]}}"#, #"["x","y","z"]"#),
        (#"{"metadata":{"$deleteFromPrimitiveList/finalizers":["x"]}}"#, #"["y"]"#),
        (#"{"metadata":{"$setElementOrder/finalizers":["y","x"]}}"#, #"["y","x"]"#),
    ])
    func primitiveSetLists(patch: String, expected: String) throws {
        let result = try StrategicMergePatch.apply(json(patch), to: original, strategies: pod)
        #expect(result[path: ["metadata", "finalizers"]] == json(expected))
    }

    @Test func mapsMergeAndNullDeletes() throws {
        let result = try StrategicMergePatch.apply(json(#"{"metadata":{"labels":{"a":null,"c":"3"}}}"#), to: original, strategies: pod)
        #expect(result[path: ["metadata", "labels"]] == json(#"{"b":"2","c":"3"}"#))
    }

    @Test func retainKeysDropsOtherMembers() throws {
        let live = json(#"{"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}}}}"#)
        let patch = json(#"{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}"#)
        #expect(try StrategicMergePatch.apply(patch, to: live, strategies: deployment) == json(#"{"spec":{"strategy":{"type":"Recreate"}}}"#))
        let bad = json(#"{"spec":{"strategy":{"$retainKeys":["type"],"rollingUpdate":{}}}}"#)
        #expect(throws: PatchError("invalid patch format of retainKeys", isMalformed: true)) {
            try StrategicMergePatch.apply(bad, to: live, strategies: deployment)
        }
    }

    @Test func deploymentTemplateUsesPodStrategies() throws {
        let live = json(#"{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"v1","ports":[{"containerPort":80}]}]}}}}"#)
        let patch = json(#"{"spec":{"template":{"spec":{"containers":[{"name":"app","ports":[{"containerPort":443}]}]}}}}"#)
        let result = try StrategicMergePatch.apply(patch, to: live, strategies: deployment)
        #expect(result == json(#"{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"v1","ports":[{"containerPort":443},{"containerPort":80}]}]}}}}"#))
    }

    @Test func noStrategiesReplacesListsAndMergesMaps() throws {
        let live = json(#"{"spec":{"items":[1,2],"m":{"a":1}}}"#)
        let result = try StrategicMergePatch.apply(json(#"{"spec":{"items":[3],"m":{"b":2}}}"#), to: live, strategies: .none)
        #expect(result == json(#"{"spec":{"items":[3],"m":{"a":1,"b":2}}}"#))
    }

    @Test(arguments: [
        (#"{"spec":{"containers":[{"image":"x"}]}}"#, "map: map[image:x] does not contain declared merge key: name", false),
        (#"{"spec":{"$patch":"frob"}}"#, "unknown patch type: frob in map: map[$patch:frob]", false),
        (#"{"metadata":{"$retainKeys":"x"}}"#, "invalid patch format of retainKeys", true),
        (#"{"spec":{"containers":[{"name":"b"}],"$setElementOrder/containers":[{"name":"a"}]}}"#,
         "The order in patch list:\n[map[name:b]]\n doesn't match $setElementOrder list:\n[map[name:a]]\n", false),
    ])
    func errors(patch: String, message: String, malformed: Bool) {
        #expect(throws: PatchError(message, isMalformed: malformed)) {
            try StrategicMergePatch.apply(json(patch), to: original, strategies: pod)
        }
    }

    @Test func rejectsNonObjectPatches() {
        #expect(throws: PatchError("json: cannot unmarshal array into Go value of type map[string]interface {}", isMalformed: true)) {
            try StrategicMergePatch.apply(json("[1]"), to: original, strategies: pod)
        }
    }
}

/// Patches as `kubectl apply` computes them (three-way, with order and delete directives).
@Suite struct KubectlApplyPatchTests {
    @Test func imageChangeAndEnvRemoval() throws {
        let live = json(#"""
            {"spec":{"template":{"spec":{"containers":[{"name":"app","image":"nginx:1",
              "env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],"ports":[{"containerPort":80},{"containerPort":443}]}]}}}}
            """#)
        let patch = json(#"""
            {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"app"}],
              "containers":[{"$setElementOrder/env":[{"name":"A"}],"$setElementOrder/ports":[{"containerPort":80}],
                             "env":[{"$patch":"delete","name":"B"}],"ports":[{"$patch":"delete","containerPort":443}],
                             "image":"nginx:2","name":"app"}]}}}}
            """#)
        let result = try StrategicMergePatch.apply(patch, to: live, strategies: .builtIn(group: "apps", kind: "Deployment"))
        #expect(result == json(#"""
            {"spec":{"template":{"spec":{"containers":[{"name":"app","image":"nginx:2",
              "env":[{"name":"A","value":"1"}],"ports":[{"containerPort":80}]}]}}}}
            """#))
    }

    @Test func volumesWithRetainKeys() throws {
        let live = json(#"{"spec":{"volumes":[{"name":"data","emptyDir":{}},{"name":"cfg","configMap":{"name":"c"}}]}}"#)
        let patch = json(#"""
            {"spec":{"$setElementOrder/volumes":[{"name":"data"},{"name":"cfg"}],
              "volumes":[{"$retainKeys":["name","persistentVolumeClaim"],"name":"data","persistentVolumeClaim":{"claimName":"pvc"}}]}}
            """#)
        let result = try StrategicMergePatch.apply(patch, to: live, strategies: .builtIn(group: "", kind: "Pod"))
        #expect(result == json(#"{"spec":{"volumes":[{"name":"data","persistentVolumeClaim":{"claimName":"pvc"}},{"name":"cfg","configMap":{"name":"c"}}]}}"#))
    }

    @Test func servicePortsMergeByPort() throws {
        let live = json(#"{"spec":{"ports":[{"port":80,"targetPort":8080,"protocol":"TCP"}],"selector":{"app":"a"}}}"#)
        let patch = json(#"{"spec":{"ports":[{"port":80,"targetPort":9090}],"selector":{"app":null,"tier":"fe"}}}"#)
        let result = try StrategicMergePatch.apply(patch, to: live, strategies: .builtIn(group: "", kind: "Service"))
        #expect(result == json(#"{"spec":{"ports":[{"port":80,"targetPort":9090,"protocol":"TCP"}],"selector":{"tier":"fe"}}}"#))
    }
}
