import Foundation
import KubeClient
import KubeModel
import Testing

@Suite("TLS and authentication against an API server")
struct AuthIntegrationTests {
    @Test("TLS with a client certificate")
    func clientCertificate() async throws {
        try await withTestCluster { cluster in
            let config = try cluster.config(context: "causeway-dev")
            if !TestCluster.isExternal {
                #expect(config.tls.clientCertificatePEM != nil)
                guard case .none = config.credentials else { Issue.record("expected certificate-only auth"); return }
            }
            let list = try await KubeClient(config: config).resource(.namespaces).list()
            #expect(list.items.contains { $0.metaName == cluster.namespace })
        }
    }

    @Test("TLS with a bearer token, and a wrong token is Unauthorized")
    func bearerToken() async throws {
        try await withTestCluster { cluster in
            let config = try cluster.config(context: "causeway-dev-token")
            _ = try await KubeClient(config: config).resource(.namespaces).get(cluster.namespace)

            var wrong = config
            wrong.credentials = .bearerToken("not-a-valid-token")
            wrong.tls.clientCertificatePEM = nil
            wrong.tls.clientKeyPEM = nil
            do {
                _ = try await KubeClient(config: wrong).resource(.namespaces).get(cluster.namespace)
                Issue.record("a wrong token must be refused")
            } catch let error as KubeAPIError {
                #expect(error.code == .unauthorized)
                #expect(error.description.contains("credentials"))
            }
        }
    }

    @Test("a server certificate from another CA is refused unless verification is skipped",
          .enabled(if: !TestCluster.isExternal, "needs DevCluster's own PKI"))
    func wrongCA() async throws {
        try await withTestCluster { cluster in
            var config = try cluster.config(context: "causeway-dev-token")
            // The client certificate is no CA for the server's certificate.
            config.tls.caPEM = Array(cluster.devCluster!.pki!.adminCertificatePEM.utf8)
            await #expect(throws: TransportError(code: .tls, message: "")) {
                _ = try await KubeClient(config: config).resource(.namespaces).get(cluster.namespace)
            }
            config.tls.insecureSkipVerify = true
            _ = try await KubeClient(config: config).resource(.namespaces).get(cluster.namespace)
        }
    }

    @Test("tls-server-name checks the certificate against that name", .enabled(if: !TestCluster.isExternal))
    func serverName() async throws {
        try await withTestCluster { cluster in
            var config = try cluster.config(context: "causeway-dev-token")
            config.tls.serverName = "localhost"
            _ = try await KubeClient(config: config).resource(.namespaces).get(cluster.namespace)
            config.tls.serverName = "not-in-the-certificate.example"
            await #expect(throws: TransportError(code: .tls, message: "")) {
                _ = try await KubeClient(config: config).resource(.namespaces).get(cluster.namespace)
            }
        }
    }

    @Test("an exec credential plugin supplies the token", .enabled(if: !TestCluster.isExternal))
    func execPlugin() async throws {
        try await withTestCluster { cluster in
            let directory = try TempDirectory()
            defer { directory.remove() }
            let token = cluster.devCluster!.adminToken
            try directory.write("credential-plugin", """
                #!/bin/sh
                printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s"}}' "$PLUGIN_TOKEN"
                """, executable: true)
            let server = try cluster.config().server
            let ca = Data(cluster.devCluster!.pki!.caCertificatePEM.utf8).base64EncodedString()
            let kubeconfig = try directory.write("kubeconfig", """
                apiVersion: v1
                kind: Config
                current-context: exec
                clusters:
                - name: dev
                  cluster: {server: "\(server)", certificate-authority-data: \(ca)}
                contexts:
                - name: exec
                  context: {cluster: dev, user: plugin, namespace: \(cluster.namespace)}
                users:
                - name: plugin
                  user:
                    exec:
                      apiVersion: client.authentication.k8s.io/v1
                      command: ./credential-plugin
                      env: [{name: PLUGIN_TOKEN, value: "\(token)"}]
                      interactiveMode: Never
                      provideClusterInfo: true
                """)
            let config = try ClientConfig.load(environment: ["KUBECONFIG": kubeconfig])
            let client = KubeClient(config: config)
            let created = try await client.resource(.configMaps).create(["metadata": ["name": "via-exec"]])
            #expect(created.metaNamespace == cluster.namespace)
        }
    }
}
