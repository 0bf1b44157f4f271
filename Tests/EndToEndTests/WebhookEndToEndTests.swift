import Foundation
import KubeModel
import TestSupport
import Testing

/// Sidecar injection as the API server and a user meet it, against `causeway dev` (whose
/// controller runs exactly as in a cluster): AdmissionReviews over HTTPS on the configuration
/// port, the webhook's caBundle kept by the controller, and pods that slipped through unmeshed
/// reported with an Event and a gauge.
@Suite(.serialized) struct WebhookEndToEndTests {
    /// A `causeway dev` with the control-plane CA written to a file and the ports it serves on.
    final class Cluster: @unchecked Sendable {
        let dev: DevProcess
        let configPort: Int
        let opsPort: Int
        let caFile: String
        let caPEM: Data

        init() throws {
            dev = try DevProcess()
            do {
                guard let config = MeshIdentityEndToEndTests.Mesh.port(in: dev, after: "serving proxy configurations"),
                      let ops = MeshIdentityEndToEndTests.Mesh.port(in: dev, after: "serving /metrics") else {
                    throw TestFailure("causeway dev did not say where it serves: \(dev.log.suffix(2000))")
                }
                configPort = config
                opsPort = ops
                let ca = try dev.kubectl("get", "secret", "causeway-control-plane-ca", "-n", "causeway-system",
                                         "-o", "jsonpath={.data.tls\\.crt}").stdout
                guard let pem = Data(base64Encoded: ca) else { throw TestFailure("Secret causeway-control-plane-ca has no tls.crt") }
                caPEM = pem
                caFile = dev.directory.appendingPathComponent("control-plane-ca.crt").path
                try pem.write(to: URL(fileURLWithPath: caFile))
            } catch {
                dev.stop()
                throw error
            }
        }

        /// POSTs `body` to /inject as kube-apiserver does: HTTPS to the Service's name, trusting
        /// only the control-plane CA. Returns the HTTP status and body.
        func inject(_ body: String) throws -> (status: Int, body: String) {
            let file = dev.directory.appendingPathComponent("review-\(UUID().uuidString).json")
            try body.write(to: file, atomically: true, encoding: .utf8)
            let host = "causeway-controller.causeway-system.svc"
            let result = try WebhookEndToEndTests.curl([
                "--cacert", caFile, "--resolve", "\(host):\(configPort):127.0.0.1", "-H", "content-type: application/json",
                "--data-binary", "@\(file.path)", "-w", "\n%{http_code}", "https://\(host):\(configPort)/inject?timeout=10s",
            ])
            guard result.status == 0 else { throw TestFailure("curl failed (\(result.status)): \(result.stderr)") }
            var lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            let status = Int(lines.popLast() ?? "") ?? 0
            return (status, lines.joined(separator: "\n"))
        }

        func metrics() throws -> String { try WebhookEndToEndTests.curl(["http://127.0.0.1:\(opsPort)/metrics"]).stdout }

        func stop() { dev.stop() }
    }

    static func curl(_ arguments: [String]) throws -> CommandResult {
        guard let curl = CommandRunner.which("curl") else { throw TestFailure("curl is not on PATH") }
        return try CommandRunner.run(curl, ["-sS", "--max-time", "10"] + arguments)
    }

