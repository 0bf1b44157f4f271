import Foundation

/// Everything needed to talk to one API server as one identity.
public struct ClientConfig: Sendable {
    /// Base URL, e.g. `https://127.0.0.1:6443` (no trailing slash).
    public var server: String
    public var tls: TLSSettings
    public var credentials: CredentialSource
    /// The context's namespace, `default` when it names none.
    public var namespace: String
    /// Client-side rate limit (client-go's defaults are 5/10; controllers commonly raise them to 20/30).
    public var qps: Double
    public var burst: Int
    public var userAgent: String
    /// Limit on ordinary requests; watches have none.
    public var timeout: Duration

    public init(server: String, tls: TLSSettings = TLSSettings(), credentials: CredentialSource = .none,
                namespace: String = "default", qps: Double = 20, burst: Int = 30,
                userAgent: String = "causeway", timeout: Duration = .seconds(60)) {
        self.server = server.hasSuffix("/") ? String(server.dropLast()) : server
        self.tls = tls
        self.credentials = credentials
        self.namespace = namespace
        self.qps = qps
        self.burst = burst
        self.userAgent = userAgent
        self.timeout = timeout
    }
}

/// Where the client's identity comes from.
public enum CredentialSource: Sendable {
    case none
    case bearerToken(String)
    /// A file holding a token that may be rotated underneath us (projected service-account tokens).
    case tokenFile(path: String)
    case basic(username: String, password: String)
    /// A credential plugin; `cluster` is passed to it when the kubeconfig sets `provideClusterInfo`.
    case exec(ExecConfig, cluster: ExecClusterInfo?)
}

/// What an exec plugin learns about the cluster when `provideClusterInfo` is true.
public struct ExecClusterInfo: Sendable, Equatable {
    public var server: String
    public var tlsServerName: String?
    public var insecureSkipTLSVerify: Bool
    public var certificateAuthorityData: String?
}

extension KubeConfigFile {
    /// Resolves a context (the named one, else `current-context`) into a client configuration.
    public func clientConfig(context contextName: String? = nil) throws -> ClientConfig {
        guard let name = contextName ?? currentContext, !name.isEmpty else {
            throw KubeConfigError("no context chosen: the kubeconfig has no current-context and none was given")
        }
        guard let context = contexts?.first(where: { $0.name == name })?.context else {
            let known = (contexts ?? []).map(\.name).joined(separator: ", ")
            throw KubeConfigError("context \"\(name)\" is not in the kubeconfig (known: \(known.isEmpty ? "none" : known))")
        }
        guard let cluster = clusters?.first(where: { $0.name == context.cluster })?.cluster else {
            throw KubeConfigError("context \"\(name)\" names cluster \"\(context.cluster)\", which the kubeconfig does not define")
        }
        guard let server = cluster.server, !server.isEmpty else {
            throw KubeConfigError("cluster \"\(context.cluster)\" has no server")
        }
        var user = User(token: nil, tokenFile: nil, clientCertificate: nil, clientCertificateData: nil, clientKey: nil,
                        clientKeyData: nil, username: nil, password: nil, exec: nil)
        if let userName = context.user, !userName.isEmpty {
            guard let found = users?.first(where: { $0.name == userName })?.user else {
                throw KubeConfigError("context \"\(name)\" names user \"\(userName)\", which the kubeconfig does not define")
            }
            user = found
        }

        var tls = TLSSettings(insecureSkipVerify: cluster.insecureSkipTLSVerify ?? false, serverName: cluster.tlsServerName)
        if let data = cluster.certificateAuthorityData {
            tls.caPEM = try Self.decodeBase64(data, field: "certificate-authority-data of cluster \"\(context.cluster)\"")
        } else if let path = cluster.certificateAuthority {
            tls.caPEM = try Self.read(path, field: "certificate-authority of cluster \"\(context.cluster)\"")
        }
        if let data = user.clientCertificateData {
            tls.clientCertificatePEM = try Self.decodeBase64(data, field: "client-certificate-data")
        } else if let path = user.clientCertificate {
            tls.clientCertificatePEM = try Self.read(path, field: "client-certificate")
        }
        if let data = user.clientKeyData {
            tls.clientKeyPEM = try Self.decodeBase64(data, field: "client-key-data")
        } else if let path = user.clientKey {
            tls.clientKeyPEM = try Self.read(path, field: "client-key")
        }
        if (tls.clientCertificatePEM == nil) != (tls.clientKeyPEM == nil) {
            throw KubeConfigError("user of context \"\(name)\" has a client certificate without a key, or a key without a certificate")
        }

        let credentials: CredentialSource
        if let exec = user.exec {
            guard ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"].contains(exec.apiVersion) else {
                throw KubeConfigError("exec plugin apiVersion \"\(exec.apiVersion)\" is not supported (use client.authentication.k8s.io/v1)")
            }
            let info = ExecClusterInfo(server: server, tlsServerName: cluster.tlsServerName,
                                       insecureSkipTLSVerify: cluster.insecureSkipTLSVerify ?? false,
                                       certificateAuthorityData: tls.caPEM.map { Data($0).base64EncodedString() })
            credentials = .exec(exec, cluster: exec.provideClusterInfo == true ? info : nil)
        } else if let token = user.token, !token.isEmpty {
            credentials = .bearerToken(token)
        } else if let file = user.tokenFile, !file.isEmpty {
            credentials = .tokenFile(path: file)
        } else if let username = user.username, let password = user.password {
            credentials = .basic(username: username, password: password)
        } else {
            credentials = .none
        }
        let namespace = context.namespace.flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        return ClientConfig(server: server, tls: tls, credentials: credentials, namespace: namespace)
    }

    static func decodeBase64(_ text: String, field: String) throws -> [UInt8] {
        // Line breaks inside the value are tolerated; anything else that is not base64 is an error.
        let compact = String(text.unicodeScalars.filter { !CharacterSet.whitespacesAndNewlines.contains($0) })
        guard let data = Data(base64Encoded: compact) else {
            throw KubeConfigError("\(field) is not valid base64")
        }
        return Array(data)
    }

    static func read(_ path: String, field: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KubeConfigError("cannot read \(field) file \(path)")
        }
        return Array(data)
    }
}

