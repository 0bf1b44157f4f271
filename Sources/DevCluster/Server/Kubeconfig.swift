import Foundation

/// Renders the kubeconfig DevCluster hands to users (v1 Config, the fields kubectl reads).
enum Kubeconfig {
    static func render(server: String, pki: DevClusterPKI?, token: String) -> String {
        func b64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
        var cluster = "    server: \(server)\n"
        if let pki { cluster += "    certificate-authority-data: \(b64(pki.caCertificatePEM))\n" }
        var users = """
        - name: causeway-admin-token
          user:
            token: \(token)

        """
        var contexts = """
        - name: causeway-dev-token
          context:
            cluster: causeway-dev
            user: causeway-admin-token
            namespace: default

        """
        var current = "causeway-dev-token"
        if let pki {
            users += """
            - name: causeway-admin
              user:
                client-certificate-data: \(b64(pki.adminCertificatePEM))
                client-key-data: \(b64(pki.adminKeyPEM))

            """
            contexts += """
            - name: causeway-dev
              context:
                cluster: causeway-dev
                user: causeway-admin
                namespace: default

            """
            current = "causeway-dev"
        }
        return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: causeway-dev
          cluster:
        \(cluster)users:
        \(users)contexts:
        \(contexts)current-context: \(current)
        preferences: {}

        """
    }
}
