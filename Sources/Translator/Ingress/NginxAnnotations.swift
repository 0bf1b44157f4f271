import KubeTypes

/// The ingress-nginx annotations Causeway honours, so an Ingress moves over unchanged. Each is
/// read from `nginx.ingress.kubernetes.io/<name>`; annotations Causeway cannot honour (snippets,
/// auth, rate limits) are reported as warnings instead of being silently ignored.
struct NginxAnnotations {
    static let prefix = "nginx.ingress.kubernetes.io/"

    /// `rewrite-target`: the path the backend sees, with `$n` groups of the matched path.
    var rewriteTarget: String?
    /// `use-regex` (implied by `rewrite-target`): paths are case-insensitive regular expressions
    /// matched from the start of the request path.
    var useRegex = false
    /// `ssl-redirect` (default on for hosts with TLS) and `force-ssl-redirect` (any host).
    var sslRedirect = true
    var forceSSLRedirect = false
    /// `permanent-redirect` / `temporal-redirect` and their codes.
    var redirect: (url: String, code: Int)?
    /// `app-root`: requests for `/` are redirected here.
    var appRoot: String?
    /// `backend-protocol`: HTTP (default), GRPC or H2C (both cleartext HTTP/2).
    var backendHTTP2 = false
    /// `upstream-vhost`: the Host header the backend sees.
    var upstreamVhost: String?
    var warnings: [String] = []

    static let honoured: Set<String> = [
        "rewrite-target", "use-regex", "ssl-redirect", "force-ssl-redirect", "permanent-redirect", "permanent-redirect-code",
        "temporal-redirect", "temporal-redirect-code", "app-root", "backend-protocol", "upstream-vhost",
    ]

    init(_ annotations: [String: String]) {
        func value(_ name: String) -> String? { annotations[Self.prefix + name] }
        rewriteTarget = value("rewrite-target")
        useRegex = value("use-regex") == "true" || rewriteTarget != nil
        sslRedirect = value("ssl-redirect") != "false"
        forceSSLRedirect = value("force-ssl-redirect") == "true"
        if let url = value("permanent-redirect") {
            redirect = (url, Int(value("permanent-redirect-code") ?? "") ?? 301)
        } else if let url = value("temporal-redirect") {
            redirect = (url, Int(value("temporal-redirect-code") ?? "") ?? 302)
        }
        appRoot = value("app-root")
        switch value("backend-protocol")?.uppercased() {
        case nil, "HTTP": break
        case "GRPC", "H2C": backendHTTP2 = true
        case let other?: warnings.append("backend-protocol \(other) is not supported; the backend is spoken to over HTTP/1.1")
        }
        upstreamVhost = value("upstream-vhost")
        for key in annotations.keys.sorted() where key.hasPrefix(Self.prefix) {
            let name = String(key.dropFirst(Self.prefix.count))
            if !Self.honoured.contains(name) {
                warnings.append("annotation \(key) is not supported by Causeway and has no effect")
            }
        }
    }
}
