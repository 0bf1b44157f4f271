import Testing
import KubeModel
@testable import APIMachinery

@Suite struct JSONMergePatchTests {
    /// The examples of RFC 7386 appendix A, plus a few Kubernetes-shaped ones.
    @Test(arguments: [
        (#"{"a":"b"}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"b"}"#, #"{"b":"c"}"#, #"{"a":"b","b":"c"}"#),
        (#"{"a":"b"}"#, #"{"a":null}"#, #"{}"#),
        (#"{"a":"b","b":"c"}"#, #"{"a":null}"#, #"{"b":"c"}"#),
        (#"{"a":["b"]}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"c"}"#, #"{"a":["b"]}"#, #"{"a":["b"]}"#),
        (#"{"a":{"b":"c"}}"#, #"{"a":{"b":"d","c":null}}"#, #"{"a":{"b":"d"}}"#),
        (#"{"a":[{"b":"c"}]}"#, #"{"a":[1]}"#, #"{"a":[1]}"#),
        (#"["a","b"]"#, #"["c","d"]"#, #"["c","d"]"#),
        (#"{"a":"b"}"#, #"["c"]"#, #"["c"]"#),
        (#"{"a":"foo"}"#, #"null"#, #"null"#),
        (#"{"a":"foo"}"#, #""bar""#, #""bar""#),
        (#"{"e":null}"#, #"{"a":1}"#, #"{"a":1,"e":null}"#),
        (#"[1,2]"#, #"{"a":"b","c":null}"#, #"{"a":"b"}"#),
        (#"{}"#, #"{"a":{"bb":{"ccc":null}}}"#, #"{"a":{"bb":{}}}"#),
        (#"{"spec":{"replicas":1,"template":{"x":1}}}"#, #"{"spec":{"replicas":3}}"#, #"{"spec":{"replicas":3,"template":{"x":1}}}"#),
    ])
    func rfc7386(original: String, patch: String, expected: String) {
        #expect(JSONMergePatch.apply(json(patch), to: json(original)) == json(expected))
    }

    @Test(arguments: [
        (#"{"a":1,"b":{"c":2,"d":3},"e":[1]}"#, #"{"a":1,"b":{"c":5},"e":[1,2],"f":"new"}"#,
         #"{"b":{"c":5,"d":null},"e":[1,2],"f":"new"}"#),
        (#"{"a":1}"#, #"{"a":1}"#, #"{}"#),
        (#"{"a":{"b":1}}"#, #"{"a":"flat"}"#, #"{"a":"flat"}"#),
        (#"{"a":1}"#, #"{"a":1.5}"#, #"{"a":1.5}"#),
        (#"[1]"#, #"[2]"#, #"[2]"#),
    ])
    func diffProducesAPatchThatRoundTrips(original: String, modified: String, expectedPatch: String) {
        let patch = JSONMergePatch.diff(from: json(original), to: json(modified))
        #expect(patch == json(expectedPatch))
        #expect(JSONMergePatch.apply(patch, to: json(original)) == json(modified))
    }
}
