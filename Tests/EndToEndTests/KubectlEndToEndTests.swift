import Foundation
import Testing

/// The real kubectl against a running `causeway dev`: what a new user does first.
@Suite(.serialized) struct KubectlEndToEndTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var example: String { root.appendingPathComponent("examples/widgets.yaml").path }
    static var crd: String { root.appendingPathComponent("examples/widget-crd.yaml").path }

    /// Installs the Widget CRD and waits until it is served, as a user does before applying objects of it.
    static func installCRD(_ cluster: DevProcess) throws {
        try cluster.kubectl("apply", "-f", crd)
        try cluster.kubectl("wait", "--for", "condition=Established", "crd/widgets.example.causeway.dev", "--timeout=10s")
    }

    static func withCluster(_ body: (DevProcess) throws -> Void) throws {
        let cluster = try DevProcess()
        defer { cluster.stop() }
        try body(cluster)
    }

    static func json(_ text: String) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw TestFailure("not a JSON object: \(text)")
        }
        return object
    }

    @Test func objectsOfAnUninstalledCRDAreRefusedAsByARealServer() throws {
        try Self.withCluster { cluster in
            let both = try String(contentsOfFile: Self.crd, encoding: .utf8) + "\n---\n" + String(contentsOfFile: Self.example, encoding: .utf8)
            let result = try cluster.kubectl(["apply", "-f", "-"], stdin: both, allowFailure: true)
            #expect(result.status != 0)
            #expect(result.stdout.contains("widgets.example.causeway.dev created"))
            #expect(result.stderr.contains("ensure CRDs are installed first"), "stderr: \(result.stderr)")
        }
    }

    @Test func appliesCRDThenObjectsWithSchemaDefaults() throws {
        try Self.withCluster { cluster in
            let crd = try cluster.kubectl("apply", "-f", Self.crd)
            #expect(crd.stdout.contains("customresourcedefinition.apiextensions.k8s.io/widgets.example.causeway.dev created"))
            try cluster.kubectl("wait", "--for", "condition=Established", "crd/widgets.example.causeway.dev", "--timeout=10s")
            let applied = try cluster.kubectl("apply", "-f", Self.example)
            #expect(applied.stdout.contains("widget.example.causeway.dev/small created"))
            let small = try Self.json(try cluster.kubectl("get", "widget", "small", "-o", "json").stdout)
            let spec = small["spec"] as? [String: Any]
            #expect(spec?["replicas"] as? Int == 1, "schema default for replicas")
            #expect(spec?["color"] as? String == "blue", "schema default for color")
            let metadata = small["metadata"] as? [String: Any]
            #expect(metadata?["generation"] as? Int == 1)
            #expect((metadata?["uid"] as? String)?.isEmpty == false)
        }
    }

    @Test func secondIdenticalApplyChangesNothing() throws {
        try Self.withCluster { cluster in
            try Self.installCRD(cluster)
            try cluster.kubectl("apply", "-f", Self.example)
            let before = try Self.json(try cluster.kubectl("get", "widget", "big", "-o", "json").stdout)["metadata"] as? [String: Any]
            let again = try cluster.kubectl("apply", "-f", Self.example)
            #expect(again.stdout.contains("widget.example.causeway.dev/big unchanged"))
            let after = try Self.json(try cluster.kubectl("get", "widget", "big", "-o", "json").stdout)["metadata"] as? [String: Any]
            #expect(before?["resourceVersion"] as? String == after?["resourceVersion"] as? String)
            #expect(before?["generation"] as? Int == after?["generation"] as? Int)
        }
    }

    @Test func specChangeBumpsGenerationStatusChangeDoesNot() throws {
        try Self.withCluster { cluster in
            try Self.installCRD(cluster)
            try cluster.kubectl("apply", "-f", Self.example)
            try cluster.kubectl("patch", "widget", "big", "--type=merge", "-p", #"{"spec":{"replicas":5}}"#)
            try cluster.kubectl("patch", "widget", "big", "--subresource=status", "--type=merge",
                                "-p", #"{"status":{"conditions":[{"type":"Ready","status":"True"}]}}"#)
            let big = try Self.json(try cluster.kubectl("get", "widget", "big", "-o", "json").stdout)
            #expect((big["metadata"] as? [String: Any])?["generation"] as? Int == 2)
            #expect(((big["status"] as? [String: Any])?["conditions"] as? [[String: Any]])?.first?["status"] as? String == "True")
            // Status is written only through /status: a main-resource patch cannot change it.
            try cluster.kubectl("patch", "widget", "big", "--type=merge", "-p", #"{"status":{"conditions":[]}}"#)
            let again = try Self.json(try cluster.kubectl("get", "widget", "big", "-o", "json").stdout)
            #expect(((again["status"] as? [String: Any])?["conditions"] as? [[String: Any]])?.count == 1)
        }
    }

    @Test func invalidObjectIsRejectedWithFieldErrors() throws {
        try Self.withCluster { cluster in
            try Self.installCRD(cluster)
            try cluster.kubectl("apply", "-f", Self.example)
            let bad = """
            apiVersion: example.causeway.dev/v1
            kind: Widget
            metadata: {name: bad}
            spec: {size: huge, replicas: 500, color: "Not Lower"}
            """
            let result = try cluster.kubectl(["apply", "-f", "-"], stdin: bad, allowFailure: true)
            #expect(result.status != 0)
            #expect(result.stderr.contains("is invalid"))
            #expect(result.stderr.contains("spec.size"))
            #expect(result.stderr.contains("spec.replicas"))
            let missing = try cluster.kubectl("get", "widget", "bad", allowFailure: true)
            #expect(missing.stderr.contains("NotFound") || missing.stderr.contains("not found"))
        }
    }

    @Test func printsPrinterColumns() throws {
        try Self.withCluster { cluster in
            try Self.installCRD(cluster)
            try cluster.kubectl("apply", "-f", Self.example)
            let table = try cluster.kubectl("get", "widgets").stdout
            let header = table.split(separator: "\n").first.map(String.init) ?? ""
            for column in ["NAME", "SIZE", "REPLICAS", "READY", "AGE"] {
                #expect(header.contains(column), "header \(header) lacks \(column)")
            }
            #expect(table.contains("big") && table.contains("large"))
        }
    }

    @Test func watchSeesStatusChange() throws {
        try Self.withCluster { cluster in
            try Self.installCRD(cluster)
            try cluster.kubectl("apply", "-f", Self.example)
            let (watcher, lines) = try cluster.kubectlStreaming(["get", "widget", "small", "-w", "-o", "jsonpath={.status.conditions[0].reason}{\"\\n\"}"])
            defer {
                watcher.terminate()
                watcher.waitUntilExit()
            }
            // The watch begins once kubectl has listed; its first (empty) line says it is running.
            _ = lines.waitFor("\n", timeout: 10)
            try cluster.kubectl("patch", "widget", "small", "--subresource=status", "--type=merge",
                                "-p", #"{"status":{"conditions":[{"type":"Ready","status":"True","reason":"Reconciled"}]}}"#)
            #expect(lines.waitFor("Reconciled", timeout: 10), "watch output: \(lines.text)")
        }
    }

    @Test func deleteWaitsForFinalizers() throws {
        try Self.withCluster { cluster in
            try Self.installCRD(cluster)
            try cluster.kubectl("apply", "-f", Self.example)
            try cluster.kubectl("patch", "widget", "small", "--type=merge", "-p", #"{"metadata":{"finalizers":["example.causeway.dev/cleanup"]}}"#)
            try cluster.kubectl("delete", "widget", "small", "--wait=false")
            let pending = try Self.json(try cluster.kubectl("get", "widget", "small", "-o", "json").stdout)
            #expect((pending["metadata"] as? [String: Any])?["deletionTimestamp"] != nil)
            try cluster.kubectl("patch", "widget", "small", "--type=json", "-p", #"[{"op":"remove","path":"/metadata/finalizers"}]"#)
            let gone = try cluster.kubectl("get", "widget", "small", allowFailure: true)
            #expect(gone.status != 0 && gone.stderr.contains("not found"))
        }
    }

    @Test func serverSideApplyCreatesAndIsIdempotent() throws {
        try Self.withCluster { cluster in
            try Self.installCRD(cluster)
            try cluster.kubectl("apply", "--server-side", "-f", Self.example)
            let first = try Self.json(try cluster.kubectl("get", "widget", "big", "-o", "json", "--show-managed-fields").stdout)
            let managers = ((first["metadata"] as? [String: Any])?["managedFields"] as? [[String: Any]])?.compactMap { $0["manager"] as? String }
            #expect(managers == ["kubectl"])
            let again = try cluster.kubectl("apply", "--server-side", "-f", Self.example)
            #expect(again.stdout.contains("serverside-applied"))
            let second = try Self.json(try cluster.kubectl("get", "widget", "big", "-o", "json").stdout)
            #expect((first["metadata"] as? [String: Any])?["resourceVersion"] as? String
                    == (second["metadata"] as? [String: Any])?["resourceVersion"] as? String)
        }
    }

    @Test func serverSideApplyConflictsUnlessForced() throws {
        try Self.withCluster { cluster in
            try Self.installCRD(cluster)
            try cluster.kubectl("apply", "--server-side", "-f", Self.example)
            let takeover = """
            apiVersion: example.causeway.dev/v1
            kind: Widget
            metadata: {name: big, namespace: default}
            spec: {size: large, replicas: 9}
            """
            let refused = try cluster.kubectl(["apply", "--server-side", "--field-manager=autoscaler", "-f", "-"], stdin: takeover, allowFailure: true)
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("conflict with \"kubectl\""), "stderr: \(refused.stderr)")
            #expect(refused.stderr.contains(".spec.replicas"))
            try cluster.kubectl(["apply", "--server-side", "--field-manager=autoscaler", "--force-conflicts", "-f", "-"], stdin: takeover)
            let replicas = try cluster.kubectl("get", "widget", "big", "-o", "jsonpath={.spec.replicas}").stdout
            #expect(replicas == "9")
        }
    }

    @Test func apiResourcesListsBuiltInsAndCRDs() throws {
        try Self.withCluster { cluster in
            try Self.installCRD(cluster)
            try cluster.kubectl("apply", "-f", Self.example)
            let resources = try cluster.kubectl("api-resources").stdout
            for name in ["namespaces", "pods", "services", "configmaps", "secrets", "deployments", "endpointslices",
                         "leases", "customresourcedefinitions", "mutatingwebhookconfigurations", "widgets"] {
                #expect(resources.contains(name), "api-resources lacks \(name)")
            }
        }
    }

    /// `kubectl create …` uses client-go's typed clients, which send built-in kinds as protobuf.
    @Test func typedCreateCommandsSendProtobuf() throws {
        try Self.withCluster { cluster in
            try cluster.kubectl("create", "namespace", "team-b")
            try cluster.kubectl("create", "configmap", "settings", "-n", "team-b", "--from-literal=mode=fast")
            try cluster.kubectl("create", "secret", "generic", "creds", "-n", "team-b", "--from-literal=password=s3cret")
            try cluster.kubectl("create", "serviceaccount", "builder", "-n", "team-b")
            try cluster.kubectl("create", "deployment", "web", "-n", "team-b", "--image=nginx:1.25", "--port=80", "--replicas=2")
            try cluster.kubectl("create", "service", "clusterip", "web", "-n", "team-b", "--tcp=80:8080")
            #expect(try cluster.kubectl("get", "configmap", "settings", "-n", "team-b", "-o", "jsonpath={.data.mode}").stdout == "fast")
            let password = try cluster.kubectl("get", "secret", "creds", "-n", "team-b", "-o", "jsonpath={.data.password}").stdout
            #expect(Data(base64Encoded: password).map { String(decoding: $0, as: UTF8.self) } == "s3cret")
            #expect(try cluster.kubectl("get", "deployment", "web", "-n", "team-b", "-o", "jsonpath={.spec.replicas}").stdout == "2")
            let clusterIP = try cluster.kubectl("get", "service", "web", "-n", "team-b", "-o", "jsonpath={.spec.clusterIP}").stdout
            #expect(clusterIP.hasPrefix("10.96."))
            let token = try cluster.kubectl("create", "token", "builder", "-n", "team-b").stdout
            #expect(token.trimmingCharacters(in: .whitespacesAndNewlines).count > 20)
            try cluster.kubectl("delete", "configmap", "settings", "-n", "team-b")
        }
    }

    @Test func builtInKindsRoundTrip() throws {
        try Self.withCluster { cluster in
            let namespace = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: team-a}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings, namespace: team-a}
            data: {mode: fast}
            """
            try cluster.kubectl(["apply", "-f", "-"], stdin: namespace)
            let manifest = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: team-a}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                  - {name: web, image: "nginx:1.25", ports: [{containerPort: 80}]}
            """
            try cluster.kubectl(["apply", "-f", "-"], stdin: manifest)
            // A client-side apply that changes the image goes through a strategic merge patch.
            try cluster.kubectl(["apply", "-f", "-"], stdin: manifest.replacingOccurrences(of: "nginx:1.25", with: "nginx:1.27"))
            let image = try cluster.kubectl("get", "deployment", "web", "-n", "team-a", "-o", "jsonpath={.spec.template.spec.containers[0].image}").stdout
            #expect(image == "nginx:1.27")
            let labeled = try cluster.kubectl("get", "namespaces", "-l", "kubernetes.io/metadata.name=team-a", "-o", "name").stdout
            #expect(labeled.trimmingCharacters(in: .whitespacesAndNewlines) == "namespace/team-a")
            try cluster.kubectl("delete", "namespace", "team-a", "--timeout=20s")
            let gone = try cluster.kubectl("get", "configmap", "settings", "-n", "team-a", allowFailure: true)
            #expect(gone.status != 0)
        }
    }
}