    /// An AdmissionReview for a Deployment's pod, as kube-apiserver sends it on CREATE.
    static func review(uid: String, namespace: String, annotations: [String: String] = [:]) -> String {
        let pod: JSONValue = [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": ["generateName": "web-5f7c9-", "labels": ["app": "web"],
                         "annotations": .object(annotations.mapValues { .string($0) })],
            "spec": [
                "serviceAccountName": "web",
                "containers": [[
                    "name": "web", "image": "registry.example/web:1.0",
                    "ports": [["containerPort": 8080, "protocol": "TCP"]],
                    "readinessProbe": ["httpGet": ["path": "/ready", "port": 8080]],
                ]],
            ],
        ]
        let review: JSONValue = [
            "apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
            "request": [
                "uid": .string(uid), "kind": ["group": "", "version": "v1", "kind": "Pod"],
                "resource": ["group": "", "version": "v1", "resource": "pods"], "namespace": .string(namespace),
                "operation": "CREATE", "object": pod, "dryRun": false,
            ],
        ]
        return review.jsonString
    }

    /// Every container (and init container) name a JSON Patch adds, wherever in its values.
    static func addedContainers(_ operations: JSONValue) -> Set<String> {
        var names = Set<String>()
        func visit(_ value: JSONValue, underContainers: Bool) {
            switch value {
            case .array(let items): for item in items { visit(item, underContainers: underContainers) }
            case .object(let object):
                if underContainers, let name = object["name"]?.stringValue, object["image"] != nil { names.insert(name) }
                for (key, child) in object { visit(child, underContainers: key == "initContainers" || key == "containers" || key == "value") }
            default: break
            }
        }
        for operation in operations.arrayValue ?? [] {
            let path = operation["path"]?.stringValue ?? ""
            if let value = operation["value"] {
                visit(value, underContainers: path.hasPrefix("/spec/initContainers") || path.hasPrefix("/spec/containers"))
            }
        }
        return names
    }

    @Test func theControllerAnswersAdmissionReviewsOnItsConfigurationPort() async throws {
        let cluster = try Cluster()
        defer { cluster.stop() }
        try cluster.dev.kubectl("create", "namespace", "shop")
        try cluster.dev.kubectl("label", "namespace", "shop", "causeway.dev/mesh=enabled")

        // Injected: allowed, the same uid, a JSON Patch adding the capture and proxy containers
        // that run dev's image and stream from the controller's own port.
        let injected = try cluster.inject(Self.review(uid: "e2e-1", namespace: "shop"))
        #expect(injected.status == 200, "\(injected.body)")
        let response = try #require(try JSONValue(parsing: injected.body)["response"])
        #expect(response["uid"] == "e2e-1")
        #expect(response["allowed"] == true)
        #expect(response["patchType"] == "JSONPatch")
        let encoded = try #require(response["patch"]?.stringValue)
        let operations = try JSONValue(parsing: try #require(Data(base64Encoded: encoded)))
        #expect(Self.addedContainers(operations) == ["causeway-init", "causeway-proxy"], "\(operations.jsonString)")
        let text = operations.jsonString
        #expect(text.contains("causeway:dev"), "\(text)")
        #expect(text.contains("https://127.0.0.1:\(cluster.configPort)"), "\(text)")
        #expect(text.contains("mesh/shop"), "\(text)")

        // An invalid annotation: refused with the reason, as an answer (HTTP 200).
        let refused = try cluster.inject(Self.review(uid: "e2e-2", namespace: "shop",
                                                     annotations: ["causeway.dev/exclude-outbound-cidrs": "10.0.0.0/33"]))
        #expect(refused.status == 200)
        let refusal = try #require(try JSONValue(parsing: refused.body)["response"])
        #expect(refusal["uid"] == "e2e-2")
        #expect(refusal["allowed"] == false)
        #expect(refusal[path: ["status", "code"]] == 400)
        #expect(refusal[path: ["status", "message"]]?.stringValue?.contains("exclude-outbound-cidrs") == true, "\(refused.body)")

        // A namespace the controller knows is outside the mesh: allowed unchanged.
        try cluster.dev.kubectl("create", "namespace", "plain")
        let plain = try cluster.inject(Self.review(uid: "e2e-3", namespace: "plain"))
        let unchanged = try #require(try JSONValue(parsing: plain.body)["response"])
        #expect(unchanged["allowed"] == true)
        #expect(unchanged["patch"] == nil, "\(plain.body)")

        // Not a review: HTTP 400 saying why.
        let malformed = try cluster.inject("{\"kind\": \"Pod\"}")
        #expect(malformed.status == 400)
        #expect(malformed.body.contains("malformed AdmissionReview"), "\(malformed.body)")

        let metrics = try cluster.metrics()
        for outcome in ["injected", "refused", "unchanged", "malformed"] {
            #expect(metrics.contains("causeway_webhook_reviews_total{outcome=\"\(outcome)\"} 1"), "\(metrics)")
        }
    }

    @Test func theControllerKeepsTheWebhooksCABundle() async throws {
        let cluster = try Cluster()
        defer { cluster.stop() }
        try cluster.dev.kubectl(["apply", "-f", "-"], stdin: """
            apiVersion: admissionregistration.k8s.io/v1
            kind: MutatingWebhookConfiguration
            metadata:
              name: causeway-sidecar-injector
            webhooks:
              - name: sidecar-injector.causeway.dev
                admissionReviewVersions: ["v1"]
                sideEffects: None
                failurePolicy: Fail
                reinvocationPolicy: IfNeeded
                clientConfig:
                  caBundle: ""
                  service: {name: causeway-controller, namespace: causeway-system, path: /inject, port: 15010}
                rules:
                  - {apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["pods"]}
                namespaceSelector:
                  matchExpressions:
                    - {key: causeway.dev/mesh, operator: In, values: ["enabled"]}
            """)
        let expected = cluster.caPEM.base64EncodedString()
        func bundle() throws -> String {
            try cluster.dev.kubectl("get", "mutatingwebhookconfiguration", "causeway-sidecar-injector",
                                    "-o", "jsonpath={.webhooks[0].clientConfig.caBundle}").stdout
        }
        let set = try await eventually(timeout: .seconds(20), interval: .milliseconds(100)) { try bundle() == expected }
        #expect(set, "caBundle is \(((try? bundle()) ?? "").prefix(40))…; controller log: \(cluster.dev.log.suffix(2000))")

        // Someone overwrites it: the controller puts it back (it watches the object).
        let other = Data("-----BEGIN CERTIFICATE-----\nbogus\n-----END CERTIFICATE-----\n".utf8).base64EncodedString()
        try cluster.dev.kubectl("patch", "mutatingwebhookconfiguration", "causeway-sidecar-injector", "--type", "json", "-p",
                                #"[{"op":"replace","path":"/webhooks/0/clientConfig/caBundle","value":"\#(other)"}]"#)
        let restored = try await eventually(timeout: .seconds(20), interval: .milliseconds(100)) { try bundle() == expected }
        #expect(restored, "the caBundle was not restored: \(((try? bundle()) ?? "").prefix(40))…")
        // Nothing else of the object changed.
        #expect(try cluster.dev.kubectl("get", "mutatingwebhookconfiguration", "causeway-sidecar-injector",
                                        "-o", "jsonpath={.webhooks[0].clientConfig.service.path}").stdout == "/inject")
    }

    @Test func aPodAdmittedWithoutItsSidecarIsReportedOnceAndCounted() async throws {
        let cluster = try Cluster()
        defer { cluster.stop() }
        try cluster.dev.kubectl("create", "namespace", "legacy")
        try cluster.dev.kubectl("label", "namespace", "legacy", "causeway.dev/mesh=enabled")
        try cluster.dev.kubectl("create", "namespace", "elsewhere")
        func pod(_ name: String, namespace: String = "legacy", annotations: String = "{}", spec: String = "") -> String {
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: \(name), namespace: \(namespace), annotations: \(annotations)}
            spec:
              \(spec)
              containers: [{name: app, image: registry.example/app:1}]
            ---

            """
        }
        // Unmeshed: web-1. Left out on purpose: opted out, host network, already injected, and a
        // pod in a namespace without the label.
        try cluster.dev.kubectl(["apply", "-f", "-"], stdin: pod("web-1")
            + pod("opted-out", annotations: #"{"causeway.dev/inject": "false"}"#)
            + pod("host", spec: "hostNetwork: true")
            + pod("meshed", spec: "initContainers: [{name: causeway-proxy, image: causeway:dev, restartPolicy: Always}]")
            + pod("web-1", namespace: "elsewhere"))

        func events(_ namespace: String) throws -> [String] {
            let names = try cluster.dev.kubectl("get", "events", "-n", namespace, "--field-selector", "reason=SidecarMissing",
                                                "-o", "jsonpath={range .items[*]}{.involvedObject.name}/{.type}{\"\\n\"}{end}").stdout
            return names.split(separator: "\n").map(String.init)
        }
        let reported = try await eventually(timeout: .seconds(20), interval: .milliseconds(200)) { try events("legacy") == ["web-1/Warning"] }
        #expect(reported, "events: \((try? events("legacy")) ?? []); log: \(cluster.dev.log.suffix(2000))")
        let message = try cluster.dev.kubectl("get", "events", "-n", "legacy", "--field-selector", "reason=SidecarMissing",
                                              "-o", "jsonpath={.items[0].message}").stdout
        #expect(message.contains("causeway-proxy") && message.contains("restart"), "\(message)")

        let counted = try await eventually(timeout: .seconds(10), interval: .milliseconds(200)) {
            try cluster.metrics().contains("causeway_mesh_unmeshed_pods{namespace=\"legacy\"} 1")
        }
        #expect(counted, "\(((try? cluster.metrics()) ?? "").split(separator: "\n").filter { $0.contains("unmeshed") })")
        #expect(!(try cluster.metrics().contains("namespace=\"elsewhere\"")))

        // Later passes (every 5 s, and on every pod change) post nothing more for it.
        try cluster.dev.kubectl("label", "pod", "web-1", "-n", "legacy", "touched=yes")
        try await Task.sleep(for: .seconds(6))
        #expect(try events("legacy") == ["web-1/Warning"])
        #expect(try events("elsewhere").isEmpty)

        // Deleted, it is no longer counted.
        try cluster.dev.kubectl("delete", "pod", "web-1", "-n", "legacy", "--wait=false")
        let uncounted = try await eventually(timeout: .seconds(20), interval: .milliseconds(200)) {
            try cluster.metrics().contains("causeway_mesh_unmeshed_pods{namespace=\"legacy\"} 0")
        }
        #expect(uncounted, "\(((try? cluster.metrics()) ?? "").split(separator: "\n").filter { $0.contains("unmeshed") })")
    }
}
