/// A host bucket's candidate matches, indexed so a request does not scan them all.
///
/// The candidates arrive sorted (hostname specificity, then `MatchPrecedence`). Each run of equal
/// hostname specificity becomes a tier; inside a tier every `Exact` match precedes every
/// `RegularExpression` match, which precedes every `PathPrefix` match, and prefixes go longest
/// first. So per tier a request looks up its path among the exact values, tries the regexes in
/// order, then looks up each element prefix of its path from the longest down — a few hash
/// lookups instead of a scan. Each lookup yields the candidates for that value in precedence
/// order, whose remaining conditions (method, headers, query) are then checked.
///
/// Classes, not structs: the hot path then retains one reference per step instead of copying
/// every dictionary and array a struct would carry.
final class CandidateIndex: Sendable {
    final class Tier: Sendable {
        let exact: [PathKey: [CompiledMatch]]
        let regex: [CompiledMatch]
        /// Keyed by normalized prefix; `""` is the prefix `/`.
        let prefix: [PathKey: [CompiledMatch]]
        /// Byte lengths of the keys above, so most misses cost a bit test instead of a hash.
        let exactLengths: LengthSet
        let prefixLengths: LengthSet

        init(_ candidates: ArraySlice<CompiledMatch>) {
            var exact: [PathKey: [CompiledMatch]] = [:]
            var regex: [CompiledMatch] = []
            var prefix: [PathKey: [CompiledMatch]] = [:]
            for candidate in candidates {
                switch candidate.path {
                case .exact(let value): exact[PathKey(value), default: []].append(candidate)
                case .regex: regex.append(candidate)
                case .prefix(let value): prefix[PathKey(value), default: []].append(candidate)
                }
            }
            self.exact = exact
            self.regex = regex
            self.prefix = prefix
            exactLengths = LengthSet(exact.keys.map(\.text.utf8.count))
            prefixLengths = LengthSet(prefix.keys.map(\.text.utf8.count))
        }
    }

    let tiers: [Tier]
    /// Every candidate in precedence order, for inspection and tests.
    let ordered: [CompiledMatch]

    init(ordered: [(HostSpecificity, CompiledMatch)]) {
        let matches = ordered.map(\.1)
        var tiers: [Tier] = []
        var start = 0
        for i in ordered.indices where i + 1 == ordered.count || ordered[i + 1].0 != ordered[i].0 {
            tiers.append(Tier(matches[start...i]))
            start = i + 1
        }
        self.tiers = tiers
        self.ordered = matches
    }

    func first(method: String, path: Substring, query: Substring, headerValues: HeaderValueVisitor) -> CompiledMatch? {
        for tier in tiers {
            if tier.exactLengths.contains(path.utf8.count), let list = tier.exact[PathKey(path)] {
                for c in list where c.matches(method: method, path: path, query: query, headerValues: headerValues) { return c }
            }
            for c in tier.regex where c.matches(method: method, path: path, query: query, headerValues: headerValues) { return c }
            if tier.prefix.isEmpty { continue }
            // Element prefixes of the path, longest first: the path itself, then up to each "/".
            var end = path.endIndex
            while true {
                let candidate = path[path.startIndex..<end]
                if tier.prefixLengths.contains(candidate.utf8.count), let list = tier.prefix[PathKey(candidate)] {
                    for c in list where c.matches(method: method, path: path, query: query, headerValues: headerValues) { return c }
                }
                guard end > path.startIndex,
                    let slash = path.utf8[path.startIndex..<end].lastIndex(of: UInt8(ascii: "/"))
                else { break }
                end = slash
            }
        }
        return nil
    }
}

/// A set of small non-negative integers as a bit set; lengths past its end always test positive.
struct LengthSet: Sendable {
    private let words: [UInt64]

    init(_ lengths: [Int]) {
        var words = [UInt64](repeating: 0, count: 16)  // lengths 0..<1024 exactly; longer ones pass
        for length in lengths where length < 1024 { words[length >> 6] |= 1 << UInt64(length & 63) }
        self.words = words
    }

    @inline(__always)
    func contains(_ length: Int) -> Bool {
        guard length < 1024 else { return true }
        return words[length >> 6] & (1 << UInt64(length & 63)) != 0
    }
}
