import Foundation
import TestSupport
import Testing

/// The mesh data path as a user meets it, on real sockets: pods as network namespaces on one
/// bridge, each meshed pod with an app, `causeway init`'s iptables capture and
/// `causeway proxy --mode sidecar` running as the proxy's own user; the controller and its CA run
/// as in production against `causeway dev`, which holds the Services and EndpointSlices with the
/// pods' addresses. No kube-proxy runs: a Service's cluster IP answers only through a sidecar.
@Suite(.serialized, .enabled(if: PodNetwork.unavailableReason == nil, "\(PodNetwork.unavailableReason ?? "")"))
struct SidecarMeshEndToEndTests {
    static let proxyUID = 15337
    static let serviceIP = "10.96.50.10"
    static let flakyIP = "10.96.50.13"
    static let secureIP = "10.96.50.14"
    static let goneAddress = "10.232.0.99"
    static let addresses = ["a": "10.232.0.10", "b1": "10.232.0.11", "b2": "10.232.0.12", "c": "10.232.0.20"]
    /// The pods are dual-stack on their link: capture covers IPv6 as well.
    static let ipv6Addresses = ["a": "fd00:232::10", "b1": "fd00:232::11", "b2": "fd00:232::12", "c": "fd00:232::20"]

    final class Mesh: @unchecked Sendable {
        let cluster: DevProcess
        let network: PodNetwork
        let controller: ControllerProcess
        let configPort: Int
        let directory: URL

        init() throws {
            cluster = try DevProcess.readyForController()
            directory = cluster.directory
            do {
                network = try PodNetwork()
            } catch {
                cluster.stop()
                throw error
            }
            configPort = freeTCPPort()
            do {
                controller = try ControllerProcess(cluster: cluster, identity: "mesh-e2e", configPort: configPort, extraArguments: [
                    "--serving-name", network.hostAddress, "--mesh-interval-ms", "200",
                ])
            } catch {
                network.stop()
                cluster.stop()
                throw error
            }
        }

        func kubectl(_ arguments: String..., stdin: String? = nil) throws -> CommandResult {
            try cluster.kubectl(arguments, stdin: stdin)
        }

        /// A file the proxies (running as the proxy user) can read.
        func write(_ name: String, _ text: String) throws -> String {
            let url = directory.appendingPathComponent(name)
            try text.write(to: url, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: url.path)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
            return url.path
        }

        func token(_ serviceAccount: String, namespace: String, audience: String) throws -> String {
            let token = try cluster.kubectl("create", "token", serviceAccount, "-n", namespace, "--duration", "1h", "--audience", audience)
                .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            return try write("\(namespace)-\(serviceAccount)-\(audience).token", token)
        }

