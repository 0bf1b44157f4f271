import Testing
import KubeModel
@testable import APIMachinery

@Suite struct JSONPatchTests {
    /// Cases from RFC 6902 appendix A and the behaviour of the library the API server uses.
    @Test(arguments: [
        (#"{"foo":"bar"}"#, #"[{"op":"add","path":"/baz","value":"qux"}]"#, #"{"baz":"qux","foo":"bar"}"#),
        (#"{"foo":["bar","baz"]}"#, #"[{"op":"add","path":"/foo/1","value":"qux"}]"#, #"{"foo":["bar","qux","baz"]}"#),
        (#"{"foo":["bar"]}"#, #"[{"op":"add","path":"/foo/-","value":"x"}]"#, #"{"foo":["bar","x"]}"#),
        (#"{"foo":["bar"]}"#, #"[{"op":"add","path":"/foo/1","value":"x"}]"#, #"{"foo":["bar","x"]}"#),
        (#"{"foo":["a","b"]}"#, #"[{"op":"add","path":"/foo/-1","value":"x"}]"#, #"{"foo":["a","b","x"]}"#),
        (#"{"baz":"qux","foo":"bar"}"#, #"[{"op":"remove","path":"/baz"}]"#, #"{"foo":"bar"}"#),
        (#"{"foo":["bar","qux","baz"]}"#, #"[{"op":"remove","path":"/foo/1"}]"#, #"{"foo":["bar","baz"]}"#),
        (#"{"foo":["a","b","c"]}"#, #"[{"op":"remove","path":"/foo/-1"}]"#, #"{"foo":["a","b"]}"#),
        (#"{"baz":"qux","foo":"bar"}"#, #"[{"op":"replace","path":"/baz","value":"boo"}]"#, #"{"baz":"boo","foo":"bar"}"#),
        (#"{"foo":"bar"}"#, #"[{"op":"replace","path":"/missing","value":1}]"#, #"{"foo":"bar","missing":1}"#),
        (#"{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}"#,
         #"[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]"#,
         #"{"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}}"#),
        (#"{"foo":["all","grass","cows","eat"]}"#, #"[{"op":"move","from":"/foo/1","path":"/foo/3"}]"#,
         #"{"foo":["all","cows","eat","grass"]}"#),
        (#"{"a":{"b":1}}"#, #"[{"op":"copy","from":"/a","path":"/c"}]"#, #"{"a":{"b":1},"c":{"b":1}}"#),
        (#"{"baz":"qux","foo":["a",2,"c"]}"#,
         #"[{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}]"#,
         #"{"baz":"qux","foo":["a",2,"c"]}"#),
        (#"{"/":9,"~1":10}"#, #"[{"op":"test","path":"/~01","value":10},{"op":"replace","path":"/~1","value":8}]"#, #"{"/":8,"~1":10}"#),
        (#"{"a":1}"#, #"[{"op":"replace","path":"","value":{"b":2}}]"#, #"{"b":2}"#),
        (#"{"a":1}"#, #"[{"op":"test","path":"/missing","value":null}]"#, #"{"a":1}"#),
        (#"{"metadata":{"labels":{"a":"b"}}}"#, #"[{"op":"add","path":"/metadata/labels/app.kubernetes.io~1name","value":"x"}]"#,
         #"{"metadata":{"labels":{"a":"b","app.kubernetes.io/name":"x"}}}"#),
        (#"{"a":1}"#, #"[]"#, #"{"a":1}"#),
    ])
    func applies(original: String, patch: String, expected: String) throws {
        #expect(try JSONPatch.apply(json(patch), to: json(original)) == json(expected))
    }

    @Test(arguments: [
        (#"{"foo":"bar"}"#, #"[{"op":"add","path":"/baz/bat","value":"qux"}]"#, "add operation does not apply: doc is missing path: \"/baz/bat\": missing value"),
        (#"{"foo":"bar"}"#, #"[{"op":"remove","path":"/baz"}]"#, "error in remove for path: '/baz': Unable to remove nonexistent key: baz: missing value"),
        (#"{"foo":[1]}"#, #"[{"op":"remove","path":"/foo/3"}]"#, "error in remove for path: '/foo/3': Unable to access invalid index: 3: invalid index referenced"),
        (#"{"foo":[1]}"#, #"[{"op":"replace","path":"/foo/3","value":2}]"#, "replace operation does not apply: doc is missing key: /foo/3: missing value"),
        (#"{"foo":"bar"}"#, #"[{"op":"replace","path":"/a/b","value":2}]"#, "replace operation does not apply: doc is missing path: /a/b: missing value"),
        (#"{"baz":"qux"}"#, #"[{"op":"test","path":"/baz","value":"bar"}]"#, "testing value /baz failed: test failed"),
        (#"{"foo":[1]}"#, #"[{"op":"add","path":"/foo/5","value":2}]"#, "error in add for path: '/foo/5': Unable to access invalid index: 5: invalid index referenced"),
        (#"{"foo":[1]}"#, #"[{"op":"add","path":"/foo/x","value":2}]"#, "error in add for path: '/foo/x': value was not a proper array index: 'x': strconv.Atoi: parsing \"x\": invalid syntax"),
        (#"{"foo":1}"#, #"[{"op":"move","from":"/nope/x","path":"/a"}]"#, "move operation does not apply: doc is missing from path: /nope/x: missing value"),
        (#"{"foo":1}"#, #"[{"op":"frobnicate","path":"/a"}]"#, "Unexpected kind: frobnicate"),
        (#"{"foo":1}"#, #"[{"path":"/a"}]"#, "Unexpected kind: unknown"),
        (#"{"foo":1}"#, #"[{"op":"add","value":1}]"#, "add operation failed to decode path: missing value"),
    ])
    func failures(original: String, patch: String, message: String) {
        #expect(throws: PatchError(message)) { try JSONPatch.apply(json(patch), to: json(original)) }
    }

    @Test func testComparesTypesStrictly() throws {
        #expect(throws: PatchError("testing value /a failed: test failed")) {
            try JSONPatch.apply(json(#"[{"op":"test","path":"/a","value":1.5}]"#), to: json(#"{"a":"1.5"}"#))
        }
        #expect(throws: PatchError("testing value /a failed: test failed")) {
            try JSONPatch.apply(json(#"[{"op":"test","path":"/a","value":{"b":[1]}}]"#), to: json(#"{"a":{"b":[1.5]}}"#))
        }
        _ = try JSONPatch.apply(json(#"[{"op":"test","path":"/a","value":{"b":[1,"x"]}}]"#), to: json(#"{"a":{"b":[1,"x"]}}"#))
    }

    @Test func allOrNothing() {
        let original = json(#"{"a":1}"#)
        let patch = json(#"[{"op":"replace","path":"/a","value":2},{"op":"test","path":"/a","value":3}]"#)
        #expect(throws: PatchError.self) { try JSONPatch.apply(patch, to: original) }
        #expect(original == json(#"{"a":1}"#))
    }

    @Test func malformedPatchDocuments() {
        #expect(throws: PatchError("json: cannot unmarshal object into Go value of type jsonpatch.Patch", isMalformed: true)) {
            try JSONPatch.apply(json(#"{"op":"add"}"#), to: json("{}"))
        }
    }
}
