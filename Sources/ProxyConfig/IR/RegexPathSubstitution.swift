/// A path rewrite by regular expression, the way ingress-nginx's `rewrite-target` works: when
/// `pattern` matches the request path from its start, the whole path becomes `substitution`
/// with `$0`…`$9` replaced by the match's groups. The Gateway API has no such modifier; Causeway
/// uses it so Ingresses migrated from ingress-nginx keep their rewrites.
///
/// The pattern is compiled once, when the value is made (a snapshot is decoded or built), so no
/// request compiles a regular expression. A pattern that does not compile leaves `regex` nil,
/// which validation reports.
public struct RegexPathSubstitution: Hashable, Sendable, Codable {
    public let pattern: String
    public let substitution: String
    let regex: CompiledRegex?

    public init(pattern: String, substitution: String) {
        self.pattern = pattern
        self.substitution = substitution
        regex = try? CompiledRegex(pattern)
    }

    enum CodingKeys: String, CodingKey { case pattern, substitution }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(pattern: try c.decode(String.self, forKey: .pattern), substitution: try c.decode(String.self, forKey: .substitution))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(pattern, forKey: .pattern)
        try c.encode(substitution, forKey: .substitution)
    }

    public static func == (a: RegexPathSubstitution, b: RegexPathSubstitution) -> Bool {
        a.pattern == b.pattern && a.substitution == b.substitution
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(pattern)
        hasher.combine(substitution)
    }

    /// The new path, or nil when the pattern does not match at the start of `path`.
    public func apply(to path: Substring) -> String? {
        guard let groups = regex?.prefixMatchGroups(path) else { return nil }
        var result = ""
        var characters = substitution[...]
        while let dollar = characters.firstIndex(of: "$") {
            result += characters[..<dollar]
            let next = characters.index(after: dollar)
            if next < characters.endIndex, let digit = characters[next].wholeNumberValue {
                if digit < groups.count { result += groups[digit] ?? "" }
                characters = characters[characters.index(after: next)...]
            } else {
                result += "$"
                characters = characters[next...]
            }
        }
        result += characters
        if !result.hasPrefix("/") { result = "/" + result }
        return result
    }
}
