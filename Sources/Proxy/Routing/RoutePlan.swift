/// What the router decided for one request, in the data plane's own terms.
///
/// The router (built from a `ProxyConfig`) produces it once per request head; the request
/// handler then only executes it, so the handler never reads the IR directly.
struct RoutePlan {
    /// `namespace/name` of the matched route, `"-"` when none matched (metrics and access log).
    var routeName: String
    var outcome: Outcome

    enum Outcome {
        case forward(ForwardPlan)
        case respond(LocalResponse)
    }
}