extension ClientConfig {
    /// Loads the configuration a command-line tool would: the `KUBECONFIG` list (merged), else
    /// `~/.kube/config`, else the in-cluster service account.
    public static func load(context: String? = nil,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ClientConfig {
        if let list = environment["KUBECONFIG"], !list.isEmpty {
            let paths = list.split(separator: ":").map(String.init).filter { !$0.isEmpty }
            // Missing files in the list are skipped, as kubectl does; all missing is an error.
            let files = try paths.filter { FileManager.default.fileExists(atPath: $0) }.map { try KubeConfigFile(path: $0) }
            guard !files.isEmpty else { throw KubeConfigError("none of the KUBECONFIG files exist: \(list)") }
            return try KubeConfigFile.merged(files).clientConfig(context: context)
        }
        if let home = environment["HOME"] {
            let path = home + "/.kube/config"
            if FileManager.default.fileExists(atPath: path) {
                return try KubeConfigFile(path: path).clientConfig(context: context)
            }
        }
        return try inCluster(environment: environment)
    }

    /// The in-cluster configuration: `KUBERNETES_SERVICE_HOST`/`_PORT` and the service-account mount.
    /// The token is read from its file on every refresh, so a rotated projected token is picked up.
    public static func inCluster(environment: [String: String] = ProcessInfo.processInfo.environment,
                                 mountPath: String = "/var/run/secrets/kubernetes.io/serviceaccount") throws -> ClientConfig {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty,
              let port = environment["KUBERNETES_SERVICE_PORT"], !port.isEmpty else {
            throw KubeConfigError("not running in a cluster (KUBERNETES_SERVICE_HOST/KUBERNETES_SERVICE_PORT unset) and no kubeconfig found")
        }
        let tokenPath = mountPath + "/token"
        guard FileManager.default.isReadableFile(atPath: tokenPath) else {
            throw KubeConfigError("in-cluster token \(tokenPath) is not readable; is automountServiceAccountToken off?")
        }
        let hostPart = host.contains(":") ? "[\(host)]" : host
        let namespace = (FileManager.default.contents(atPath: mountPath + "/namespace"))
            .map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
            .flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        return ClientConfig(server: "https://\(hostPart):\(port)",
                            tls: TLSSettings(caFile: mountPath + "/ca.crt"),
                            credentials: .tokenFile(path: tokenPath), namespace: namespace)
    }
}
