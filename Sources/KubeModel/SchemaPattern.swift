/// A compiled regular expression shared by schema `pattern`s and CEL's `matches`.
///
/// `Regex` is not `Sendable` in the standard library, but a compiled regex is immutable and its
/// lazily built program is initialised atomically, so sharing one across threads is safe.
public final class SchemaPattern: @unchecked Sendable {
    public let source: String
    public let regex: Regex<AnyRegexOutput>

    /// `matchingUnicodeScalars` matches code point by code point, as RE2 does (CEL's `matches`),
    /// rather than by grapheme cluster.
    public init(_ source: String, matchingUnicodeScalars: Bool = false) throws {
        self.source = source
        let regex = try Regex(source)
        self.regex = matchingUnicodeScalars ? regex.matchingSemantics(.unicodeScalar) : regex
    }

    /// Unanchored, as Go's `regexp.MatchString`.
    public func matches(_ text: String) -> Bool {
        (try? regex.firstMatch(in: text)) != nil
    }
}
