import KubeModel
import TestSupport
import Testing

@testable import KubeProtobuf

/// Bad bodies get an error with a code and a message, never a crash.
@Suite struct MalformedInputTests {
    static let magic: [UInt8] = Array("k8s".utf8) + [0]

    private func code(of body: [UInt8]) -> ProtobufDecodingError.Code? {
        do {
            _ = try KubeProtobuf.decode(body)
            return nil
        } catch {
            return error.code
        }
    }

    @Test func rejectsBadMagic() {
        #expect(code(of: []) == .badMagic)
        #expect(code(of: Array("k8s".utf8)) == .badMagic)
        #expect(code(of: Array(#"{"kind":"ConfigMap"}"#.utf8)) == .badMagic)
        #expect(code(of: Array("k8s\u{1}".utf8) + [0x0A, 0x00]) == .badMagic)
    }

    @Test func rejectsTruncatedVarint() {
        #expect(code(of: Self.magic + [0x80]) == .truncated)
        #expect(code(of: Self.magic + [0x0A, 0xFF, 0xFF]) == .truncated)
    }

    @Test func rejectsOverlongVarint() {
        #expect(code(of: Self.magic + [0x08] + Array(repeating: 0xFF, count: 10) + [0x01]) == .malformed)
    }

    @Test func rejectsLengthPastEnd() {
        #expect(code(of: Self.magic + [0x12, 0x05, 0x01]) == .truncated)
        // A length near 2^64 must not overflow the bounds check.
        #expect(code(of: Self.magic + [0x12] + Array(repeating: 0xFF, count: 9) + [0x01]) == .truncated)
    }

    @Test func rejectsLengthPastEndInsideObjectAndNamesThePath() throws {
        let body = ProtoWriter.envelope(apiVersion: "apps/v1", kind: "Deployment") { object in
            object.message(2) { spec in
                spec.message(3) { template in
                    template.key(2, wireType: 2)
                    template.rawVarint(50)
                    template.rawVarint(0)
                }
            }
        }
        let error = #expect(throws: ProtobufDecodingError.self) { try KubeProtobuf.decode(body) }
        #expect(error?.code == .truncated)
        #expect(error?.message == "spec.template.spec: protobuf body ends inside a length-delimited value of 50 bytes")
    }

    @Test func rejectsWrongWireTypeForKnownField() throws {
        let body = ProtoWriter.envelope(apiVersion: "v1", kind: "ConfigMap") { object in
            object.message(1) { $0.int(1, 5) }  // name is a string, sent here as a varint
        }
        let error = #expect(throws: ProtobufDecodingError.self) { try KubeProtobuf.decode(body) }
        #expect(error?.code == .malformed)
        #expect(error?.message == "metadata.name: wire type 0 where wire type 2 was expected")
    }

    @Test func pathNamesTheFailingElementOfARepeatedField() throws {
        let body = ProtoWriter.envelope(apiVersion: "v1", kind: "Pod") { object in
            object.message(2) { pod in
                pod.message(2) { $0.string(1, "ok") }
                pod.message(2) { container in
                    container.string(1, "bad")
                    container.message(6) { $0.string(3, "8080") }  // containerPort is an int32
                }
            }
        }
        let error = #expect(throws: ProtobufDecodingError.self) { try KubeProtobuf.decode(body) }
        #expect(error?.path == ["spec", "containers[1]", "ports[0]", "containerPort"])
        #expect(error?.message == "spec.containers[1].ports[0].containerPort: wire type 2 where wire type 0 was expected")
    }

    @Test func rejectsFieldNumberZeroAndGroups() {
        #expect(code(of: Self.magic + [0x00, 0x00]) == .malformed)
        #expect(code(of: Self.magic + [0x0B]) == .malformed)
    }

    @Test func rejectsUnsupportedKindWithClearMessage() throws {
        let body = ProtoWriter.envelope(apiVersion: "example.com/v1", kind: "Widget") { _ in }
        let error = #expect(throws: ProtobufDecodingError.self) { try KubeProtobuf.decode(body) }
        #expect(error == ProtobufDecodingError(
            code: .unsupportedKind,
            reason: "protobuf is not supported for example.com/v1 Widget; send it as application/json"))
    }

    @Test func rejectsEnvelopeWithoutKind() {
        #expect(code(of: Self.magic) == .malformed)
    }

    @Test func rejectsCompressedContent() {
        var unknown = ProtoWriter()
        unknown.message(1) { $0.string(1, "v1"); $0.string(2, "ConfigMap") }
        unknown.bytes(2, [])
        unknown.string(3, "gzip")
        #expect(code(of: Self.magic + unknown.bytes) == .unsupportedEncoding)
    }

    @Test func rejectsInvalidManagedFieldsJSON() {
        let body = ProtoWriter.envelope(apiVersion: "v1", kind: "ConfigMap") { object in
            object.message(1) { meta in meta.message(17) { $0.message(7) { $0.bytes(1, Array("{nope".utf8)) } } }
        }
        #expect(code(of: body) == .malformed)
    }

    /// Every prefix of every captured body either decodes or fails with an error.
    @Test(arguments: Fixtures.allBodies)
    func everyTruncationOfACapturedBodyFailsCleanly(_ name: String) throws {
        let body = try Fixtures.body(name)
        for length in 0..<body.count {
            _ = code(of: Array(body[0..<length]))
        }
        #expect(code(of: body) == nil)
    }

    /// Single-byte corruptions at every offset, with a fixed seed so a failure reproduces.
    @Test func corruptedBodiesFailCleanly() throws {
        var generator = SplitMix64(seed: 0x6B38_7300)
        for name in Fixtures.allBodies {
            let body = try Fixtures.body(name)
            for offset in Self.magic.count..<body.count {
                var corrupted = body
                corrupted[offset] = UInt8(truncatingIfNeeded: generator.next())
                _ = code(of: corrupted)
            }
        }
    }
}

