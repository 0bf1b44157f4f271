/// The CA endpoint's wire format: JSON over HTTPS, served beside the configuration stream.
/// A caller authenticates with a projected service-account token for `audience` and names
/// itself (pod) and the trust bundle it holds, so the CA knows when every proxy has a new root.
public enum CAProtocol {
    public static let audience = "causeway-ca"
    /// POST a `CertificateRequest`; answered with a `CertificateResponse` or a `CARefusal`.
    public static let certificatesPath = "/v1/certificates"
    /// GET; answered with a `TrustBundleResponse`.
    public static let trustBundlePath = "/v1/trust-bundle"
    /// The caller's pod name.
    public static let podHeader = "x-causeway-pod"
    /// `TrustBundle.fingerprint` of the bundle the caller holds now.
    public static let bundleHeader = "x-causeway-trust-bundle"
}

public struct CertificateRequest: Codable, Sendable, Hashable {
    /// PEM PKCS#10.
    public var csr: String
    /// Optional; the CA clamps it to its policy.
    public var lifetimeSeconds: Int?

    public init(csr: String, lifetimeSeconds: Int? = nil) {
        self.csr = csr
        self.lifetimeSeconds = lifetimeSeconds
    }
}

public struct CertificateResponse: Codable, Sendable, Hashable {
    /// Leaf first, then intermediates.
    public var certificateChain: String
    public var trustBundle: String
    public var trustBundleFingerprint: String

    public init(certificateChain: String, trustBundle: String, trustBundleFingerprint: String) {
        self.certificateChain = certificateChain
        self.trustBundle = trustBundle
        self.trustBundleFingerprint = trustBundleFingerprint
    }
}

public struct TrustBundleResponse: Codable, Sendable, Hashable {
    public var trustBundle: String
    public var fingerprint: String

    public init(trustBundle: String, fingerprint: String) {
        self.trustBundle = trustBundle
        self.fingerprint = fingerprint
    }
}

/// A refusal: `code` is a `WorkloadCAError.Code` name or `Unauthenticated`.
public struct CARefusal: Codable, Sendable, Hashable, Error {
    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}
