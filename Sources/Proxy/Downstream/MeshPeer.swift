import WorkloadCA

/// A mesh listener's side of a connection: the identity it presents and checks peers with.
struct MeshPeer {
    var identity: WorkloadIdentity
    var local: SPIFFEID
}
