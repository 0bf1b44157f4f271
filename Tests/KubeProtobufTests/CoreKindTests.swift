import KubeModel
import Testing

@testable import KubeProtobuf

/// Bodies built field by field, for the shapes kubectl's fixtures do not cover.
@Suite struct CoreKindTests {
    /// ObjectMeta as Go's generated marshaller writes it: every non-pointer field present, even empty.
    static func metadata(_ meta: inout ProtoWriter, name: String, namespace: String = "") {
        meta.string(1, name)
        meta.string(2, "")
        meta.string(3, namespace)
        meta.string(4, "")
        meta.string(5, "")
        meta.string(6, "")
        meta.int(7, 0)
        meta.message(8) { _ in }
    }

    @Test func namespaceWithLabelsAnnotationsAndFinalizers() throws {
        let body = ProtoWriter.envelope(apiVersion: "v1", kind: "Namespace") { object in
            object.message(1) { meta in
                Self.metadata(&meta, name: "team-a")
                meta.entry(11, "team", "a")
                meta.entry(11, "tier", "")
                meta.entry(12, "note", "hello")
                meta.string(14, "kubernetes")
                meta.message(13) { owner in
                    owner.string(5, "v1")
                    owner.string(1, "ConfigMap")
                    owner.string(3, "parent")
                    owner.string(4, "uid-1")
                    owner.bool(6, true)
                }
            }
            object.message(2) { $0.string(1, "kubernetes") }
            object.message(3) { _ in }
        }
        let expected: JSONValue = [
            "apiVersion": "v1", "kind": "Namespace",
            "metadata": [
                "name": "team-a",
                "labels": ["team": "a", "tier": ""],
                "annotations": ["note": "hello"],
                "finalizers": ["kubernetes"],
                "ownerReferences": [["apiVersion": "v1", "kind": "ConfigMap", "name": "parent", "uid": "uid-1", "controller": true]],
            ],
            "spec": ["finalizers": ["kubernetes"]],
            "status": [:],
        ]
        #expect(try KubeProtobuf.decode(body) == expected)
    }

    @Test func configMapWithDataAndBinaryData() throws {
        let body = ProtoWriter.envelope(apiVersion: "v1", kind: "ConfigMap") { object in
            object.message(1) { Self.metadata(&$0, name: "settings", namespace: "apps") }
            object.entry(2, "mode", "fast")
            object.entry(2, "empty", "")
            object.entry(3, "blob", bytes: [0x00, 0xFF, 0x10])
            object.bool(4, false)  // immutable is a pointer: a present false stays
        }
        let expected: JSONValue = [
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": ["name": "settings", "namespace": "apps"],
            "data": ["mode": "fast", "empty": ""],
            "binaryData": ["blob": "AP8Q"],
            "immutable": false,
        ]
        #expect(try KubeProtobuf.decode(body) == expected)
    }

    @Test func secretDataIsBase64AndTypeIsKept() throws {
        let body = ProtoWriter.envelope(apiVersion: "v1", kind: "Secret") { object in
            object.message(1) { Self.metadata(&$0, name: "sh.helm.release.v1.demo.v1", namespace: "default") }
            object.entry(2, "release", bytes: Array("H4sIAAAA".utf8))
            object.entry(2, "one", bytes: [1])
            object.entry(2, "two", bytes: [1, 2])
            object.string(3, "helm.sh/release.v1")
        }
        let decoded = try KubeProtobuf.decode(body)
        #expect(decoded["data"] == ["release": "SDRzSUFBQUE=", "one": "AQ==", "two": "AQI="])
        #expect(decoded["type"] == "helm.sh/release.v1")
        #expect(decoded[path: ["metadata", "name"]] == "sh.helm.release.v1.demo.v1")
        #expect(decoded["immutable"] == nil)
    }

    @Test func tokenRequestSpecAndStatus() throws {
        let body = ProtoWriter.envelope(apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest") { object in
            object.message(1) { Self.metadata(&$0, name: "builder", namespace: "ci") }
            object.message(2) { spec in
                spec.string(1, "https://kubernetes.default.svc")
                spec.string(1, "vault")
                spec.message(3) { ref in
                    ref.string(1, "Pod")
                    ref.string(2, "v1")
                    ref.string(3, "runner")
                    ref.string(4, "pod-uid")
                }
                spec.int(4, 3600)
            }
            object.message(3) { status in
                status.string(1, "")
                status.message(2) { _ in }
            }
        }
        let expected: JSONValue = [
            "apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest",
            "metadata": ["name": "builder", "namespace": "ci"],
            "spec": [
                "audiences": ["https://kubernetes.default.svc", "vault"],
                "boundObjectRef": ["kind": "Pod", "apiVersion": "v1", "name": "runner", "uid": "pod-uid"],
                "expirationSeconds": 3600,
            ],
            // token has no omitempty in Go, so its empty value is written, as encoding/json would.
            "status": ["token": ""],
        ]
        #expect(try KubeProtobuf.decode(body) == expected)
    }

    @Test func timestampsManagedFieldsAndPointerZeros() throws {
        let body = ProtoWriter.envelope(apiVersion: "v1", kind: "ServiceAccount") { object in
            object.message(1) { meta in
                Self.metadata(&meta, name: "sa")
                meta.message(8) { $0.int(1, 1_700_000_000) }           // creationTimestamp
                meta.message(9) { $0.int(1, 951_782_400); $0.int(2, 5) }  // deletionTimestamp, 2000-02-29
                meta.int(10, 0)                                          // deletionGracePeriodSeconds: *int64
                meta.message(17) { entry in
                    entry.string(1, "kubectl")
                    entry.string(2, "Apply")
                    entry.string(3, "v1")
                    entry.message(4) { $0.int(1, -1) }                   // 1969-12-31T23:59:59Z
                    entry.string(6, "FieldsV1")
                    entry.message(7) { $0.bytes(1, Array(#"{"f:metadata":{"f:labels":{}}}"#.utf8)) }
                }
            }
            object.bool(4, false)  // automountServiceAccountToken: *bool
        }
        let decoded = try KubeProtobuf.decode(body)
        #expect(decoded[path: ["metadata", "creationTimestamp"]] == "2023-11-14T22:13:20Z")
        #expect(decoded[path: ["metadata", "deletionTimestamp"]] == "2000-02-29T00:00:00Z")
        #expect(decoded[path: ["metadata", "deletionGracePeriodSeconds"]] == 0)
        #expect(decoded[path: ["metadata", "generation"]] == nil)
        #expect(decoded["automountServiceAccountToken"] == false)
        #expect(decoded[path: ["metadata", "managedFields"]] == [[
            "manager": "kubectl", "operation": "Apply", "apiVersion": "v1",
            "time": "1969-12-31T23:59:59Z", "fieldsType": "FieldsV1",
            "fieldsV1": ["f:metadata": ["f:labels": [:]]],
        ]])
    }

    @Test func unknownFieldsAreSkipped() throws {
        let body = ProtoWriter.envelope(apiVersion: "v1", kind: "ConfigMap") { object in
            object.int(90, 7)
            object.message(1) { meta in
                Self.metadata(&meta, name: "cm")
                meta.message(99) { $0.string(1, "future") }
                meta.key(98, wireType: 1)
                for _ in 0..<8 { meta.rawVarint(0) }
                meta.key(97, wireType: 5)
                for _ in 0..<4 { meta.rawVarint(0) }
            }
            object.entry(2, "k", "v")
        }
        #expect(try KubeProtobuf.decode(body) == ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "cm"], "data": ["k": "v"]])
    }
}
