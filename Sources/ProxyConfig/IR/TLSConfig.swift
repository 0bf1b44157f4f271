/// TLS termination on an HTTPS listener: the certificates it can present, chosen by SNI.
public struct TLSConfig: Codable, Hashable, Sendable {
    public var certificates: [TLSCertificate]
    /// ALPN protocols offered, in preference order; HTTP/2 first by default.
    public var alpnProtocols: [String]

    public init(certificates: [TLSCertificate], alpnProtocols: [String] = ["h2", "http/1.1"]) {
        self.certificates = certificates
        self.alpnProtocols = alpnProtocols
    }

    enum CodingKeys: String, CodingKey { case certificates, alpnProtocols }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        certificates = try c.decode([TLSCertificate].self, forKey: .certificates, default: [])
        alpnProtocols = try c.decode([String].self, forKey: .alpnProtocols, default: ["h2", "http/1.1"])
    }

    /// The certificate for a TLS ClientHello's server name: an exact hostname first, then the
    /// longest matching wildcard, then the first certificate with no hostnames (the default), then
    /// the first certificate. `nil` only when there are no certificates.
    public func certificate(forServerName serverName: String?) -> TLSCertificate? {
        if let serverName {
            let name = Hostname.normalizedRequestHost(serverName)
            var best: (certificate: TLSCertificate, rank: Int)?
            for certificate in certificates {
                for pattern in certificate.hostnames {
                    let pattern = pattern.lowercased()
                    let rank: Int
                    if pattern == name {
                        rank = Int.max
                    } else if Hostname.wildcard(pattern, matches: name) {
                        rank = pattern.utf8.count
                    } else {
                        continue
                    }
                    if best == nil || rank > best!.rank { best = (certificate, rank) }
                }
            }
            if let best { return best.certificate }
        }
        return certificates.first(where: { $0.hostnames.isEmpty }) ?? certificates.first
    }
}

/// A certificate chain and its private key, with the SNI hostnames it serves (exact or `*.`-wildcard).
public struct TLSCertificate: Codable, Hashable, Sendable {
    /// Server names this certificate is chosen for; empty means "the default certificate".
    public var hostnames: [String]
    public var certificateChain: PEMSource
    public var privateKey: PEMSource

    public init(hostnames: [String] = [], certificateChain: PEMSource, privateKey: PEMSource) {
        self.hostnames = hostnames
        self.certificateChain = certificateChain
        self.privateKey = privateKey
    }

    enum CodingKeys: String, CodingKey { case hostnames, certificateChain, privateKey }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        hostnames = try c.decode([String].self, forKey: .hostnames, default: [])
        certificateChain = try c.decode(PEMSource.self, forKey: .certificateChain)
        privateKey = try c.decode(PEMSource.self, forKey: .privateKey)
    }
}

/// PEM material given inline (as a Secret's `tls.crt` carries it) or as a file to read.
/// Encoded as `{"pem": "-----BEGIN ..."}` or `{"file": "/etc/causeway/tls.crt"}`.
public enum PEMSource: Codable, Hashable, Sendable {
    case pem(String)
    case file(String)

    enum CodingKeys: String, CodingKey { case pem, file }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let pem = try c.decodeIfPresent(String.self, forKey: .pem)
        let file = try c.decodeIfPresent(String.self, forKey: .file)
        switch (pem, file) {
        case let (pem?, nil): self = .pem(pem)
        case let (nil, file?): self = .file(file)
        default:
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath, debugDescription: "exactly one of \"pem\" or \"file\" must be set"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .pem(let text): try c.encode(text, forKey: .pem)
        case .file(let path): try c.encode(path, forKey: .file)
        }
    }
}
