import Testing
import KubeModel
@testable import APIMachinery

@Suite struct ObjectMetaValidationTests {
    func messages(_ errors: [FieldError]) -> [String] { errors.map(\.message) }

    @Test func validMetadataPasses() {
        let meta = json(#"""
            {"name":"web-1","namespace":"default","labels":{"app":"web"},"finalizers":["example.com/cleanup"],
             "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"rs","uid":"u1","controller":true}]}
            """#)
        #expect(ObjectMetaValidation.validateCreate(meta, namespaced: true, nameRule: .dns1123Subdomain).isEmpty)
    }

    @Test(arguments: [
        (#"{}"#, true, ["metadata.name: Required value: name or generateName is required", "metadata.namespace: Required value"]),
        (#"{"name":"x","namespace":"d"}"#, false, ["metadata.namespace: Forbidden: not allowed on this type"]),
        (#"{"name":"Web","namespace":"d"}"#, true, ["metadata.name: Invalid value: \"Web\": " + NameValidationTests.subdomainMessage]),
        (#"{"name":"a.b","namespace":"d"}"#, true, []),
        (#"{"name":"x","namespace":"d","generation":-1}"#, true, ["metadata.generation: Invalid value: -1: must be greater than or equal to 0"]),
        (#"{"name":"x","namespace":"d","ownerReferences":[{"apiVersion":"v1","kind":"Pod"}]}"#, true,
         ["metadata.ownerReferences[0].name: Required value: must not be empty", "metadata.ownerReferences[0].uid: Required value: must not be empty"]),
        (#"{"name":"x","namespace":"d","finalizers":["orphan","foregroundDeletion"]}"#, true,
         ["metadata.finalizers: Invalid value: [\"orphan\",\"foregroundDeletion\"]: finalizer orphan and foregroundDeletion cannot be both set"]),
    ])
    func createErrors(metadata: String, namespaced: Bool, expected: [String]) {
        #expect(messages(ObjectMetaValidation.validateCreate(json(metadata), namespaced: namespaced, nameRule: .dns1123Subdomain)) == expected)
    }

    @Test func generateNameMayEndWithADash() {
        #expect(ObjectMetaValidation.validateCreate(json(#"{"generateName":"web-","name":"web-x7k2p"}"#), namespaced: false, nameRule: .dns1123Subdomain).isEmpty)
        #expect(ObjectMetaValidation.validateCreate(json(#"{"name":"a.b"}"#), namespaced: false, nameRule: .dns1123Label).map(\.message)
                == ["metadata.name: Invalid value: \"a.b\": must not contain dots"])
    }

    @Test func pathSegmentNames() {
        #expect(NameValidation.pathSegmentName("..") == ["may not be '..'"])
        #expect(NameValidation.pathSegmentName("a/b%c") == ["may not contain '/'", "may not contain '%'"])
        #expect(NameValidation.pathSegmentName("Any_Name") == [])
    }

    @Test func updateKeepsIdentityImmutable() {
        let old = json(#"{"name":"x","namespace":"d","uid":"u1","generation":3,"creationTimestamp":"2026-01-01T00:00:00Z"}"#)
        let new = json(#"{"name":"y","namespace":"d","uid":"u2","generation":2,"creationTimestamp":"2026-01-01T00:00:00Z"}"#)
        #expect(messages(ObjectMetaValidation.validateUpdate(new: new, old: old)) == [
            "metadata.generation: Invalid value: 2: must not be decremented",
            "metadata.name: Invalid value: \"y\": field is immutable",
            "metadata.uid: Invalid value: \"u2\": field is immutable",
        ])
    }

    @Test func noNewFinalizersWhileDeleting() {
        let old = json(#"{"name":"x","deletionTimestamp":"2026-01-01T00:00:00Z","finalizers":["a.io/x"]}"#)
        let new = json(#"{"name":"x","deletionTimestamp":"2026-01-01T00:00:00Z","finalizers":["a.io/x","b.io/y"]}"#)
        #expect(messages(ObjectMetaValidation.validateUpdate(new: new, old: old))
                == ["metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{\"b.io/y\"}"])
    }
}
