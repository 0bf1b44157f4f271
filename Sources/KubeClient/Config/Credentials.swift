import Foundation
import KubeModel

/// What a request carries to prove who it is.
public struct Credentials: Sendable, Equatable {
    /// The `Authorization` header value, if any.
    public var authorization: String?
    /// A client certificate and key supplied by an exec plugin, replacing the kubeconfig's.
    public var clientCertificatePEM: [UInt8]?
    public var clientKeyPEM: [UInt8]?

    public init(authorization: String? = nil, clientCertificatePEM: [UInt8]? = nil, clientKeyPEM: [UInt8]? = nil) {
        self.authorization = authorization
        self.clientCertificatePEM = clientCertificatePEM
        self.clientKeyPEM = clientKeyPEM
    }
}

/// Produces credentials for each request, caching what is expensive (exec plugins) or
/// rotating (token files) and refreshing it when it expires or the server answers 401.
public actor CredentialProvider {
    private let source: CredentialSource
    private let clock: any KubeClock
    /// How long a token read from a file is trusted before the file is read again.
    public let tokenFileRefresh: Duration
    private var cached: Credentials?
    private var cachedUntil: Date?

    public init(source: CredentialSource, clock: any KubeClock = SystemClock(), tokenFileRefresh: Duration = .seconds(60)) {
        self.source = source
        self.clock = clock
        self.tokenFileRefresh = tokenFileRefresh
    }

    public func credentials() async throws -> Credentials {
        if let cached, cachedUntil.map({ clock.now() < $0 }) ?? true { return cached }
        let (fresh, until) = try await load()
        cached = fresh
        cachedUntil = until
        return fresh
    }

    /// Forgets cached credentials, after a 401.
    public func invalidate() {
        cached = nil
        cachedUntil = nil
    }

    private func load() async throws -> (Credentials, Date?) {
        switch source {
        case .none:
            return (Credentials(), nil)
        case .bearerToken(let token):
            return (Credentials(authorization: "Bearer \(token)"), nil)
        case .basic(let username, let password):
            let encoded = Data("\(username):\(password)".utf8).base64EncodedString()
            return (Credentials(authorization: "Basic \(encoded)"), nil)
        case .tokenFile(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw KubeConfigError("cannot read token file \(path)")
            }
            let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty else { throw KubeConfigError("token file \(path) is empty") }
            return (Credentials(authorization: "Bearer \(token)"), clock.now().addingTimeInterval(tokenFileRefresh.seconds))
        case .exec(let config, let cluster):
            let credential = try await ExecPlugin(config: config, cluster: cluster).run()
            // Refresh a little before expiry so a request never leaves with a token about to lapse.
            let until = credential.expiration.map { $0.addingTimeInterval(-10) }
            return (credential.credentials, until)
        }
    }
}
