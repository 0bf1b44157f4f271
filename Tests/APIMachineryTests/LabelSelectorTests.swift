import Testing
import KubeModel
@testable import APIMachinery

@Suite struct LabelSelectorTests {
    @Test func parsesEveryOperatorAndSortsByKey() throws {
        let selector = try LabelSelector(parsing: "g,a=b, c!=d,e in (y,x),f notin (z),!h,i==j,k>5,l<3")
        #expect(selector.requirements.map(\.key) == ["a", "c", "e", "f", "g", "h", "i", "k", "l"])
        #expect(selector.requirements.map(\.op) == [.equals, .notEquals, .in, .notIn, .exists, .doesNotExist, .doubleEquals, .greaterThan, .lessThan])
        #expect(selector.requirements[2].values == ["x", "y"])
        #expect(selector.description == "a=b,c!=d,e in (x,y),f notin (z),g,!h,i==j,k>5,l<3")
    }

    @Test(arguments: [
        ("app=web", ["app": "web"], true),
        ("app=web", ["app": "db"], false),
        ("app=web", [:], false),
        ("app!=web", [:], true),
        ("app!=web", ["app": "web"], false),
        ("tier in (a,b)", ["tier": "b"], true),
        ("tier in (a,b)", [:], false),
        ("tier notin (a,b)", [:], true),
        ("tier notin (a,b)", ["tier": "a"], false),
        ("tier", ["tier": ""], true),
        ("!tier", ["tier": ""], false),
        ("!tier", [:], true),
        ("n>5", ["n": "6"], true),
        ("n>5", ["n": "5"], false),
        ("n<5", ["n": "x"], false),
        ("a in ()", ["a": ""], true),
        ("a=", ["a": ""], true),
        ("a=b,c=d", ["a": "b", "c": "d"], true),
        ("a=b,c=d", ["a": "b"], false),
        ("", ["anything": "x"], true),
        ("in in (in, notin)", ["in": "notin"], true),
    ] as [(String, [String: String], Bool)])
    func matching(text: String, labels: [String: String], expected: Bool) throws {
        #expect(try LabelSelector(parsing: text).matches(labels) == expected)
    }

    @Test(arguments: [
        ("x in (a,b", "unable to parse requirement: found '', expected: ',' or ')'"),
        ("a b", "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"),
        (",a", "found ',', expected: !, identifier, or 'end of string'"),
        ("a=b,", "found '', expected: identifier after ','"),
        ("a=b c", "found 'c', expected: ',' or 'end of string'"),
        ("a in b", "unable to parse requirement: found 'b' expected: '('"),
        ("a=(", "unable to parse requirement: found '(', expected: identifier"),
        ("_a=b", "unable to parse requirement: <nil>: Invalid value: \"_a\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"),
        ("a=-x", "unable to parse requirement: values[0][a]: Invalid value: \"-x\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"),
        ("n>x", "unable to parse requirement: values[0]: Invalid value: \"x\": for 'Gt', 'Lt' operators, the value must be an integer"),
    ])
    func parseErrors(text: String, message: String) {
        #expect(throws: SelectorError(message)) { try LabelSelector(parsing: text) }
    }

    @Test func fromMetaV1LabelSelector() throws {
        let selector = try LabelSelector(json: json(#"""
            {"matchLabels": {"app": "web"},
             "matchExpressions": [{"key": "tier", "operator": "In", "values": ["fe", "be"]},
                                  {"key": "canary", "operator": "DoesNotExist"}]}
            """#))
        #expect(selector.matches(["app": "web", "tier": "be"]))
        #expect(!selector.matches(["app": "web", "tier": "be", "canary": "1"]))
        #expect(!selector.matches(["app": "web"]))
        #expect(selector.description == "app=web,!canary,tier in (be,fe)")
    }

    @Test func emptyMatchesEverythingAndNullNothing() throws {
        let empty = try LabelSelector(json: json("{}"))
        #expect(empty.isEverything)
        #expect(empty.matches(["a": "b"]))
        let null = try LabelSelector(json: .null)
        #expect(!null.isEverything)
        #expect(!null.matches([:]))
    }

    @Test func rejectsBadOperatorsInObjects() {
        #expect(throws: SelectorError("\"Gt\" is not a valid label selector operator")) {
            try LabelSelector(json: json(#"{"matchExpressions": [{"key": "a", "operator": "Gt", "values": ["1"]}]}"#))
        }
        #expect(throws: SelectorError("values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty")) {
            try LabelSelector(json: json(#"{"matchExpressions": [{"key": "a", "operator": "In", "values": []}]}"#))
        }
    }

    @Test func matchesObjectLabels() throws {
        let selector = try LabelSelector(parsing: "app=web")
        #expect(selector.matches(object: json(#"{"metadata": {"labels": {"app": "web"}}}"#)))
        #expect(!selector.matches(object: json(#"{"metadata": {}}"#)))
    }
}

@Suite struct FieldSelectorTests {
    @Test(arguments: [
        ("metadata.name=x", ["metadata.name": "x"], true),
        ("metadata.name==x", ["metadata.name": "y"], false),
        ("metadata.name!=x", ["metadata.name": "y"], true),
        ("metadata.name=x,metadata.namespace!=y", ["metadata.name": "x", "metadata.namespace": "z"], true),
        ("metadata.name=x,metadata.namespace!=y", ["metadata.name": "x", "metadata.namespace": "y"], false),
        ("spec.nodeName=", [:], true),
        ("spec.nodeName!=", [:], false),
        ("a=x\\,y", ["a": "x,y"], true),
        ("", [:], true),
    ] as [(String, [String: String], Bool)])
    func matching(text: String, fields: [String: String], expected: Bool) throws {
        #expect(try FieldSelector(parsing: text).matches(fields) == expected)
    }

    @Test func parsesOperatorsAndSortsTerms() throws {
        let selector = try FieldSelector(parsing: "status.phase!=Running,metadata.name==web")
        #expect(selector.requirements == [
            .init(field: "metadata.name", op: .doubleEquals, value: "web"),
            .init(field: "status.phase", op: .notEquals, value: "Running"),
        ])
        #expect(selector.requiredValue(for: "metadata.name") == "web")
        #expect(selector.requiredValue(for: "status.phase") == nil)
    }

    @Test(arguments: [
        ("metadata.name", "invalid selector: 'metadata.name'; can't understand 'metadata.name'"),
        ("a=b,c", "invalid selector: 'a=b,c'; can't understand 'c'"),
        ("a=b\\x", "invalid field selector: invalid escape sequence: \\x"),
        ("a=b=c", "invalid field selector: unescaped character in value: 61"),
        ("a=b\\", "invalid field selector: invalid escape sequence: \\"),
    ])
    func parseErrors(text: String, message: String) {
        #expect(throws: SelectorError(message)) { try FieldSelector(parsing: text) }
    }
}
