/// A copy of the request sent fire-and-forget; its response is discarded.
struct MirrorPlan {
    var backendName: String
    var cluster: UpstreamCluster
}
