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
/// Host lookup is two-level. First the virtual host (Gateway listener) by its hostname — exact
/// in a dictionary, then `*.`-wildcards longest first, then the one without hostname — so a
/// request for `foo.example.com` is served only by routes of the most specific listener
/// (Gateway API listener isolation). Then, inside it, the candidate list for the request host
/// found the same way among the routes' hostnames. Each list holds every route whose hostnames
/// cover that host, ordered by hostname specificity (Gateway API: the most characters in a
/// matching non-wildcard hostname, then in a matching hostname), then by `MatchPrecedence`.
public struct CompiledRouteTable: Sendable {
    public let virtualHosts: [CompiledVirtualHost]
    let exactHosts: [String: Int]
    let wildcardHosts: [(pattern: String, index: Int)]
    let anyHost: Int?

    init(virtualHosts: [CompiledVirtualHost]) {
        self.virtualHosts = virtualHosts
        var exact: [String: Int] = [:]
        var wildcards: [(pattern: String, index: Int)] = []
        var any: Int?
        for (i, vh) in virtualHosts.enumerated() {
            guard let hostname = vh.hostname?.lowercased() else {
                if any == nil { any = i }
                continue
            }
            if Hostname.isWildcard(hostname) {
                if !wildcards.contains(where: { $0.pattern == hostname }) { wildcards.append((hostname, i)) }
            } else if exact[hostname] == nil {
                exact[hostname] = i
            }
        }
        exactHosts = exact
        wildcardHosts = wildcards.sorted { $0.pattern.utf8.count > $1.pattern.utf8.count }
        anyHost = any
    }

    /// The virtual host that serves a (normalized) request host, if any.
    public func virtualHost(forNormalizedHost host: String) -> CompiledVirtualHost? {
        if let i = exactHosts[host] { return virtualHosts[i] }
        for (pattern, i) in wildcardHosts where Hostname.wildcard(pattern, matches: host) { return virtualHosts[i] }
        return anyHost.map { virtualHosts[$0] }
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
        let candidates = vh.candidates(forNormalizedHost: host)
        guard let candidate = candidates.first(method: method, path: path, query: query, headerValues: headerValues) else {
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

/// The routes one Gateway listener contributes, bucketed by the request hosts they serve.
/// A class so that looking it up per request retains one reference instead of copying its tables.
public final class CompiledVirtualHost: Sendable {
    public let name: String
    public let hostname: String?
    let exactHosts: [String: CandidateIndex]
    let wildcardHosts: [(pattern: String, candidates: CandidateIndex)]
    let anyHost: CandidateIndex

    init(name: String, hostname: String?, routes: [(hostnames: Hostname.Set, matches: [CompiledMatch])]) {
        self.name = name
        self.hostname = hostname
        var exactNames: [String] = []
        var wildcardNames: [String] = []
        for route in routes {
            guard case .names(let names) = route.hostnames else { continue }
            for name in names {
                if Hostname.isWildcard(name) {
                    if !wildcardNames.contains(name) { wildcardNames.append(name) }
                } else if !exactNames.contains(name) {
                    exactNames.append(name)
                }
            }
        }
        func bucket(_ specificity: (Hostname.Set) -> HostSpecificity?) -> CandidateIndex {
            var entries: [(HostSpecificity, CompiledMatch)] = []
            for route in routes {
                guard let s = specificity(route.hostnames) else { continue }
                entries += route.matches.map { (s, $0) }
            }
            entries.sort { a, b in a.0 != b.0 ? a.0 > b.0 : a.1.precedence < b.1.precedence }
            return CandidateIndex(ordered: entries)
        }
        var exact: [String: CandidateIndex] = [:]
        for host in exactNames {
            exact[host] = bucket { HostSpecificity.best(of: $0, forHost: host) }
        }
        exactHosts = exact
        wildcardHosts = wildcardNames.sorted { $0.utf8.count > $1.utf8.count }.map { pattern in
            (pattern, bucket { HostSpecificity.best(of: $0, forWildcard: pattern) })
        }
        anyHost = bucket { $0 == .any ? HostSpecificity.any : nil }
    }

    /// Candidate matches, in precedence order, for a normalized request host.
    func candidates(forNormalizedHost host: String) -> CandidateIndex {
        if let list = exactHosts[host] { return list }
        for (pattern, list) in wildcardHosts where Hostname.wildcard(pattern, matches: host) { return list }
        return anyHost
    }
}

/// How specifically a route's hostnames name a request host: characters in a matching exact
/// hostname, then characters in a matching wildcard; more wins.
struct HostSpecificity: Comparable {
    var exactCharacters: Int
    var wildcardCharacters: Int

    static let any = HostSpecificity(exactCharacters: 0, wildcardCharacters: 0)

    static func < (a: HostSpecificity, b: HostSpecificity) -> Bool {
        (a.exactCharacters, a.wildcardCharacters) < (b.exactCharacters, b.wildcardCharacters)
    }

    /// For a request host that is exactly `host`.
    static func best(of set: Hostname.Set, forHost host: String) -> HostSpecificity? {
        guard case .names(let names) = set else { return .any }
        var best: HostSpecificity?
        for name in names {
            let s: HostSpecificity
            if name == host {
                s = HostSpecificity(exactCharacters: name.count, wildcardCharacters: 0)
            } else if Hostname.wildcard(name, matches: host) {
                s = HostSpecificity(exactCharacters: 0, wildcardCharacters: name.count)
            } else {
                continue
            }
            if best == nil || s > best! { best = s }
        }
        return best
    }

    /// For request hosts whose longest matching wildcard is `pattern`: routes with that wildcard
    /// or a wider one that covers it.
    static func best(of set: Hostname.Set, forWildcard pattern: String) -> HostSpecificity? {
        guard case .names(let names) = set else { return .any }
        let sample = String(pattern.dropFirst(2))  // covers `pattern` iff it covers this domain's subdomains
        var best: HostSpecificity?
        for name in names where Hostname.isWildcard(name) {
            guard name == pattern || Hostname.wildcard(name, matches: sample) else { continue }
            let s = HostSpecificity(exactCharacters: 0, wildcardCharacters: name.count)
            if best == nil || s > best! { best = s }
        }
        return best
    }
}
