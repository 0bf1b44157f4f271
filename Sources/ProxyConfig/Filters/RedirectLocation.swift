extension HTTPRequestRedirectFilter {
    /// The `Location` header value for a request this filter redirects.
    ///
    /// - Parameters:
    ///   - requestScheme: `"http"` or `"https"`, from the listener.
    ///   - requestHost: the request's `Host` / `:authority`; its port, if any, is dropped.
    ///   - listenerPort: the port the request arrived on.
    ///   - path: the request path, without query.
    ///   - query: the raw query, without `?`; kept in the `Location` when not empty.
    ///   - matchedPrefix: the normalized `PathPrefix` the request matched (`MatchedRoute.matchedPrefix`).
    ///
    /// The port follows the Gateway API: `port` if set; else the well-known port of `scheme` if
    /// set; else the listener's port. It is left out when it is the scheme's default (http/80,
    /// https/443).
    public func location(
        requestScheme: String, requestHost: String, listenerPort: Int, path: Substring, query: Substring?,
        matchedPrefix: String?
    ) -> String {
        let scheme = self.scheme ?? requestScheme
        let host = hostname ?? Self.hostWithoutPort(requestHost)
        let port: Int
        if let explicit = self.port {
            port = explicit
        } else if let scheme = self.scheme {
            port = Self.wellKnownPort(scheme) ?? listenerPort
        } else {
            port = listenerPort
        }
        var location = scheme + "://" + host
        if port != Self.wellKnownPort(scheme) { location += ":" + String(port) }
        location += self.path?.apply(to: path, matchedPrefix: matchedPrefix) ?? String(path)
        if let query, !query.isEmpty {
            location += "?"
            location += query
        }
        return location
    }

    static func wellKnownPort(_ scheme: String) -> Int? {
        switch scheme {
        case "http": 80
        case "https": 443
        default: nil
        }
    }

    /// `example.com:8080` → `example.com`; `[::1]:8080` → `[::1]`.
    static func hostWithoutPort(_ host: String) -> String {
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return host }
            return String(host[...close])
        }
        guard let colon = host.firstIndex(of: ":") else { return host }
        return String(host[..<colon])
    }
}
