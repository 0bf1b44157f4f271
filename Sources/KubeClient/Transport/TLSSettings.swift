/// How to verify the server and, optionally, who we are to it.
public struct TLSSettings: Sendable, Hashable {
    /// PEM bundle of certificate authorities trusted for the server; the system store when both are nil.
    public var caPEM: [UInt8]?
    public var caFile: String?
    /// PEM client certificate and key for mutual TLS.
    public var clientCertificatePEM: [UInt8]?
    public var clientKeyPEM: [UInt8]?
    /// Skip server verification entirely (kubeconfig `insecure-skip-tls-verify`).
    public var insecureSkipVerify: Bool
    /// The name to send in SNI and check the server certificate against, instead of the URL host.
    public var serverName: String?

    public init(caPEM: [UInt8]? = nil, caFile: String? = nil, clientCertificatePEM: [UInt8]? = nil,
                clientKeyPEM: [UInt8]? = nil, insecureSkipVerify: Bool = false, serverName: String? = nil) {
        self.caPEM = caPEM
        self.caFile = caFile
        self.clientCertificatePEM = clientCertificatePEM
        self.clientKeyPEM = clientKeyPEM
        self.insecureSkipVerify = insecureSkipVerify
        self.serverName = serverName
    }
}
