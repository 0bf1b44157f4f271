import KubeModel
import Testing

@testable import KubeProtobuf

@Suite struct DescriptorTableTests {
    /// A reference to a message the table lacks would be a crash at decode time; catch it here.
    @Test func everyReferencedMessageIsDescribedOrHandDecoded() {
        let table = DescriptorTable.shared
        var missing: [String] = []
        for message in table.messages.values {
            let types = message.fields.values.map(\.type) + (message.listElement.map { [$0] } ?? [])
            for case .message(let name) in types where table.messages[name] == nil && WellKnownType(messageName: name) == nil {
                missing.append("\(message.name) → \(name)")
            }
        }
        #expect(missing.isEmpty, "\(missing)")
        for root in table.roots.values { #expect(table.messages[root] != nil, "\(root)") }
    }

    @Test func supportsTheKindsClientGoSendsAsProtobuf() {
        let kinds = Set(KubeProtobuf.supportedKinds.map { "\($0.group)/\($0.version)/\($0.kind)" })
        for expected in [
            "/v1/Namespace", "/v1/ConfigMap", "/v1/Secret", "/v1/ServiceAccount", "/v1/Service", "/v1/Pod",
            "authentication.k8s.io/v1/TokenRequest", "apps/v1/Deployment", "apps/v1/StatefulSet",
            "batch/v1/Job", "batch/v1/CronJob", "rbac.authorization.k8s.io/v1/Role",
            "rbac.authorization.k8s.io/v1/RoleBinding", "rbac.authorization.k8s.io/v1/ClusterRole",
            "rbac.authorization.k8s.io/v1/ClusterRoleBinding",
        ] {
            #expect(kinds.contains(expected), "\(expected)")
        }
    }

    @Test func fieldFlagsMatchTheGoTypes() throws {
        let table = DescriptorTable.shared
        let replicas = try #require(table.messages["apps.DeploymentSpec"]?.fields[1])
        #expect(replicas.jsonName == "replicas" && replicas.isPointer && replicas.type == .int32)
        let volumeSource = try #require(table.messages["core.Volume"]?.fields[2])
        #expect(volumeSource.isInline)
        let labels = try #require(table.messages["meta.ObjectMeta"]?.fields[11])
        #expect(labels.jsonName == "labels" && labels.shape == .map && labels.type == .string)
        let containerName = try #require(table.messages["core.Container"]?.fields[1])
        #expect(containerName.jsonName == "name" && !containerName.omitsEmpty)
    }
}

@Suite struct EncodingHelperTests {
    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00Z"), (951_782_400, "2000-02-29T00:00:00Z"),
        (-62_135_596_800, "0001-01-01T00:00:00Z"), (253_402_300_799, "9999-12-31T23:59:59Z"),
        (4_102_444_800, "2100-01-01T00:00:00Z"), (-1, "1969-12-31T23:59:59Z"),
    ])
    func formatsRFC3339(_ seconds: Int64, _ expected: String) {
        #expect(RFC3339.format(seconds: seconds, micros: nil) == expected)
    }

    @Test func formatsMicroTimeAndRejectsOutOfRangeYears() {
        #expect(RFC3339.format(seconds: 1_700_000_000, micros: 42) == "2023-11-14T22:13:20.000042Z")
        #expect(RFC3339.format(seconds: 253_402_300_800, micros: nil) == nil)
        #expect(RFC3339.format(seconds: Int64.min, micros: nil) == nil)
    }

    @Test(arguments: [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy")])
    func encodesBase64(_ input: String, _ expected: String) {
        #expect(Base64.encode(ArraySlice(input.utf8)) == expected)
    }
}
