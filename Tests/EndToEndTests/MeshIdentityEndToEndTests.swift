import Foundation
import TestSupport
import Testing

/// The mesh CA as a user meets it: `causeway dev` runs it, two proxies get SPIFFE certificates
/// with their projected tokens and talk mTLS, and certificates and the root rotate under load
/// without one failed request.
@Suite(.serialized) struct MeshIdentityEndToEndTests {
    /// A `causeway dev` with short certificate lifetimes, a namespace `mesh` with service accounts
    /// `client` and `server`, and files a proxy needs (tokens for audience causeway-ca, the
    /// control plane's CA).
    final class Mesh: @unchecked Sendable {
        let cluster: DevProcess
        let configPort: Int
        let opsPort: Int
        let caFile: String
        var processes: [ControllerProcess] = []

        static func start() async throws -> Mesh {
            let mesh = try Mesh()
            do {
                let found = try await eventually(timeout: .seconds(20), interval: .milliseconds(100)) {
                    try mesh.cluster.kubectl(["get", "meshconfig", "default"], allowFailure: true).status == 0
                }
                guard found else { throw TestFailure("MeshConfig default was not created: \(mesh.cluster.log.suffix(2000))") }
                // Certificates live 3 s (renewed every ~1.7 s); an old root stays 6 s after issuance moves.
                try mesh.cluster.kubectl("patch", "meshconfig", "default", "--type", "merge", "-p",
                                         #"{"spec":{"certificates":{"lifetime":"3s","maxLifetime":"6s"},"rootCA":{"distributionGracePeriod":"1s"}}}"#)
                // The CA issues with these settings once its status shows it has seen them.
                let observed = try await eventually(timeout: .seconds(10), interval: .milliseconds(100)) {
                    let generations = try mesh.cluster.kubectl("get", "meshconfig", "default", "-o",
                                                               "jsonpath={.metadata.generation} {.status.observedGeneration}").stdout
                    let parts = generations.split(separator: " ")
                    return parts.count == 2 && parts[0] == parts[1]
                }
                guard observed else { throw TestFailure("the mesh CA did not observe the MeshConfig change") }
            } catch {
                mesh.cluster.stop()
                throw error
            }
            return mesh
        }

        private init() throws {
            cluster = try DevProcess()
            do {
                guard let config = Self.port(in: cluster, after: "serving proxy configurations"),
                      let ops = Self.port(in: cluster, after: "serving /metrics") else {
                    throw TestFailure("causeway dev did not say where it serves: \(cluster.log.suffix(2000))")
                }
                configPort = config
                opsPort = ops
                try cluster.kubectl("create", "namespace", "mesh")
                try cluster.kubectl("create", "serviceaccount", "client", "-n", "mesh")
                try cluster.kubectl("create", "serviceaccount", "server", "-n", "mesh")
                let ca = try cluster.kubectl("get", "secret", "causeway-control-plane-ca", "-n", "causeway-system",
                                             "-o", "jsonpath={.data.tls\\.crt}").stdout
                caFile = cluster.directory.appendingPathComponent("control-plane-ca.crt").path
                guard let pem = Data(base64Encoded: ca) else { throw TestFailure("Secret causeway-control-plane-ca has no tls.crt") }
                try pem.write(to: URL(fileURLWithPath: caFile))
            } catch {
                cluster.stop()
                throw error
            }
        }

        static func port(in cluster: DevProcess, after needle: String) -> Int? {
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline {
                if let line = cluster.log.split(separator: "\n").first(where: { $0.contains(needle) }),
                   let field = line.split(separator: " ").first(where: { $0.hasPrefix("port=") }) {
                    return Int(field.dropFirst("port=".count))
                }
                usleep(50_000)
            }
            return nil
        }

        /// A token of `serviceAccount` in `mesh`, written to a file.
        func tokenFile(_ serviceAccount: String, audience: String? = "causeway-ca") throws -> String {
            var arguments = ["create", "token", serviceAccount, "-n", "mesh", "--duration", "1h"]
            if let audience { arguments += ["--audience", audience] }
            let token = try cluster.kubectl(arguments).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let path = cluster.directory.appendingPathComponent("\(serviceAccount)-\(audience ?? "api").token").path
            try token.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        func write(_ name: String, _ text: String) throws -> String {
            let path = cluster.directory.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        func start(_ name: String, _ arguments: [String]) throws -> ControllerProcess {
            let process = try ControllerProcess(name: name, arguments: arguments)
            processes.append(process)
            return process
        }

        /// A proxy of service account `serviceAccount` from a config file, with a mesh identity.
        func proxy(_ serviceAccount: String, config: String, adminPort: Int) throws -> ControllerProcess {
            try start("causeway proxy \(serviceAccount)", [
                "proxy", "--config", config, "--admin-port", String(adminPort), "--threads", "1",
                "--mesh-identity", "--ca-address", "https://127.0.0.1:\(configPort)", "--ca-file", caFile,
                "--ca-token-file", try tokenFile(serviceAccount), "--namespace", "mesh", "--service-account", serviceAccount,
                "--trust-bundle-poll-interval-ms", "200", "--pod", "\(serviceAccount)-0",
            ])
        }

        func stop() {
            for process in processes.reversed() { process.stop() }
            cluster.stop()
        }
    }

    static func curl(_ arguments: [String]) throws -> CommandResult {
        guard let curl = CommandRunner.which("curl") else { throw TestFailure("curl is not on PATH") }
        return try CommandRunner.run(curl, ["-sS", "--max-time", "5"] + arguments)
    }

    static func metric(_ port: Int, _ prefix: String) throws -> Double {
        let text = try curl(["http://127.0.0.1:\(port)/metrics"]).stdout
        return text.split(separator: "\n").filter { $0.hasPrefix(prefix) }
            .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0, +)
    }

    /// Client proxy (plain HTTP in) → mTLS → server proxy → echo.
    func startPair(_ mesh: Mesh) async throws -> (client: Int, clientAdmin: Int, serverAdmin: Int) {
        let echo = freeTCPPort(), inbound = freeTCPPort(), outbound = freeTCPPort()
        let clientAdmin = freeTCPPort(), serverAdmin = freeTCPPort()
        let echoProcess = try mesh.start("causeway echo", ["echo", "--address", "127.0.0.1", "--port", String(echo)])
        #expect(echoProcess.output.waitFor("listening", timeout: 10))
        let server = try mesh.write("server.yaml", """
            version: server-1
            listeners:
              - name: mesh-inbound
                address: 127.0.0.1
                port: \(inbound)
                mtls:
                  allowedPrincipals: ["spiffe://cluster.local/ns/mesh/sa/client"]
                virtualHosts:
                  - name: any
                    routes:
                      - name: echo
                        rules:
                          - backendRefs: [{backend: echo}]
            backends:
              - name: echo
                endpoints: [{host: 127.0.0.1, port: \(echo)}]
            """)
        let client = try mesh.write("client.yaml", """
            version: client-1
            listeners:
              - name: outbound
                address: 127.0.0.1
                port: \(outbound)
                virtualHosts:
                  - name: any
                    routes:
                      - name: to-server
                        rules:
                          - backendRefs: [{backend: server}]
            backends:
              - name: server
                endpoints: [{host: 127.0.0.1, port: \(inbound)}]
                mtls:
                  identities: ["spiffe://cluster.local/ns/mesh/sa/server"]
            """)
        _ = try mesh.proxy("server", config: server, adminPort: serverAdmin)
        _ = try mesh.proxy("client", config: client, adminPort: clientAdmin)
        for admin in [serverAdmin, clientAdmin] {
            let ready = await eventually(timeout: .seconds(20), interval: .milliseconds(100)) {
                (try? Self.curl(["-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(admin)/ready"]).stdout) == "200"
            }
            guard ready else {
                throw TestFailure("a proxy did not become ready with a certificate: "
                    + mesh.processes.map { "\($0.name): \($0.output.text.suffix(1500))" }.joined(separator: "\n"))
            }
        }
        return (outbound, clientAdmin, serverAdmin)
    }

    @Test func proxiesTalkMTLSAndRotateCertificatesAndTheRootUnderLoadWithoutAFailedRequest() async throws {
        guard let wrk = CommandRunner.which("wrk") else { throw TestFailure("wrk is not on PATH; scripts/setup.sh installs it") }
        let mesh = try await Mesh.start()
        defer { mesh.stop() }
        let pair = try await startPair(mesh)

        // The server proxy saw the client's SPIFFE ID and forwarded it.
        let answer = try Self.curl(["http://127.0.0.1:\(pair.client)/hello"])
        #expect(answer.stdout.contains("URI=spiffe://cluster.local/ns/mesh/sa/client"), "\(answer.stdout)")
        #expect(answer.stdout.contains("By=spiffe://cluster.local/ns/mesh/sa/server"), "\(answer.stdout)")

        let rootsBefore = try mesh.cluster.kubectl("get", "meshconfig", "default", "-o", "jsonpath={.status.roots[*].fingerprint}").stdout
        let renewalsBefore = try Self.metric(pair.clientAdmin, "causeway_proxy_workload_certificate_renewals_total{result=\"success\"}")

        // 14 s of load; the root rotation starts after 1 s and ends ~8 s later, and certificates
        // (3 s) renew several times meanwhile.
        let load = Process()
        load.executableURL = URL(fileURLWithPath: wrk)
        load.arguments = ["-t1", "-c8", "-d14s", "http://127.0.0.1:\(pair.client)/"]
        let pipe = Pipe()
        load.standardOutput = pipe
        load.standardError = pipe
        try load.run()
        try await Task.sleep(for: .seconds(1))
        try mesh.cluster.kubectl("patch", "meshconfig", "default", "--type", "merge", "-p", #"{"spec":{"rootCA":{"rotationRequest":"e2e-1"}}}"#)
        let completed = try await eventually(timeout: .seconds(30), interval: .milliseconds(200)) {
            try mesh.cluster.kubectl("get", "meshconfig", "default", "-o", "jsonpath={.status.conditions[?(@.type==\"RootRotation\")].reason}")
                .stdout == "RotationComplete"
        }
        let meshConfigYAML = (try? mesh.cluster.kubectl("get", "meshconfig", "default", "-o", "yaml").stdout) ?? ""
        #expect(completed, "\(meshConfigYAML)")
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        load.waitUntilExit()

        // Not one failed request, and enough of them that rotation happened under real load.
        #expect(!output.contains("Non-2xx"), "\(output)")
        #expect(!output.contains("Socket errors"), "\(output)")
        let requests = output.split(separator: "\n").first { $0.contains("requests in") }?
            .split(separator: " ").first.flatMap { Int($0) } ?? 0
        #expect(requests > 1000, "\(output)")

        // The root changed, every phase was announced, both proxies hold the new bundle, and
        // their certificates renewed during the run.
        let rootsAfter = try mesh.cluster.kubectl("get", "meshconfig", "default", "-o", "jsonpath={.status.roots[*].fingerprint}").stdout
        #expect(!rootsAfter.isEmpty && rootsAfter != rootsBefore)
        #expect(!rootsAfter.contains(" "), "one root after the rotation: \(rootsAfter)")
        let events = try mesh.cluster.kubectl("get", "events", "-A", "--field-selector", "involvedObject.kind=MeshConfig",
                                              "-o", "jsonpath={.items[*].reason}").stdout
        for reason in ["DistributingNewRoot", "IssuingFromNewRoot", "RotationComplete"] {
            #expect(events.contains(reason), "\(events)")
        }
        #expect(try await eventually(timeout: .seconds(10), interval: .milliseconds(200)) {
            try mesh.cluster.kubectl("get", "meshconfig", "default", "-o", "jsonpath={.status.proxies.withCurrentBundle}").stdout == "2"
        })
        let renewals = try Self.metric(pair.clientAdmin, "causeway_proxy_workload_certificate_renewals_total{result=\"success\"}")
        let proxyMetrics = (try? Self.curl(["http://127.0.0.1:\(pair.clientAdmin)/metrics"]).stdout) ?? ""
        #expect(renewals - renewalsBefore >= 3, "\(proxyMetrics.split(separator: "\n").filter { $0.contains("workload") }.joined(separator: "\n"))")
        // New connections after the rotation (certificates from the new root only).
        let after = try Self.curl(["-H", "connection: close", "http://127.0.0.1:\(pair.client)/after"])
        #expect(after.stdout.contains("URI=spiffe://cluster.local/ns/mesh/sa/client"), "\(after.stdout)")
    }

