/// The result of routing a request: the rule to apply and what the request matched.
public struct MatchedRoute: Sendable {
    public let rule: CompiledRule
    /// Which of the rule's matches (after defaulting) accepted the request.
    public let matchIndex: Int
    /// The normalized `PathPrefix` that matched (`""` for `/`), for `ReplacePrefixMatch`;
    /// `nil` for `Exact` and `RegularExpression` matches.
    public let matchedPrefix: String?
    /// The virtual host (Gateway listener) that served the request.
    public let virtualHost: String

    public var route: RouteIdentity { rule.route }
}

/// A listener's routes, compiled for lookup: host → virtual host → candidate matches in
/// precedence order. Immutable; built once per snapshot and shared by every event loop.
///
/// Host lookup is two-level. First the virtual host (Gateway listener) by its hostname — exact,
/// then the longest matching `*.`-wildcard, then the one without hostname — so a request for
/// `foo.example.com` is served only by routes of the most specific listener (Gateway API
/// listener isolation). Then, inside it, the routes whose hostnames cover the request host, in
/// the Gateway API order: the most characters in a matching exact hostname, then in a matching
/// wildcard, then routes without hostnames; among routes of equal hostname specificity,
/// `MatchPrecedence`. A route whose specific hostname matches but whose rules do not falls
/// through to less specific hostnames.
public struct CompiledRouteTable: Sendable {
    public let virtualHosts: [CompiledVirtualHost]
    let hosts: HostTable<CompiledVirtualHost>

    init(virtualHosts: [CompiledVirtualHost]) {
        self.virtualHosts = virtualHosts
        var hosts = HostTable<CompiledVirtualHost>()
        // Validation rejects two virtual hosts with the same hostname; the first would win.
        for vh in virtualHosts.reversed() { hosts[pattern: vh.hostname?.lowercased()] = vh }
        self.hosts = hosts
    }

    /// The virtual host that serves a normalized request host (see `Hostname.normalizedRequestHost`).
    public func virtualHost(forNormalizedHost host: String) -> CompiledVirtualHost? {
        hosts.mostSpecific(forHost: host)
    }

    /// The matches a request for `host` would be tried against, in order — for `explain`-style
    /// tooling and the admin endpoint, not the hot path.
    public func candidateOrder(forHost host: String) -> [RouteCandidate] {
        let host = Hostname.normalizedRequestHost(host)
        guard let vh = virtualHost(forNormalizedHost: host) else { return [] }
        return vh.candidates(forNormalizedHost: host).map {
            RouteCandidate(
                virtualHost: vh.name, route: $0.rule.route, ruleIndex: $0.rule.ruleIndex, matchIndex: $0.matchIndex,
                match: $0.rule.rule.effectiveMatches[$0.matchIndex])
        }
    }

    /// Whether a request on a TLS connection names a host that belongs to another virtual host
    /// than the one its connection's SNI selected — which happens when an HTTP/2 client reuses a
    /// connection for another name the certificate covers. Answer `ResponseStatus.misdirected`
    /// (421) so the client retries on a new connection and the request is not served under the
    /// wrong listener's certificate and routes. `false` without SNI.
    public func isMisdirected(serverName: String?, host: String) -> Bool {
        guard let serverName else { return false }
        let bySNI = virtualHost(forNormalizedHost: Hostname.normalizedRequestHost(serverName))
        let byHost = virtualHost(forNormalizedHost: Hostname.normalizedRequestHost(host))
        return bySNI !== byHost
    }

    /// The first rule, in Gateway API precedence order, that accepts the request; `nil` means
    /// answer `ResponseStatus.noRoute` (404).
    ///
    /// - Parameters:
    ///   - host: the `Host` header or `:authority` as sent (case and port are ignored).
    ///   - method: the request method as sent (upper case).
    ///   - path: the path part of the request target, without query; compared undecoded.
    ///   - query: the raw query after `?` (empty when there is none).
    ///   - headers: the request headers; NIO's `HTTPHeaders` fits as is. Inlinable so that header
    ///     iteration is specialized for the caller's collection.
    @inlinable
    public func match<H: Collection>(
        host: String, method: String, path: Substring, query: Substring, headers: H
    ) -> MatchedRoute? where H.Element == (name: String, value: String) {
        match(host: host, method: method, path: path, query: query) { lowercasedName, visit in
            for header in headers where HeaderName.equals(header.name, lowercased: lowercasedName) { visit(header.value) }
        }
    }