        /// The Pod as `causeway inject` makes it, stored in the cluster with the address of its
        /// network namespace (no kubelet runs these: the test is the node).
        func createInjectedPod(_ pod: String, namespace: String, serviceAccount: String, labels: [String: String],
                               namespaceLabels: String) throws {
            let binary = try DevProcess.binary()
            let manifest = """
                apiVersion: v1
                kind: Pod
                metadata: {name: \(pod), namespace: \(namespace), labels: {\(labels.map { "\($0.key): \($0.value)" }.joined(separator: ", "))}}
                spec:
                  nodeName: netns-node
                  serviceAccountName: \(serviceAccount)
                  containers: [{name: app, image: causeway:dev, args: [echo, --port, "8080"], ports: [{containerPort: 8080}],
                                readinessProbe: {httpGet: {path: /, port: 8080}}}]
                """
            let injected = try CommandRunner.run(binary, ["inject", "-f", "-", "--namespace", namespace, "--namespace-labels", namespaceLabels],
                                                 stdin: manifest)
            guard injected.status == 0 else { throw TestFailure("causeway inject failed: \(injected.stderr)") }
            _ = try kubectl("apply", "-f", "-", stdin: injected.stdout)
            let address = SidecarMeshEndToEndTests.addresses[pod]!
            _ = try kubectl("patch", "pod", pod, "-n", namespace, "--subresource", "status", "--type", "merge", "-p",
                            #"{"status":{"phase":"Running","podIP":"\#(address)","podIPs":[{"ip":"\#(address)"}]}}"#)
        }

        /// `causeway init` with the arguments the injector gave the Pod's `causeway-init`, then
        /// `causeway proxy --mode sidecar` as the injected proxy runs (with this machine's paths).
        func startSidecar(pod: String, namespace: String, serviceAccount: String, caFile: String) throws {
            let binary = try DevProcess.binaryForOtherUsers(in: directory)
            let ns = network.namespace(pod)
            let initArguments = try kubectl("get", "pod", pod, "-n", namespace, "-o",
                                            #"jsonpath={range .spec.initContainers[?(@.name=="causeway-init")].args[*]}{@}{"\n"}{end}"#)
                .stdout.split(separator: "\n").map(String.init)
            guard initArguments.first == "init" else { throw TestFailure("the injected pod has no causeway-init: \(initArguments)") }
            try network.exec(ns, [binary] + initArguments)
            let labels = try write("\(pod)-labels", "app=\"\(pod)\"\n")
            let probes = try kubectl("get", "pod", pod, "-n", namespace, "-o",
                                     #"jsonpath={.spec.initContainers[?(@.name=="causeway-proxy")].env[?(@.name=="CAUSEWAY_APP_PROBES")].value}"#).stdout
            try network.spawn(ns, name: "sidecar \(pod)", uid: SidecarMeshEndToEndTests.proxyUID, [
                binary, "proxy", "--mode", "sidecar", "--control-plane", "https://\(network.hostAddress):\(configPort)",
                "--proxy-key", "mesh/\(namespace)", "--pod", pod,
                "--token-file", try token(serviceAccount, namespace: namespace, audience: "causeway-control-plane"),
                "--ca-file", caFile, "--ca-token-file", try token(serviceAccount, namespace: namespace, audience: "causeway-ca"),
                "--namespace", namespace, "--service-account", serviceAccount, "--pod-labels-file", labels,
                "--admin-port", "15000", "--health-port", "15021", "--threads", "1", "--trust-bundle-poll-interval-ms", "500",
                "--access-log", "off",
            ], environment: ["CAUSEWAY_APP_PROBES": probes])
        }

        func stop() {
            network.stop()
            controller.stop()
            cluster.stop()
        }
    }

    static func curl(_ mesh: Mesh, from pod: String, _ arguments: [String]) throws -> CommandResult {
        guard let curl = CommandRunner.which("curl") else { throw TestFailure("curl is not on PATH") }
        return try mesh.network.exec(mesh.network.namespace(pod), [curl, "-sS", "--max-time", "5"] + arguments, allowFailure: true)
    }

    /// The pod that answered (the echo app reports its POD_NAME).
    static func answeringPod(_ result: CommandResult) -> String? {
        guard result.status == 0, let data = result.stdout.data(using: .utf8),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return json["pod"] as? String
    }

    @Test func meshedPodsTalkMutualTLSThroughSidecarsRoutedByGAMMARoutes() async throws {
        let mesh = try Mesh()
        defer { mesh.stop() }
        let network = mesh.network
        let binary = try DevProcess.binary()
        for (pod, address) in Self.addresses.sorted(by: { $0.key < $1.key }) {
            try network.addPod(pod, address: address, ipv6Address: Self.ipv6Addresses[pod])
        }

        // The cluster as the pods' controllers would leave it.
        _ = try mesh.kubectl("apply", "-f", "-", stdin: """
            apiVersion: v1
            kind: Namespace
            metadata: {name: shop, labels: {causeway.dev/mesh: enabled}}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: outside}
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: client, namespace: shop}
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: server, namespace: shop}
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: outsider, namespace: outside}
            """)
        // The pods, injected: meshed ones get causeway-init and the native-sidecar proxy; the
        // pod in the unlabelled namespace is left alone.
        try mesh.createInjectedPod("a", namespace: "shop", serviceAccount: "client", labels: ["app": "client"],
                                   namespaceLabels: "causeway.dev/mesh=enabled")
        for pod in ["b1", "b2"] {
            try mesh.createInjectedPod(pod, namespace: "shop", serviceAccount: "server", labels: ["app": "backend"],
                                       namespaceLabels: "causeway.dev/mesh=enabled")
        }
        try mesh.createInjectedPod("c", namespace: "outside", serviceAccount: "outsider", labels: ["app": "outsider"], namespaceLabels: "")
        let initContainers = try mesh.kubectl("get", "pod", "a", "-n", "shop", "-o", "jsonpath={.spec.initContainers[*].name}").stdout
        #expect(initContainers == "causeway-init causeway-proxy", "injected init containers: \(initContainers)")
        #expect(try mesh.kubectl("get", "pod", "c", "-n", "outside", "-o", "jsonpath={.spec.initContainers}").stdout.isEmpty)

        var services: [String] = []
        // `flaky` has one endpoint that no pod answers (its connections hang), for retries.
        for (name, ip, pods) in [("backend", Self.serviceIP, ["b1", "b2"]), ("backend-v1", "10.96.50.11", ["b1"]),
                                 ("backend-v2", "10.96.50.12", ["b2"]), ("flaky", Self.flakyIP, ["b1", "gone"])] {
            let endpoints = pods.map { """
                - addresses: ["\(Self.addresses[$0] ?? Self.goneAddress)"]
                  conditions: {ready: true}
                  targetRef: {kind: Pod, namespace: shop, name: \($0)}
                """ }.joined(separator: "\n")
            services.append("""
                apiVersion: v1
                kind: Service
                metadata: {name: \(name), namespace: shop}
                spec:
                  clusterIP: \(ip)
                  ports: [{name: http, port: 80, targetPort: 8080}]
                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata: {name: \(name)-1, namespace: shop, labels: {kubernetes.io/service-name: \(name)}}
                addressType: IPv4
                ports: [{name: http, port: 8080, protocol: TCP}]
                endpoints:
                \(endpoints)
                """)
        }
        // `secure` is a TLS server of the app's own (openssl s_server): opaque bytes to the mesh.
        services.append("""
            apiVersion: v1
            kind: Service
            metadata: {name: secure, namespace: shop}
            spec:
              clusterIP: \(Self.secureIP)
              ports: [{name: https, port: 9443, targetPort: 9443}]
            ---
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata: {name: secure-1, namespace: shop, labels: {kubernetes.io/service-name: secure}}
            addressType: IPv4
            ports: [{name: https, port: 9443, protocol: TCP}]
            endpoints:
            - addresses: ["\(Self.addresses["b1"]!)"]
              conditions: {ready: true}
            """)
        _ = try mesh.kubectl("apply", "-f", "-", stdin: services.joined(separator: "\n---\n"))

        // The control plane's CA, from the ConfigMap the injected pods mount: the controller
        // publishes it in every meshed namespace.
        var caPEM = ""
        let caReady = try await eventually(timeout: .seconds(20), interval: .milliseconds(100)) {
            caPEM = try mesh.cluster.kubectl(["get", "configmap", "causeway-control-plane-ca", "-n", "shop",
                                              "-o", "jsonpath={.data.ca\\.crt}"], allowFailure: true).stdout
            return caPEM.contains("BEGIN CERTIFICATE")
        }
        #expect(caReady, "no ConfigMap causeway-control-plane-ca in the meshed namespace: \(mesh.controller.output.text.suffix(2000))")
        #expect(try mesh.cluster.kubectl(["get", "configmap", "causeway-control-plane-ca", "-n", "outside"], allowFailure: true).status != 0,
                "only meshed namespaces (and those with Gateways) get it")
        let caFile = try mesh.write("control-plane-ca.crt", caPEM)

        // Apps: two versions of the server, each on :8080 of its own pod.
        // b1's app listens on IPv6 and IPv4 ([::]), b2's on IPv4 only.
        for (pod, version, address) in [("b1", "backend-v1", "::"), ("b2", "backend-v2", "0.0.0.0")] {
            try network.spawn(network.namespace(pod), name: "echo \(pod)", [binary, "echo", "--port", "8080", "--address", address],
                              environment: ["POD_NAME": version, "POD_NAMESPACE": "shop"])
        }
        try mesh.startSidecar(pod: "a", namespace: "shop", serviceAccount: "client", caFile: caFile)
        try mesh.startSidecar(pod: "b1", namespace: "shop", serviceAccount: "server", caFile: caFile)
        try mesh.startSidecar(pod: "b2", namespace: "shop", serviceAccount: "server", caFile: caFile)
        for pod in ["a", "b1", "b2"] {
            let ready = try await eventually(timeout: .seconds(30), interval: .milliseconds(200)) {
                try Self.curl(mesh, from: pod, ["-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:15021/ready"]).stdout == "200"
            }
            #expect(ready, "sidecar of \(pod) never became ready:\n\(network.logs())\n\(mesh.controller.output.text.suffix(3000))")
            guard ready else { return }
        }

        // The kubelet's probe of the app, moved to the proxy by the injector, reaches the app.
        let appProbe = try Self.curl(mesh, from: "b1", ["-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:15021/app-health/app/readiness"])
        #expect(appProbe.stdout == "200", "app readiness through the sidecar: \(appProbe.stdout) \(appProbe.stderr)")
        let noApp = try Self.curl(mesh, from: "a", ["-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:15021/app-health/app/readiness"])
        #expect(noApp.stdout == "503", "pod a runs no app on :8080")

        // A calls the Service's cluster IP: its sidecar routes to an endpoint over mTLS, B's
        // sidecar checks A's identity and hands the request to the app. The link carries TLS only.
        let capture = mesh.directory.appendingPathComponent("b1.pcap").path
        let tcpdump = CommandRunner.which("tcpdump")
        if let tcpdump {
            try network.spawn(network.nodeNamespace, name: "tcpdump", [tcpdump, "-i", network.hostInterface("b1"), "-U", "-w", capture, "tcp port 8080"],
                              stopWithKill: true)
            _ = await eventually(timeout: .seconds(5), interval: .milliseconds(50)) { FileManager.default.fileExists(atPath: capture) }
        }
        var answers: [String: Int] = [:]
        for _ in 0..<20 {
            let result = try Self.curl(mesh, from: "a", ["http://\(Self.serviceIP)/hello"])
            answers[Self.answeringPod(result) ?? "error: \(result.stderr)\(result.stdout)", default: 0] += 1
        }
        #expect(Set(answers.keys) == ["backend-v1", "backend-v2"], "A→backend answers: \(answers)\n\(network.logs())")
        if tcpdump != nil {
            // tcpdump writes each packet as it goes (-U); give the last ones a moment to land.
            let bytes = await Self.waitForCapture(capture, atLeast: 2_000)
            network.kill("tcpdump")
            #expect(bytes.count >= 2_000, "nothing captured on b1's link")
            #expect(Self.contains(bytes, Array("\u{16}\u{03}".utf8)), "no TLS record on b1's link")
            #expect(!Self.contains(bytes, Array("GET /hello".utf8)), "a plaintext request crossed b1's link")
            #expect(!Self.contains(bytes, Array("backend-v1".utf8)), "a plaintext response crossed b1's link")
        } else {
            Issue.record("tcpdump is not installed (scripts/setup.sh installs it): the link was not inspected")
        }

        // Bytes that are not HTTP (the app's own TLS) are relayed as opaque TCP — still over the
        // sidecars' mTLS — and reach the app unchanged.
        if let openssl = CommandRunner.which("openssl") {
            let key = mesh.directory.appendingPathComponent("secure.key").path
            let certificate = mesh.directory.appendingPathComponent("secure.crt").path
            _ = try CommandRunner.run(openssl, ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                                               "-subj", "/CN=secure", "-keyout", key, "-out", certificate, "-days", "1"])
            try network.spawn(network.namespace("b1"), name: "openssl s_server b1",
                              [openssl, "s_server", "-accept", "9443", "-www", "-quiet", "-cert", certificate, "-key", key], stopWithKill: true)
            var page = ""
            let served = try await eventually(timeout: .seconds(10), interval: .milliseconds(200)) {
                page = try Self.curl(mesh, from: "a", ["-k", "https://\(Self.secureIP):9443/"]).stdout
                return page.contains("<HTML>")
            }
            #expect(served, "the app's TLS through the mesh: \(page)")
            let clientMetrics = try Self.curl(mesh, from: "a", ["http://127.0.0.1:15000/metrics"]).stdout
            #expect(clientMetrics.contains(#"causeway_sidecar_connections_total{direction="outbound",outcome="tcp"}"#), "\(clientMetrics)")
        } else {
            Issue.record("openssl is not installed (scripts/setup.sh installs it): opaque TCP was not checked")
        }

        // A GAMMA route on the Service: x-canary: true goes to v2, the rest splits 90/10.
        _ = try mesh.kubectl("apply", "-f", "-", stdin: """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: backend-split, namespace: shop}
            spec:
              parentRefs: [{group: "", kind: Service, name: backend, port: 80}]
              rules:
              - matches: [{headers: [{name: x-canary, value: "true"}]}]
                backendRefs: [{name: backend-v2, port: 80}]
              - matches: [{path: {type: PathPrefix, value: /slow}}]
                timeouts: {request: 500ms}
                backendRefs: [{name: backend-v1, port: 80}]
              - backendRefs: [{name: backend-v1, port: 80, weight: 90}, {name: backend-v2, port: 80, weight: 10}]
            """)
        let accepted = try await eventually(timeout: .seconds(15), interval: .milliseconds(100)) {
            try mesh.cluster.kubectl(["get", "httproute", "backend-split", "-n", "shop", "-o",
                                      #"jsonpath={.status.parents[?(@.parentRef.kind=="Service")].conditions[?(@.type=="Accepted")].status}"#],
                                     allowFailure: true).stdout == "True"
        }
        #expect(accepted, "the route was not accepted for Service backend")
        let canaryOnly = try await eventually(timeout: .seconds(15), interval: .milliseconds(100)) {
            Self.answeringPod(try Self.curl(mesh, from: "a", ["-H", "x-canary: true", "http://\(Self.serviceIP)/"])) == "backend-v2"
        }
        #expect(canaryOnly)
        var canary: [String: Int] = [:]
        for _ in 0..<10 {
            canary[Self.answeringPod(try Self.curl(mesh, from: "a", ["-H", "x-canary: true", "http://\(Self.serviceIP)/"])) ?? "error", default: 0] += 1
        }
        #expect(canary == ["backend-v2": 10], "x-canary: true answers: \(canary)")
        var split: [String: Int] = [:]
        for _ in 0..<200 {
            split[Self.answeringPod(try Self.curl(mesh, from: "a", ["http://\(Self.serviceIP)/"])) ?? "error", default: 0] += 1
        }
        // 200 draws at 10 %: 20 expected, outside 5...40 with probability below 1e-4.
        #expect((split["backend-v1"] ?? 0) + (split["backend-v2"] ?? 0) == 200, "split answers: \(split)")
        #expect((5...40).contains(split["backend-v2"] ?? 0), "split answers: \(split)")

        // The route's timeout applies in the client's sidecar: 504 after 500 ms, not the app's 3 s.
        let started = Date()
        let slow = try Self.curl(mesh, from: "a", ["-o", "/dev/null", "-w", "%{http_code}", "http://\(Self.serviceIP)/slow?delay=3s"])
        #expect(slow.stdout == "504", "a request past the route timeout: \(slow.stdout) \(slow.stderr)")
        #expect(Date().timeIntervalSince(started) < 2.5)

        // Retries (GEP-1731's `retry`, from the experimental channel: the schema is extended here
        // as installing that channel would): every attempt that meets the endpoint nobody answers
        // is cut at 300 ms and sent again, to the next endpoint.
        _ = try mesh.kubectl("patch", "crd", "httproutes.gateway.networking.k8s.io", "--type", "json", "-p", #"[{"op":"add","path":"/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/rules/items/properties/retry","value":{"type":"object","properties":{"attempts":{"type":"integer"},"backoff":{"type":"string"},"codes":{"type":"array","items":{"type":"integer"}}}}}]"#)
        _ = try mesh.kubectl("apply", "-f", "-", stdin: """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: flaky-retries, namespace: shop}
            spec:
              parentRefs: [{group: "", kind: Service, name: flaky, port: 80}]
              rules:
              - timeouts: {request: 5s, backendRequest: 300ms}
                retry: {attempts: 3, codes: [503]}
                backendRefs: [{name: flaky, port: 80}]
            """)
        let stored = try mesh.cluster.kubectl(["get", "httproute", "flaky-retries", "-n", "shop", "-o", "jsonpath={.spec.rules[0].retry.attempts}"]).stdout
        #expect(stored == "3", "the retry field was pruned: \(stored)")
        let retrying = try await eventually(timeout: .seconds(15), interval: .milliseconds(200)) {
            try mesh.cluster.kubectl(["get", "httproute", "flaky-retries", "-n", "shop", "-o",
                                      #"jsonpath={.status.parents[0].conditions[?(@.type=="Accepted")].status}"#], allowFailure: true).stdout == "True"
        }
        #expect(retrying)
        var flaky: [String: Int] = [:]
        let flakyStarted = Date()
        for _ in 0..<8 {
            flaky[Self.answeringPod(try Self.curl(mesh, from: "a", ["http://\(Self.flakyIP)/"])) ?? "error", default: 0] += 1
        }
        #expect(flaky == ["backend-v1": 8], "answers through a Service with a dead endpoint: \(flaky)")
        #expect(Date().timeIntervalSince(flakyStarted) < 8, "dead attempts must be cut at 300 ms, not at the 5 s connect timeout")

        // A client outside the mesh (no sidecar) reaches B's pod in plain text while the namespace
        // is PERMISSIVE (the default), and is refused once a MeshTLSPolicy makes it STRICT.
        let b1 = "http://\(Self.addresses["b1"]!):8080/"
        let b1v6 = "http://[\(Self.ipv6Addresses["b1"]!)]:8080/"
        #expect(Self.answeringPod(try Self.curl(mesh, from: "c", [b1])) == "backend-v1", "plaintext under PERMISSIVE")
        #expect(Self.answeringPod(try Self.curl(mesh, from: "c", ["-g", b1v6])) == "backend-v1", "plaintext over IPv6 under PERMISSIVE")
        // A client's own TLS to the app is not mesh mTLS (no mesh SNI): PERMISSIVE passes it on.
        let b1TLS = "https://\(Self.addresses["b1"]!):9443/"
        let opensslRuns = CommandRunner.which("openssl") != nil
        if opensslRuns {
            let page = try Self.curl(mesh, from: "c", ["-k", b1TLS])
            #expect(page.stdout.contains("<HTML>"), "an outside client's own TLS under PERMISSIVE: \(page.stdout) \(page.stderr)")
        }
        // A meshed pod's IPv6 call to a pod address is captured too and passes through (no Service).
        #expect(Self.answeringPod(try Self.curl(mesh, from: "a", ["-g", b1v6])) == "backend-v1", "IPv6 passthrough from a sidecar")
        _ = try mesh.kubectl("apply", "-f", "-", stdin: """
            apiVersion: causeway.dev/v1alpha1
            kind: MeshTLSPolicy
            metadata: {name: strict, namespace: shop}
            spec: {mode: STRICT}
            """)
        let programmed = try await eventually(timeout: .seconds(15), interval: .milliseconds(100)) {
            try mesh.cluster.kubectl(["get", "meshtlspolicy", "strict", "-n", "shop", "-o",
                                      #"jsonpath={.status.conditions[?(@.type=="Programmed")].status}"#], allowFailure: true).stdout == "True"
        }
        #expect(programmed, "MeshTLSPolicy strict was not programmed")
        let refused = try await eventually(timeout: .seconds(15), interval: .milliseconds(100)) {
            try Self.curl(mesh, from: "c", [b1]).status != 0
        }
        #expect(refused, "plaintext from outside the mesh still reaches b1 under STRICT")
        #expect(try Self.curl(mesh, from: "c", ["-g", b1v6]).status != 0, "IPv6 must not be a way around STRICT")
        if opensslRuns {
            #expect(try Self.curl(mesh, from: "c", ["-k", b1TLS]).status != 0, "under STRICT a client's own TLS is no mesh mTLS")
        }
        #expect(Self.answeringPod(try Self.curl(mesh, from: "a", ["-H", "x-canary: true", "http://\(Self.serviceIP)/"])) == "backend-v2",
                "meshed traffic must keep flowing under STRICT")
        let metrics = try Self.curl(mesh, from: "b1", ["http://127.0.0.1:15000/metrics"]).stdout
        #expect(metrics.contains(#"causeway_sidecar_connections_total{direction="inbound",outcome="refused_plaintext"}"#), "\(metrics)")
    }

    static func waitForCapture(_ path: String, atLeast count: Int) async -> [UInt8] {
        var bytes: [UInt8] = []
        _ = await eventually(timeout: .seconds(5), interval: .milliseconds(50)) {
            bytes = (FileManager.default.contents(atPath: path)).map { [UInt8]($0) } ?? []
            return bytes.count >= count
        }
        return bytes
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if Array(haystack[start..<(start + needle.count)]) == needle { return true }
        }
        return false
    }
}
