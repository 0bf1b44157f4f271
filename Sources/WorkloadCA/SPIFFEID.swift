/// A workload's identity in the mesh: `spiffe://<trust-domain>/ns/<namespace>/sa/<service-account>`.
/// Only this path shape is issued or accepted; it is the one Kubernetes meshes share, so a peer's
/// namespace and service account can be read back from its certificate.
public struct SPIFFEID: Hashable, Sendable, CustomStringConvertible, Comparable {
    public var trustDomain: String
    public var namespace: String
    public var serviceAccount: String

    public init(trustDomain: String, namespace: String, serviceAccount: String) {
        self.trustDomain = trustDomain
        self.namespace = namespace
        self.serviceAccount = serviceAccount
    }

    /// Parses a SPIFFE URI of the `/ns/<namespace>/sa/<service-account>` shape.
    public init(parsing uri: String) throws(WorkloadCAError) {
        let prefix = "spiffe://"
        guard uri.hasPrefix(prefix) else {
            throw WorkloadCAError(.malformedIdentity, "\(uri) is not a spiffe:// URI")
        }
        let rest = uri.dropFirst(prefix.count)
        let parts = rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5, parts[1] == "ns", parts[3] == "sa" else {
            throw WorkloadCAError(.malformedIdentity, "\(uri) is not of the form spiffe://<trust-domain>/ns/<namespace>/sa/<service-account>")
        }
        guard Self.isValidTrustDomain(parts[0]) else {
            throw WorkloadCAError(.malformedIdentity, "\(uri): trust domain \"\(parts[0])\" is not a lowercase DNS-like name")
        }
        guard Self.isValidSegment(parts[2]), Self.isValidSegment(parts[4]) else {
            throw WorkloadCAError(.malformedIdentity, "\(uri): namespace and service account must be non-empty names of [a-z0-9.-]")
        }
        self.init(trustDomain: parts[0], namespace: parts[2], serviceAccount: parts[4])
    }

    public var uri: String { "spiffe://\(trustDomain)/ns/\(namespace)/sa/\(serviceAccount)" }
    public var description: String { uri }

    public static func < (lhs: SPIFFEID, rhs: SPIFFEID) -> Bool { lhs.uri < rhs.uri }

    /// SPIFFE trust domains: lowercase letters, digits, `.`, `-` and `_` (the SPIFFE ID spec).
    public static func isValidTrustDomain(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 255 && name.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
    }

    /// Kubernetes namespace and service-account names (DNS subdomains) fit this.
    static func isValidSegment(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 253 && name.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
        }
    }
}
