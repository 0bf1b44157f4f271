import Foundation
import Yams

/// A kubeconfig file as written on disk; field names are kubeconfig's (`certificate-authority-data`, `tokenFile`, …).
public struct KubeConfigFile: Codable, Sendable, Equatable {
    public struct NamedCluster: Codable, Sendable, Equatable {
        public var name: String
        public var cluster: Cluster
    }

    public struct Cluster: Codable, Sendable, Equatable {
        public var server: String?
        public var certificateAuthority: String?
        public var certificateAuthorityData: String?
        public var insecureSkipTLSVerify: Bool?
        public var tlsServerName: String?

        enum CodingKeys: String, CodingKey {
            case server
            case certificateAuthority = "certificate-authority"
            case certificateAuthorityData = "certificate-authority-data"
            case insecureSkipTLSVerify = "insecure-skip-tls-verify"
            case tlsServerName = "tls-server-name"
        }
    }

    public struct NamedContext: Codable, Sendable, Equatable {
        public var name: String
        public var context: Context
    }

    public struct Context: Codable, Sendable, Equatable {
        public var cluster: String
        public var user: String?
        public var namespace: String?
    }

    public struct NamedUser: Codable, Sendable, Equatable {
        public var name: String
        public var user: User
    }

    public struct User: Codable, Sendable, Equatable {
        public var token: String?
        public var tokenFile: String?
        public var clientCertificate: String?
        public var clientCertificateData: String?
        public var clientKey: String?
        public var clientKeyData: String?
        public var username: String?
        public var password: String?
        public var exec: ExecConfig?

        enum CodingKeys: String, CodingKey {
            case token, tokenFile, username, password, exec
            case clientCertificate = "client-certificate"
            case clientCertificateData = "client-certificate-data"
            case clientKey = "client-key"
            case clientKeyData = "client-key-data"
        }
    }

    public var clusters: [NamedCluster]?
    public var contexts: [NamedContext]?
    public var users: [NamedUser]?
    public var currentContext: String?

    enum CodingKeys: String, CodingKey {
        case clusters, contexts, users
        case currentContext = "current-context"
    }

    public init(clusters: [NamedCluster]? = nil, contexts: [NamedContext]? = nil, users: [NamedUser]? = nil, currentContext: String? = nil) {
        self.clusters = clusters
        self.contexts = contexts
        self.users = users
        self.currentContext = currentContext
    }

    /// Parses kubeconfig YAML; relative file paths inside are resolved against `directory`.
    public init(yaml: String, directory: String? = nil) throws {
        do {
            self = try YAMLDecoder().decode(KubeConfigFile.self, from: yaml)
        } catch {
            throw KubeConfigError("the kubeconfig is not valid: \(error)")
        }
        if let directory { resolvePaths(against: directory) }
    }

    /// Reads and parses one kubeconfig file.
    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KubeConfigError("cannot read kubeconfig \(path)")
        }
        do {
            try self.init(yaml: String(decoding: data, as: UTF8.self), directory: (path as NSString).deletingLastPathComponent)
        } catch let error as KubeConfigError {
            throw KubeConfigError("\(path): \(error.message)")
        }
    }

    private mutating func resolvePaths(against directory: String) {
        func resolve(_ path: String?) -> String? {
            guard let path, !path.isEmpty, !path.hasPrefix("/") else { return path }
            return (directory as NSString).appendingPathComponent(path)
        }
        for index in (clusters ?? []).indices {
            clusters![index].cluster.certificateAuthority = resolve(clusters![index].cluster.certificateAuthority)
        }
        for index in (users ?? []).indices {
            users![index].user.tokenFile = resolve(users![index].user.tokenFile)
            users![index].user.clientCertificate = resolve(users![index].user.clientCertificate)
            users![index].user.clientKey = resolve(users![index].user.clientKey)
            // A relative exec command with a slash is relative to the file; a bare name is looked up in PATH.
            if let command = users![index].user.exec?.command, command.contains("/") {
                users![index].user.exec?.command = resolve(command) ?? command
            }
        }
    }

    /// Merges files as `KUBECONFIG` lists them: the first file to define a name or `current-context` wins.
    public static func merged(_ files: [KubeConfigFile]) -> KubeConfigFile {
        var result = KubeConfigFile()
        var clusters: [NamedCluster] = [], contexts: [NamedContext] = [], users: [NamedUser] = []
        for file in files {
            if result.currentContext == nil, let current = file.currentContext, !current.isEmpty { result.currentContext = current }
            for cluster in file.clusters ?? [] where !clusters.contains(where: { $0.name == cluster.name }) { clusters.append(cluster) }
            for context in file.contexts ?? [] where !contexts.contains(where: { $0.name == context.name }) { contexts.append(context) }
            for user in file.users ?? [] where !users.contains(where: { $0.name == user.name }) { users.append(user) }
        }
        result.clusters = clusters
        result.contexts = contexts
        result.users = users
        return result
    }
}

/// A configuration problem, with the file or field at fault.
public struct KubeConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
