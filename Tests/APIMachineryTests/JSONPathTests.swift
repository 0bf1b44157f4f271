import Testing
import KubeModel
@testable import APIMachinery

@Suite struct JSONPathTests {
    let object = json(#"""
        {"metadata":{"name":"web","labels":{"app":"web","app.kubernetes.io/name":"w"}},
         "spec":{"replicas":3,"items":[{"name":"a","n":1},{"name":"b","n":2},{"name":"c","n":3}]},
         "status":{"conditions":[{"type":"Available","status":"False"},{"type":"Ready","status":"True"}]}}
        """#)

    @Test(arguments: [
        (".spec.replicas", [3]),
        ("{.spec.replicas}", [3]),
        (".status.conditions[?(@.type==\"Ready\")].status", ["True"]),
        (".status.conditions[?(@.type == 'Available')].status", ["False"]),
        (".metadata.labels.app", ["web"]),
        (".metadata.labels['app.kubernetes.io/name']", ["w"]),
        (".spec.items[*].name", ["a", "b", "c"]),
        (".spec.items[0]", [json(#"{"name":"a","n":1}"#)]),
        (".spec.items[-1].name", ["c"]),
        (".spec.items[0:2].name", ["a", "b"]),
        (".spec.items[0,2].name", ["a", "c"]),
        (".spec.items[?(@.n > 1)].name", ["b", "c"]),
        (".spec.items[?(@.missing)].name", []),
        ("..name", ["web", "a", "b", "c"]),
        (".spec.missing", []),
        (".spec.items[7]", []),
        ("$.spec.replicas", [3]),
    ] as [(String, [JSONValue])])
    func evaluates(path: String, expected: [JSONValue]) throws {
        #expect(try JSONPathExpression(path).evaluate(object) == expected)
    }

    @Test(arguments: [".spec.items[", ".spec.items[x]", "{.spec", ".spec.items[?(@.n ~ 1)]"])
    func rejectsMalformedPaths(path: String) {
        #expect(throws: SchemaError.self) { try JSONPathExpression(path) }
    }

    @Test func printsValuesAsGoPrintsThem() {
        #expect(JSONPathExpression.text(of: "x") == "x")
        #expect(JSONPathExpression.text(of: json(#"{"b":1,"a":[true,"s"]}"#)) == "map[a:[true s] b:1]")
        #expect(JSONPathExpression.text(of: .double(2.5)) == "2.5")
    }
}
