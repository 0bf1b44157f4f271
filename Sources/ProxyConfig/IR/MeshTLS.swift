/// A mesh listener: the proxy presents its workload certificate (SPIFFE identity from the mesh CA)
/// and requires a client certificate that chains to the mesh trust bundle and names a workload of
/// the same trust domain. The listener's `protocol` stays HTTP: mesh mTLS is transport between
/// sidecars, not the scheme the app asked for.
public struct MeshListenerTLS: Codable, Hashable, Sendable {
    /// SPIFFE URIs (`spiffe://<trust-domain>/ns/<namespace>/sa/<service-account>`) of the clients
    /// allowed to connect; empty: any workload of the trust domain.
    public var allowedPrincipals: [String]

    public init(allowedPrincipals: [String] = []) {
        self.allowedPrincipals = allowedPrincipals
    }

    enum CodingKeys: String, CodingKey { case allowedPrincipals }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        allowedPrincipals = try c.decode([String].self, forKey: .allowedPrincipals, default: [])
    }
}

/// mTLS to a backend's endpoints: the proxy presents its workload certificate and accepts only a
/// peer whose chain verifies to the trust bundle and whose SPIFFE ID is one of `identities`.
/// With `protocol: h2c` the connection speaks HTTP/2 over this TLS (ALPN `h2`).
public struct MeshUpstreamTLS: Codable, Hashable, Sendable {
    /// SPIFFE URIs the destination's workloads may have (its service accounts); empty: any
    /// workload of the trust domain.
    public var identities: [String]
    /// Namespaces whose workloads (any service account) are accepted besides `identities`: a
    /// Service's endpoints are known by namespace, not by the service accounts of their pods.
    public var namespaces: [String]
    /// SNI sent in the ClientHello (default `meshServerName`); not verified against the
    /// certificate (the SPIFFE ID is).
    public var serverName: String?

    /// The SNI a sidecar's inbound port knows mesh mTLS by. Under PERMISSIVE, TLS with any other
    /// SNI (or none) is a client's own TLS to the app, relayed untouched.
    public static let meshServerName = "mesh.causeway.internal"

    public init(identities: [String] = [], namespaces: [String] = [], serverName: String? = nil) {
        self.identities = identities
        self.namespaces = namespaces
        self.serverName = serverName
    }

    enum CodingKeys: String, CodingKey { case identities, namespaces, serverName }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        identities = try c.decode([String].self, forKey: .identities, default: [])
        namespaces = try c.decode([String].self, forKey: .namespaces, default: [])
        serverName = try c.decodeIfPresent(String.self, forKey: .serverName)
    }
}
