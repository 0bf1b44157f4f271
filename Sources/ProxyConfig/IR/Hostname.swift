/// Hostname rules of the Gateway API: exact names, `*.`-wildcards that match one or more labels
/// (`*.example.com` matches `a.example.com` and `a.b.example.com`, not `example.com`), and the
/// intersection of a Gateway listener's hostname with a route's hostnames.
public enum Hostname {
    /// The hosts a route serves on a listener.
    public enum Set: Hashable, Sendable {
        /// Any host (neither the listener nor the route names one).
        case any
        /// These exact or wildcard hostnames; empty when listener and route do not intersect,
        /// in which case the route does not attach.
        case names([String])
    }

    /// Whether `name` is a `*.`-wildcard pattern.
    public static func isWildcard(_ name: String) -> Bool { name.utf8.first == UInt8(ascii: "*") }

    /// Whether the wildcard `pattern` (`*.example.com`) matches the exact `name`; both lowercase.
    public static func wildcard(_ pattern: String, matches name: String) -> Bool {
        guard isWildcard(pattern) else { return false }
        let suffix = pattern.dropFirst()  // ".example.com"
        return name.utf8.count > suffix.utf8.count && UTF8Bytes.hasSuffix(name, suffix)
    }

    /// The Gateway API intersection of a listener hostname and one route hostname: the more
    /// specific of the two when one covers the other, else `nil`.
    public static func intersect(_ listener: String, _ route: String) -> String? {
        let l = listener.lowercased(), r = route.lowercased()
        if l == r { return l }
        switch (isWildcard(l), isWildcard(r)) {
        case (false, false): return nil
        case (true, false): return wildcard(l, matches: r) ? r : nil
        case (false, true): return wildcard(r, matches: l) ? l : nil
        case (true, true):
            // `*.a.example.com` is inside `*.example.com`: the longer suffix is the intersection.
            if wildcard(r, matches: String(l.dropFirst(2))) { return l }
            if wildcard(l, matches: String(r.dropFirst(2))) { return r }
            return nil
        }
    }

    /// The hostnames a route serves on a listener (Gateway API listener/route hostname matching).
    public static func intersection(listener: String?, route: [String]) -> Set {
        guard let listener else { return route.isEmpty ? .any : .names(unique(route.map { $0.lowercased() })) }
        guard !route.isEmpty else { return .names([listener.lowercased()]) }
        return .names(unique(route.compactMap { intersect(listener, $0) }))
    }

    /// A request's `Host` / `:authority` / SNI as a lookup key: lowercase, without port and
    /// without a trailing dot. Does not allocate when the host is already in that form.
    public static func normalizedRequestHost(_ host: String) -> String {
        var needsWork = false
        var last: UInt8 = 0
        for byte in host.utf8 {
            if byte == UInt8(ascii: ":") || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) {
                needsWork = true
                break
            }
            last = byte
        }
        if !needsWork && last != UInt8(ascii: ".") { return host }
        var bytes = Array(host.utf8)
        if bytes.first == UInt8(ascii: "[") {
            // IPv6 literal: keep "[...]", drop the port after it.
            if let close = bytes.firstIndex(of: UInt8(ascii: "]")) { bytes.removeSubrange((close + 1)...) }
        } else if let colon = bytes.firstIndex(of: UInt8(ascii: ":")) {
            bytes.removeSubrange(colon...)
        }
        if bytes.last == UInt8(ascii: ".") { bytes.removeLast() }
        for i in bytes.indices where bytes[i] >= UInt8(ascii: "A") && bytes[i] <= UInt8(ascii: "Z") { bytes[i] += 32 }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func unique(_ names: [String]) -> [String] {
        var seen = Swift.Set<String>()
        return names.filter { seen.insert($0).inserted }
    }
}
