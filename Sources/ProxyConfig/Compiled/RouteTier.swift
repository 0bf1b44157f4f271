/// The candidate matches of the routes that share one hostname pattern, indexed so a request
/// does not scan them all.
///
/// In precedence order every `Exact` match precedes every `RegularExpression` match, which
/// precedes every `PathPrefix` match, and prefixes go longest first. So a request looks up its
/// path among the exact values, tries the regexes in order, then looks up each element prefix
/// of its path from the longest down: a few hash probes instead of a scan. Each probe yields the
/// candidates for that value in precedence order, whose other conditions (method, headers,
/// query) are then checked. A class, so the hot path retains one reference, not its tables.
final class RouteTier: Sendable {
    let exact: [ByteKey: [CompiledMatch]]
    let regex: [CompiledMatch]
    /// Keyed by normalized prefix; `""` is the prefix `/`.
    let prefix: [ByteKey: [CompiledMatch]]
    /// Byte lengths of the keys above, so most misses cost a bit test instead of a hash.
    let exactLengths: LengthSet
    let prefixLengths: LengthSet
    /// The candidates in precedence order, for inspection.
    let ordered: [CompiledMatch]

    /// `candidates` must be in precedence order.
    init(_ candidates: [CompiledMatch]) {
        var exact: [ByteKey: [CompiledMatch]] = [:]
        var regex: [CompiledMatch] = []
        var prefix: [ByteKey: [CompiledMatch]] = [:]
        for candidate in candidates {
            switch candidate.path {
            case .exact(let value): exact[ByteKey(value), default: []].append(candidate)
            case .regex: regex.append(candidate)
            case .prefix(let value): prefix[ByteKey(value), default: []].append(candidate)
            }
        }
        self.exact = exact
        self.regex = regex
        self.prefix = prefix
        exactLengths = LengthSet(exact.keys.map(\.text.utf8.count))
        prefixLengths = LengthSet(prefix.keys.map(\.text.utf8.count))
        ordered = candidates
    }

    func first(method: String, path: Substring, query: Substring, headerValues: HeaderValueVisitor) -> CompiledMatch? {
        if exactLengths.contains(path.utf8.count), let list = exact[ByteKey(path)] {
            for c in list where c.matches(method: method, path: path, query: query, headerValues: headerValues) { return c }
        }
        for c in regex where c.matches(method: method, path: path, query: query, headerValues: headerValues) { return c }
        if prefix.isEmpty { return nil }
        // Element prefixes of the path, longest first: the path itself, then up to each "/".
        var end = path.endIndex
        while true {
            let candidate = path[path.startIndex..<end]
            if prefixLengths.contains(candidate.utf8.count), let list = prefix[ByteKey(candidate)] {
                for c in list where c.matches(method: method, path: path, query: query, headerValues: headerValues) {
                    return c
                }
            }
            guard end > path.startIndex, let slash = path.utf8[path.startIndex..<end].lastIndex(of: UInt8(ascii: "/")) else {
                return nil
            }
            end = slash
        }
    }
}

/// A set of small non-negative integers as a bit set; lengths past its end always test positive.
struct LengthSet: Sendable {
    private var words = [UInt64](repeating: 0, count: 16)  // lengths 0..<1024 exactly; longer ones pass

    init(_ lengths: [Int]) {
        for length in lengths { insert(length) }
    }

    mutating func insert(_ length: Int) {
        if length < 1024 { words[length >> 6] |= 1 << UInt64(length & 63) }
    }

    @inline(__always)
    func contains(_ length: Int) -> Bool {
        guard length < 1024 else { return true }
        return words[length >> 6] & (1 << UInt64(length & 63)) != 0
    }
}
