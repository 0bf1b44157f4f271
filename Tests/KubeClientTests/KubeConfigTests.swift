import Foundation
@testable import KubeClient
import Testing

@Suite("kubeconfig and in-cluster configuration")
struct KubeConfigTests {
    static let first = """
        apiVersion: v1
        kind: Config
        current-context: dev
        clusters:
        - name: dev
          cluster:
            server: https://127.0.0.1:6443
            certificate-authority-data: Q0EtUEVN
            tls-server-name: kubernetes
        - name: shared
          cluster:
            server: https://first.example:443
        contexts:
        - name: dev
          context: {cluster: dev, user: admin, namespace: apps}
        - name: other
          context: {cluster: remote, user: token-user}
        users:
        - name: admin
          user:
            client-certificate-data: Q0VSVA==
            client-key-data: S0VZ
        """

    static let second = """
        apiVersion: v1
        kind: Config
        current-context: other
        clusters:
        - name: remote
          cluster:
            server: https://remote.example:6443
            certificate-authority: ca.pem
            insecure-skip-tls-verify: true
        - name: shared
          cluster:
            server: https://second.example:443
        contexts:
        - name: other
          context: {cluster: shared, user: ignored}
        users:
        - name: token-user
          user:
            tokenFile: token.txt
        """

    @Test("a single file resolves the current context")
    func currentContext() throws {
        let config = try KubeConfigFile(yaml: Self.first).clientConfig()
        #expect(config.server == "https://127.0.0.1:6443")
        #expect(config.namespace == "apps")
        #expect(config.tls.caPEM == Array("CA-PEM".utf8))
        #expect(config.tls.clientCertificatePEM == Array("CERT".utf8))
        #expect(config.tls.clientKeyPEM == Array("KEY".utf8))
        #expect(config.tls.serverName == "kubernetes")
        #expect(config.qps == 20 && config.burst == 30)
    }

    @Test("KUBECONFIG lists merge with the first file winning, and relative paths follow their file")
    func merging() throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        let a = try directory.write("a.yaml", Self.first)
        try FileManager.default.createDirectory(atPath: directory.path + "/sub", withIntermediateDirectories: true)
        let b = try directory.write("sub/b.yaml", Self.second)
        try directory.write("sub/ca.pem", "REMOTE-CA")
        try directory.write("sub/token.txt", "t0ken\n")
        let missing = directory.path + "/missing.yaml"

        let env = ["KUBECONFIG": "\(a):\(missing):\(b)"]
        let current = try ClientConfig.load(environment: env)
        #expect(current.server == "https://127.0.0.1:6443", "current-context comes from the first file")

        let other = try ClientConfig.load(context: "other", environment: env)
        #expect(other.server == "https://remote.example:6443", "context 'other' comes from the first file, naming cluster remote")
        #expect(other.tls.caPEM == Array("REMOTE-CA".utf8))
        #expect(other.tls.insecureSkipVerify)
        #expect(other.namespace == "default")
        guard case .tokenFile(let path) = other.credentials else { Issue.record("expected a token file"); return }
        #expect(path == directory.path + "/sub/token.txt")
        let merged = KubeConfigFile.merged([try KubeConfigFile(path: a), try KubeConfigFile(path: b)])
        #expect(merged.clusters?.first { $0.name == "shared" }?.cluster.server == "https://first.example:443")
    }

    @Test("mistakes are named precisely")
    func errors() throws {
        let file = try KubeConfigFile(yaml: Self.first)
        #expect(throws: KubeConfigError.self) { _ = try file.clientConfig(context: "nope") }
        do {
            _ = try file.clientConfig(context: "other")
            Issue.record("expected an error")
        } catch let error as KubeConfigError {
            #expect(error.message.contains("cluster \"remote\""))
        }
        #expect(throws: KubeConfigError.self) { _ = try KubeConfigFile(yaml: "clusters: 7") }
        let badBase64 = Self.first.replacingOccurrences(of: "Q0EtUEVN", with: "not*base64")
        #expect(throws: KubeConfigError.self) { _ = try KubeConfigFile(yaml: badBase64).clientConfig() }
        #expect(throws: KubeConfigError.self) { _ = try ClientConfig.load(environment: ["KUBECONFIG": "/nonexistent/a:/nonexistent/b"]) }
    }

    @Test("in-cluster configuration reads the service-account mount and rereads a rotated token")
    func inCluster() async throws {
        let mount = try TempDirectory()
        defer { mount.remove() }
        try mount.write("token", "first-token")
        try mount.write("ca.crt", "CA")
        try mount.write("namespace", "causeway-system\n")
        let config = try ClientConfig.inCluster(environment: ["KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443"],
                                                mountPath: mount.path)
        #expect(config.server == "https://10.96.0.1:443")
        #expect(config.namespace == "causeway-system")
        #expect(config.tls.caFile == mount.path + "/ca.crt")

        let clock = ManualClock()
        let provider = CredentialProvider(source: config.credentials, clock: clock)
        #expect(try await provider.credentials().authorization == "Bearer first-token")
        try mount.write("token", "rotated-token")
        #expect(try await provider.credentials().authorization == "Bearer first-token", "cached within the refresh period")
        clock.advance(by: .seconds(61))
        #expect(try await provider.credentials().authorization == "Bearer rotated-token")

        #expect(throws: KubeConfigError.self) { _ = try ClientConfig.inCluster(environment: [:], mountPath: mount.path) }
    }

    @Test("exec plugins are run with KUBERNETES_EXEC_INFO and cached until expiry")
    func execPlugin() async throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        let counter = directory.path + "/count"
        let script = try directory.write("plugin.sh", """
            #!/bin/sh
            echo run >> \(counter)
            n=$(wc -l < \(counter) | tr -d ' ')
            case "$KUBERNETES_EXEC_INFO" in *'"interactive":false'*) ;; *) echo "bad exec info" >&2; exit 3;; esac
            printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"token-%s-%s","expirationTimestamp":"2027-01-15T08:00:00Z"}}' "$n" "$GREETING"
            """, executable: true)
        let exec = ExecConfig(command: script, env: [.init(name: "GREETING", value: "hi")], interactiveMode: "Never")
        let clock = ManualClock(start: RFC3339.parse("2027-01-15T07:00:00Z")!)
        let provider = CredentialProvider(source: .exec(exec, cluster: nil), clock: clock)
        #expect(try await provider.credentials().authorization == "Bearer token-1-hi")
        #expect(try await provider.credentials().authorization == "Bearer token-1-hi")
        clock.advance(by: .seconds(3600))
        #expect(try await provider.credentials().authorization == "Bearer token-2-hi", "expired credentials are fetched again")
        await provider.invalidate()
        #expect(try await provider.credentials().authorization == "Bearer token-3-hi")
    }

    @Test("a failing exec plugin reports its exit status and stderr")
    func execFailure() async throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        let script = try directory.write("fail.sh", "#!/bin/sh\necho 'please log in' >&2\nexit 4\n", executable: true)
        let provider = CredentialProvider(source: .exec(ExecConfig(command: script), cluster: nil))
        do {
            _ = try await provider.credentials()
            Issue.record("expected failure")
        } catch let error as KubeConfigError {
            #expect(error.message.contains("status 4"))
            #expect(error.message.contains("please log in"))
        }
        let missing = CredentialProvider(source: .exec(ExecConfig(command: "no-such-plugin-xyz", installHint: "install xyz"), cluster: nil))
        await #expect(throws: KubeConfigError.self) { _ = try await missing.credentials() }
    }
}