    /// `match(host:method:path:query:headers:)` for callers that keep headers their own way.
    public func match(
        host: String, method: String, path: Substring, query: Substring, headerValues: HeaderValueVisitor
    ) -> MatchedRoute? {
        let host = Hostname.normalizedRequestHost(host)
        guard let vh = virtualHost(forNormalizedHost: host) else { return nil }
        guard let candidate = vh.first(host: host, method: method, path: path, query: query, headerValues: headerValues) else {
            return nil
        }
        return MatchedRoute(
            rule: candidate.rule, matchIndex: candidate.matchIndex, matchedPrefix: candidate.matchedPrefix,
            virtualHost: vh.name)
    }

    /// Convenience over `match(host:method:path:query:headers:)` taking a request target
    /// (`/path?query`) as sent.
    @inlinable
    public func match<H: Collection>(host: String, method: String, target: String, headers: H) -> MatchedRoute?
    where H.Element == (name: String, value: String) {
        let (path, query) = RequestTarget.split(target)
        return match(host: host, method: method, path: path, query: query, headers: headers)
    }
}

/// One entry of `CompiledRouteTable.candidateOrder(forHost:)`.
public struct RouteCandidate: Hashable, Sendable, CustomStringConvertible {
    public let virtualHost: String
    public let route: RouteIdentity
    public let ruleIndex: Int
    public let matchIndex: Int
    public let match: HTTPRouteMatch

    public var description: String {
        var text = "\(route.qualifiedName) rule \(ruleIndex) match \(matchIndex): \(match.path.type.rawValue) \(match.path.value)"
        if let method = match.method { text += " method \(method.rawValue)" }
        if !match.headers.isEmpty { text += " headers \(match.headers.count)" }
        if !match.queryParams.isEmpty { text += " queryParams \(match.queryParams.count)" }
        return text
    }
}

/// Splitting a request target into path and query without copying.
public enum RequestTarget {
    /// `/a/b?x=1#f` → (`/a/b`, `x=1`); a fragment, which clients should not send, is dropped.
    public static func split(_ target: String) -> (path: Substring, query: Substring) {
        let whole = target[...]
        let end = whole.utf8.firstIndex(of: UInt8(ascii: "#")) ?? whole.endIndex
        let beforeFragment = whole[..<end]
        guard let question = beforeFragment.utf8.firstIndex(of: UInt8(ascii: "?")) else {
            return (beforeFragment, beforeFragment[end...])
        }
        return (beforeFragment[..<question], beforeFragment[beforeFragment.index(after: question)...])
    }
}

/// The routes one Gateway listener contributes, one `RouteTier` per hostname pattern.
/// A class so that looking it up per request retains one reference instead of copying its tables.
public final class CompiledVirtualHost: Sendable {
    public let name: String
    public let hostname: String?
    let tiers: HostTable<RouteTier>

    init(name: String, hostname: String?, routes: [(hostnames: Hostname.Set, matches: [CompiledMatch])]) {
        self.name = name
        self.hostname = hostname
        // Every match once, in precedence order, then distributed to the tiers of its route's
        // hostnames (a route naming both `a.example.com` and `*.example.com` is in both).
        var all: [(route: Int, match: CompiledMatch)] = []
        for (r, route) in routes.enumerated() { all += route.matches.map { (r, $0) } }
        all.sort { $0.match.precedence < $1.match.precedence }
        var byPattern: [String?: [CompiledMatch]] = [:]
        for (r, match) in all {
            switch routes[r].hostnames {
            case .any: byPattern[String?.none, default: []].append(match)
            case .names(let names): for name in names { byPattern[name, default: []].append(match) }
            }
        }
        var tiers = HostTable<RouteTier>()
        for (pattern, matches) in byPattern { tiers[pattern: pattern] = RouteTier(matches) }
        self.tiers = tiers
    }

    /// The first candidate that accepts the request, most specific hostname first.
    func first(host: String, method: String, path: Substring, query: Substring, headerValues: HeaderValueVisitor)
        -> CompiledMatch?
    {
        var found: CompiledMatch?
        _ = tiers.visit(forHost: host) { tier in
            found = tier.first(method: method, path: path, query: query, headerValues: headerValues)
            return found != nil
        }
        return found
    }

    /// Every candidate for a normalized host in the order they are tried, for inspection and tests.
    func candidates(forNormalizedHost host: String) -> [CompiledMatch] {
        var result: [CompiledMatch] = []
        _ = tiers.visit(forHost: host) { tier in
            result += tier.ordered
            return false
        }
        return result
    }
}
