import APIMachinery
import Injection
import KubeModel
import Testing

/// The shape of the JSON Patch: precise paths, so that it composes with other webhooks.
@Suite struct PatchTests {
    static let pod: JSONValue = [
        "apiVersion": "v1", "kind": "Pod",
        "metadata": ["name": "web", "namespace": "shop"],
        "spec": ["containers": [["name": "web", "image": "web:1"]]],
    ]

    static func injected(_ pod: JSONValue, settings: InjectionSettings = InjectionSettings()) throws -> JSONValue {
        guard case .injected(let result) = try Injector.inject(InjectionRequest(pod: pod, namespace: "shop"), settings: settings) else {
            throw GoldenFailure("not injected")
        }
        return result
    }

    static func paths(_ operations: [JSONValue]) -> [String] {
        operations.map { "\($0["op"]?.stringValue ?? "?") \($0["path"]?.stringValue ?? "?")" }
    }

    @Test func missingListsAndMapsAreAddedWhole() throws {
        let injected = try Self.injected(Self.pod)
        let operations = Injector.patch(from: Self.pod, to: injected)
        #expect(Self.paths(operations) == ["add /metadata/annotations", "add /spec/initContainers", "add /spec/volumes"])
        #expect(operations[0]["value"] == ["causeway.dev/injected": "v1"])
    }

    @Test func insertionsAtTheFrontAreAddsAtIndexZero() throws {
        var pod = Self.pod
        pod[path: ["metadata", "annotations"]] = ["example.com/owner": "team-a"]
        pod[path: ["spec", "initContainers"]] = [["name": "migrate", "image": "web:1"]]
        pod[path: ["spec", "volumes"]] = [["name": "data", "emptyDir": [:]]]
        let native = Injector.patch(from: pod, to: try Self.injected(pod))
        #expect(Self.paths(native) == [
            "add /metadata/annotations/causeway.dev~1injected",
            "add /spec/initContainers/0", "add /spec/initContainers/1",
            "add /spec/volumes/1", "add /spec/volumes/2", "add /spec/volumes/3",
        ])
        #expect(native[1]["value"]?["name"] == "causeway-init")
        #expect(native[2]["value"]?["name"] == "causeway-proxy")

        let classic = Injector.patch(from: pod, to: try Self.injected(pod, settings: InjectionSettings(nativeSidecars: false)))
        #expect(Self.paths(classic) == [
            "add /metadata/annotations/causeway.dev~1injected", "add /metadata/annotations/kubectl.kubernetes.io~1default-container",
            "add /spec/containers/0", "add /spec/initContainers/1",
            "add /spec/volumes/1", "add /spec/volumes/2", "add /spec/volumes/3",
        ])
    }

    @Test func keysAreEscapedPerRFC6901() {
        let from: JSONValue = ["metadata": ["annotations": ["a/b~c": "1"]]]
        let to: JSONValue = ["metadata": ["annotations": ["a/b~c": "2", "~": "x"]]]
        let operations = Injector.patch(from: from, to: to)
        #expect(Self.paths(operations) == ["replace /metadata/annotations/a~1b~0c", "add /metadata/annotations/~0"])
        #expect((try? JSONPatch.apply(.array(operations), to: from)) == to)
    }

    /// A patch computed against one version of the pod still applies to a version in which some
    /// other field changed, and keeps that change: it carries nothing it does not add.
    @Test func otherChangesSurvive() throws {
        var pod = Self.pod
        pod[path: ["spec", "containers"]] = [
            ["name": "web", "image": "web:1", "readinessProbe": ["httpGet": ["path": "/healthz", "port": 8080]]],
        ]
        let operations = Injector.patch(from: pod, to: try Self.injected(pod))
        var changedElsewhere = pod
        changedElsewhere[path: ["metadata", "labels"]] = ["team": "a"]
        changedElsewhere[path: ["spec", "containers"]] = [
            ["name": "web", "image": "web:2", "env": [["name": "A", "value": "1"]],
             "readinessProbe": ["httpGet": ["path": "/healthz", "port": 8080], "periodSeconds": 3]],
        ]
        let applied = try JSONPatch.apply(.array(operations), to: changedElsewhere)
        #expect(applied[path: ["metadata", "labels", "team"]] == "a")
        #expect(applied[path: ["spec", "containers"]]?.arrayValue?.first?["image"] == "web:2")
        #expect(applied[path: ["spec", "containers"]]?.arrayValue?.first?["env"] == [["name": "A", "value": "1"]])
        #expect(applied[path: ["spec", "containers"]]?.arrayValue?.first?["readinessProbe"] == [
            "httpGet": ["path": "/app-health/web/readiness", "port": 15021], "periodSeconds": 3,
        ])
    }

    @Test func listItemsAreMatchedByName() {
        let from: JSONValue = ["items": [["name": "a", "v": 1], ["name": "b", "v": 1], "x"]]
        let to: JSONValue = ["items": [["name": "n", "v": 0], ["name": "a", "v": 1], ["name": "b", "v": 2], "y"]]
        let operations = Injector.patch(from: from, to: to)
        #expect(Self.paths(operations) == ["add /items/0", "replace /items/2/v", "remove /items/3", "add /items/3"])
        #expect((try? JSONPatch.apply(.array(operations), to: from)) == to)
    }

    @Test func equalValuesGiveNoOperations() {
        #expect(Injector.patch(from: Self.pod, to: Self.pod).isEmpty)
        #expect(Injector.patch(from: ["n": 1], to: ["n": 1.0]).isEmpty)
    }
}
