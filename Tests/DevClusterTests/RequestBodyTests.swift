import Foundation
import Testing
@testable import DevCluster
import KubeModel
import TestSupport

/// Request bodies are gathered without copying and within a time limit: a body that stops
/// arriving is answered 504 Timeout (as kube-apiserver's request timeout does) and closed.
@Suite struct RequestBodyTests {
    @Test func bodyThatNeverEndsIsAnsweredWithTimeoutAndClosed() async throws {
        try await PlainCluster.run({ $0.connectionLimits.requestTimeout = .milliseconds(200) }) { cluster in
            let connection = try RawHTTPConnection(port: cluster.port)
            try connection.send("POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                                + "6\r\n{\"api\"\r\n")
            let (bytes, closed) = connection.readUntilClosed()
            let answer = String(decoding: bytes, as: UTF8.self)
            #expect(closed)
            #expect(answer.hasPrefix("HTTP/1.1 504"))
            #expect(answer.contains("\"reason\":\"Timeout\""))
        }
    }

    @Test func bodyOfThreeMiBInSmallChunksIsAccepted() async throws {
        try await PlainCluster.run { cluster in
            // A custom resource: built-in kinds such as ConfigMap cap their own size at 1 MiB.
            let crd: JSONValue = try JSONValue(parsing: Array("""
                {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"blobs.test.causeway.dev"},
                 "spec":{"group":"test.causeway.dev","scope":"Namespaced","names":{"plural":"blobs","singular":"blob","kind":"Blob"},
                 "versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object",
                 "properties":{"spec":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}}}]}}
                """.utf8))
            #expect(cluster.call("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd).status == 201)
            #expect(await eventually { cluster.call("GET", "/apis/test.causeway.dev/v1/namespaces/default/blobs").status == 200 })
            let padding = String(repeating: "a", count: 3 * 1024 * 1024 - 200)
            let body = Array(#"{"apiVersion":"test.causeway.dev/v1","kind":"Blob","metadata":{"name":"chunked"},"spec":{"pad":"\#(padding)"}}"#.utf8)
            let connection = try RawHTTPConnection(port: cluster.port)
            try connection.send("POST /apis/test.causeway.dev/v1/namespaces/default/blobs HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
            var offset = 0
            var framed: [UInt8] = []
            while offset < body.count {
                let chunk = body[offset..<min(offset + 1024, body.count)]
                framed += Array("\(String(chunk.count, radix: 16))\r\n".utf8) + chunk + Array("\r\n".utf8)
                offset += chunk.count
            }
            framed += Array("0\r\n\r\n".utf8)
            try connection.send(framed)
            let (bytes, _) = connection.readUntilClosed()
            #expect(String(decoding: bytes.prefix(12), as: UTF8.self) == "HTTP/1.1 201")
            #expect(cluster.store.get(StorageKey(group: "test.causeway.dev", resource: "blobs"),
                                      ObjectKey(namespace: "default", name: "chunked"))?[path: ["spec", "pad"]]?.stringValue?.count
                    == padding.count)
        }
    }
}
