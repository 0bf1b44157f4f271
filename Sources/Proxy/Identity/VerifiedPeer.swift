import WorkloadCA

/// Who is on the other end of a mesh connection: its SPIFFE ID and the SHA-256 of its leaf
/// certificate (what `x-forwarded-client-cert` calls `Hash`).
struct VerifiedPeer: Sendable {
    var identity: SPIFFEID
    var leafHash: String
}
