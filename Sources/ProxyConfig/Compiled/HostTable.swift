/// Values keyed by Gateway API hostname patterns — exact names, `*.`-wildcards, and "any host" —
/// looked up in specificity order: the exact name, then wildcards from the longest suffix to the
/// shortest, then the catch-all. Every lookup is a hash probe per label of the request host at
/// most, whatever the number of patterns.
struct HostTable<Value: Sendable>: Sendable {
    private(set) var exact: [String: Value] = [:]
    /// Keyed by the wildcard's suffix with its dot: `*.example.com` → `.example.com`.
    private(set) var wildcard: [ByteKey: Value] = [:]
    private(set) var any: Value?
    private var wildcardLengths = LengthSet([])

    init() {}

    /// The value stored for exactly this pattern (`nil` = any host).
    subscript(pattern pattern: String?) -> Value? {
        get {
            guard let pattern else { return any }
            return Hostname.isWildcard(pattern) ? wildcard[ByteKey(pattern.dropFirst())] : exact[pattern]
        }
        set {
            guard let pattern else {
                any = newValue
                return
            }
            if Hostname.isWildcard(pattern) {
                wildcard[ByteKey(String(pattern.dropFirst()))] = newValue
                wildcardLengths.insert(pattern.utf8.count - 1)
            } else {
                exact[pattern] = newValue
            }
        }
    }

    /// The most specific value for a normalized request host.
    func mostSpecific(forHost host: String) -> Value? {
        var found: Value?
        _ = visit(forHost: host) { value in
            found = value
            return true
        }
        return found
    }

    /// Calls `body` with each value whose pattern covers `host`, most specific first, until it
    /// returns `true`; returns whether it did.
    func visit(forHost host: String, _ body: (Value) -> Bool) -> Bool {
        if let value = exact[host], body(value) { return true }
        if !wildcard.isEmpty {
            let bytes = host.utf8
            var index = bytes.startIndex
            // Skip the first byte: a wildcard needs at least one character before its dot.
            if index != bytes.endIndex { index = bytes.index(after: index) }
            while let dot = bytes[index...].firstIndex(of: UInt8(ascii: ".")) {
                let suffix = host[dot...]
                if wildcardLengths.contains(suffix.utf8.count), let value = wildcard[ByteKey(suffix)], body(value) {
                    return true
                }
                index = bytes.index(after: dot)
            }
        }
        if let any, body(any) { return true }
        return false
    }
}