    @Test func theCARefusesAnotherServiceAccountsIdentityAndTokensForAnotherAudience() async throws {
        guard let openssl = CommandRunner.which("openssl") else { throw TestFailure("openssl is not on PATH") }
        let mesh = try await Mesh.start()
        defer { mesh.stop() }
        let key = mesh.cluster.directory.appendingPathComponent("key.pem").path
        let csr = mesh.cluster.directory.appendingPathComponent("server.csr").path
        _ = try CommandRunner.run(openssl, ["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key])
        _ = try CommandRunner.run(openssl, ["req", "-new", "-key", key, "-subj", "/", "-out", csr,
                                            "-addext", "subjectAltName=URI:spiffe://cluster.local/ns/mesh/sa/server"])
        let body = try JSONSerialization.data(withJSONObject: ["csr": try String(contentsOfFile: csr, encoding: .utf8)])
        let request = try mesh.write("request.json", String(decoding: body, as: UTF8.self))
        func post(token: String) throws -> (status: String, body: String) {
            let result = try Self.curl(["--cacert", mesh.caFile, "-w", "\n%{http_code}", "-H", "authorization: Bearer \(token)",
                                        "--data-binary", "@\(request)", "https://127.0.0.1:\(mesh.configPort)/v1/certificates"])
            let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            return (String(lines.last ?? ""), lines.dropLast().joined(separator: "\n"))
        }
        func token(_ serviceAccount: String, audience: String?) throws -> String {
            try String(contentsOfFile: try mesh.tokenFile(serviceAccount, audience: audience), encoding: .utf8)
        }

        let own = try post(token: try token("server", audience: "causeway-ca"))
        #expect(own.status == "200", "\(own.body)")
        #expect(own.body.contains("BEGIN CERTIFICATE"))

        let other = try post(token: try token("client", audience: "causeway-ca"))
        #expect(other.status == "403")
        #expect(other.body.contains("IdentityMismatch"), "\(other.body)")
        #expect(other.body.contains("spiffe:\\/\\/cluster.local\\/ns\\/mesh\\/sa\\/client") || other.body.contains("sa/client"), "\(other.body)")

        let wrongAudience = try post(token: try token("server", audience: nil))
        #expect(wrongAudience.status == "401", "\(wrongAudience.body)")
        #expect(wrongAudience.body.contains("Unauthenticated"))

        // The bundle reaches every namespace, new ones too, and an edit is undone.
        let bundle = { (namespace: String) in
            (try? mesh.cluster.kubectl(["get", "configmap", "causeway-trust-bundle", "-n", namespace, "-o", "jsonpath={.data.ca\\.crt}"],
                                       allowFailure: true).stdout) ?? ""
        }
        #expect(await eventually(timeout: .seconds(10), interval: .milliseconds(100)) { bundle("mesh").contains("BEGIN CERTIFICATE") })
        let published = bundle("mesh")
        try mesh.cluster.kubectl("create", "namespace", "late")
        #expect(await eventually(timeout: .seconds(10), interval: .milliseconds(100)) { bundle("late") == published })
        try mesh.cluster.kubectl("patch", "configmap", "causeway-trust-bundle", "-n", "late", "--type", "merge", "-p", #"{"data":{"ca.crt":"edited"}}"#)
        #expect(await eventually(timeout: .seconds(10), interval: .milliseconds(100)) { bundle("late") == published })

        #expect(try Self.metric(mesh.opsPort, "causeway_ca_refusals_total{reason=\"IdentityMismatch\"}") == 1)
        #expect(try Self.metric(mesh.opsPort, "causeway_ca_refusals_total{reason=\"Unauthenticated\"}") == 1)
        #expect(try Self.metric(mesh.opsPort, "causeway_ca_signings_total") >= 1)
    }

    @Test func aUserSuppliedIntermediateIsUsedAndItsRootsPublished() async throws {
        guard let openssl = CommandRunner.which("openssl") else { throw TestFailure("openssl is not on PATH") }
        let mesh = try await Mesh.start()
        defer { mesh.stop() }
        let directory = mesh.cluster.directory.path
        func run(_ arguments: [String]) throws {
            let result = try CommandRunner.run(openssl, arguments)
            if result.status != 0 { throw TestFailure("openssl \(arguments.joined(separator: " ")): \(result.stderr)") }
        }
        // The user's PKI: a root and an intermediate made with openssl, as an operator would.
        let caExtensions = try mesh.write("ca.ext", "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n")
        try run(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "\(directory)/root.key"])
        try run(["req", "-x509", "-new", "-key", "\(directory)/root.key", "-subj", "/O=Example Corp/CN=Example Root", "-days", "30",
                 "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                 "-out", "\(directory)/root.pem"])
        try run(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "\(directory)/ca.key"])
        try run(["req", "-new", "-key", "\(directory)/ca.key", "-subj", "/O=Example Corp/CN=Example Mesh Intermediate",
                 "-out", "\(directory)/ca.csr"])
        try run(["x509", "-req", "-in", "\(directory)/ca.csr", "-CA", "\(directory)/root.pem", "-CAkey", "\(directory)/root.key",
                 "-CAcreateserial", "-days", "10", "-extfile", caExtensions, "-out", "\(directory)/ca.pem"])
        // First with the root's key instead of the intermediate's: refused, said in status, and
        // the generated CA keeps issuing.
        try mesh.cluster.kubectl("create", "secret", "generic", "causeway-cacerts", "-n", "causeway-system",
                                 "--from-file=ca.crt=\(directory)/ca.pem", "--from-file=ca.key=\(directory)/root.key",
                                 "--from-file=root-cert.pem=\(directory)/root.pem")
        let refused = try await eventually(timeout: .seconds(20), interval: .milliseconds(200)) {
            try mesh.cluster.kubectl("get", "meshconfig", "default", "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].message}")
                .stdout.contains("Secret causeway-cacerts is not usable")
        }
        #expect(refused)
        #expect(try mesh.cluster.kubectl("get", "meshconfig", "default", "-o", "jsonpath={.status.source}").stdout == "Generated")
        try mesh.cluster.kubectl("delete", "secret", "causeway-cacerts", "-n", "causeway-system")
        try mesh.cluster.kubectl("create", "secret", "generic", "causeway-cacerts", "-n", "causeway-system",
                                 "--from-file=ca.crt=\(directory)/ca.pem", "--from-file=ca.key=\(directory)/ca.key",
                                 "--from-file=root-cert.pem=\(directory)/root.pem")
        let plugged = try await eventually(timeout: .seconds(20), interval: .milliseconds(200)) {
            try mesh.cluster.kubectl("get", "meshconfig", "default", "-o", "jsonpath={.status.source}").stdout == "Plugged"
        }
        #expect(plugged)
        let root = try String(contentsOfFile: "\(directory)/root.pem", encoding: .utf8)
        #expect(await eventually(timeout: .seconds(10), interval: .milliseconds(100)) {
            let published = (try? mesh.cluster.kubectl(["get", "configmap", "causeway-trust-bundle", "-n", "mesh",
                                                         "-o", "jsonpath={.data.ca\\.crt}"], allowFailure: true).stdout) ?? ""
            return published.trimmingCharacters(in: .whitespacesAndNewlines) == root.trimmingCharacters(in: .whitespacesAndNewlines)
        })

        // A workload certificate now chains to the user's root through their intermediate.
        try run(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "\(directory)/w.key"])
        try run(["req", "-new", "-key", "\(directory)/w.key", "-subj", "/", "-out", "\(directory)/w.csr",
                 "-addext", "subjectAltName=URI:spiffe://cluster.local/ns/mesh/sa/server"])
        let body = try JSONSerialization.data(withJSONObject: ["csr": try String(contentsOfFile: "\(directory)/w.csr", encoding: .utf8)])
        let request = try mesh.write("w.json", String(decoding: body, as: UTF8.self))
        let token = try String(contentsOfFile: try mesh.tokenFile("server"), encoding: .utf8)
        let answer = try Self.curl(["--cacert", mesh.caFile, "-H", "authorization: Bearer \(token)", "--data-binary", "@\(request)",
                                    "https://127.0.0.1:\(mesh.configPort)/v1/certificates"])
        let object = try JSONSerialization.jsonObject(with: Data(answer.stdout.utf8)) as? [String: Any]
        let chain = try #require(object?["certificateChain"] as? String, "\(answer.stdout)")
        let blocks = chain.components(separatedBy: "-----END CERTIFICATE-----").filter { $0.contains("BEGIN") }
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) + "\n-----END CERTIFICATE-----\n" }
        #expect(blocks.count == 2)
        _ = try mesh.write("leaf.pem", blocks.first ?? "")
        _ = try mesh.write("intermediates.pem", blocks.dropFirst().joined())
        let verified = try CommandRunner.run(openssl, ["verify", "-CAfile", "\(directory)/root.pem", "-untrusted",
                                                       "\(directory)/intermediates.pem", "\(directory)/leaf.pem"])
        #expect(verified.stdout.contains("OK"), "\(verified.stdout)\(verified.stderr)")
    }
}
