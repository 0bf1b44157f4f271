import KubeModel
import Testing

@testable import KubeProtobuf

/// `kubectl auth can-i` and `kubectl auth whoami` send their reviews as protobuf too.
@Suite struct AccessReviewKindTests {
    @Test(arguments: [
        ("selfsubjectaccessreview", #"{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview","metadata":{},"spec":{"resourceAttributes":{"namespace":"default","resource":"pods","verb":"get"}},"status":{"allowed":false}}"#),
        ("selfsubjectaccessreview-subresource", #"{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview","metadata":{},"spec":{"resourceAttributes":{"namespace":"prod","resource":"deployments.apps","subresource":"scale","verb":"create"}},"status":{"allowed":false}}"#),
        ("selfsubjectaccessreview-nonresource", #"{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview","metadata":{},"spec":{"nonResourceAttributes":{"path":"/healthz","verb":"get"}},"status":{"allowed":false}}"#),
        ("selfsubjectrulesreview", #"{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectRulesReview","metadata":{},"spec":{"namespace":"team"},"status":{"incomplete":false}}"#),
        ("selfsubjectreview", #"{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview","metadata":{},"status":{"userInfo":{}}}"#),
    ])
    func decodesKubectlAuthBodies(_ name: String, _ json: String) throws {
        #expect(try KubeProtobuf.decode(try Fixtures.body(name)) == (try JSONValue(parsing: json)))
    }

    @Test func subjectAccessReviewExtraIsAMapOfArrays() throws {
        let body = ProtoWriter.envelope(apiVersion: "authorization.k8s.io/v1", kind: "SubjectAccessReview") { object in
            object.message(2) { spec in
                spec.string(3, "alice")
                spec.string(4, "devs")
                spec.message(5) { entry in
                    entry.string(1, "scopes")
                    entry.message(2) { $0.string(1, "read"); $0.string(1, "write") }
                }
                spec.message(5) { $0.string(1, "empty") }
            }
        }
        let decoded = try KubeProtobuf.decode(body)
        #expect(decoded[path: ["spec", "extra"]] == ["scopes": ["read", "write"], "empty": []])
        #expect(decoded[path: ["spec", "groups"]] == ["devs"])
    }

    /// helm deletes its release Secrets with a typed client, whose DeleteOptions travel in the
    /// resource's group version; evictions embed them.
    @Test func deleteOptionsInAnyServedGroupVersionAndInEvictions() throws {
        for apiVersion in ["v1", "apps/v1", "meta.k8s.io/v1"] {
            let body = ProtoWriter.envelope(apiVersion: apiVersion, kind: "DeleteOptions") { options in
                options.int(1, 0)
                options.message(2) { $0.string(1, "uid-7") }
                options.string(4, "Foreground")
                options.string(5, "All")
            }
            #expect(try KubeProtobuf.decode(body) == [
                "apiVersion": .string(apiVersion), "kind": "DeleteOptions",
                "gracePeriodSeconds": 0, "preconditions": ["uid": "uid-7"],
                "propagationPolicy": "Foreground", "dryRun": ["All"],
            ])
        }
        let eviction = ProtoWriter.envelope(apiVersion: "policy/v1", kind: "Eviction") { object in
            object.message(1) { CoreKindTests.metadata(&$0, name: "web-0", namespace: "shop") }
            object.message(2) { $0.int(1, 30) }
        }
        #expect(try KubeProtobuf.decode(eviction) == [
            "apiVersion": "policy/v1", "kind": "Eviction",
            "metadata": ["name": "web-0", "namespace": "shop"],
            "deleteOptions": ["gracePeriodSeconds": 30],
        ])
    }

    /// Repeated int32 may come packed or one by one; negatives come as ten-byte varints.
    @Test func repeatedIntegersPackedOrNotAndNegative() throws {
        let body = ProtoWriter.envelope(apiVersion: "batch/v1", kind: "Job") { object in
            object.message(2) { spec in
                spec.message(11) { policy in
                    policy.message(1) { rule in
                        rule.string(1, "FailJob")
                        rule.message(2) { codes in
                            codes.string(2, "In")
                            codes.int(3, 1)
                            var packed = ProtoWriter()
                            packed.rawVarint(2)
                            packed.rawVarint(UInt64(bitPattern: -3))
                            codes.bytes(3, packed.bytes)
                        }
                    }
                }
                spec.int(7, -1)
            }
        }
        let decoded = try KubeProtobuf.decode(body)
        #expect(decoded[path: ["spec", "podFailurePolicy"]] == ["rules": [[
            "action": "FailJob", "onExitCodes": ["operator": "In", "values": [1, 2, -3]],
        ]]])
        #expect(decoded[path: ["spec", "backoffLimit"]] == -1)
    }
}
