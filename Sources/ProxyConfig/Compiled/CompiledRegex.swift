/// A regular expression compiled once when a snapshot is built, shared by every event loop.
///
/// `Regex` is not declared `Sendable` because its output type may not be; this one's output is
/// `AnyRegexOutput` and it is never mutated after `init`. The engine lowers the pattern lazily
/// (with an atomic, thread-safe publish); `init` forces that here so no request pays for it.
struct CompiledRegex: @unchecked Sendable, Hashable {
    let pattern: String
    private let regex: Regex<AnyRegexOutput>
    /// Text every whole match must start with, checked before the (slow) regex engine runs.
    let literalPrefix: String

    init(_ pattern: String) throws {
        self.pattern = pattern
        self.regex = try Regex(pattern)
        self.literalPrefix = Self.literalPrefix(of: pattern)
        _ = try? regex.wholeMatch(in: "")
    }

    /// The groups (`$0` is the whole match) of a match that starts where `text` starts.
    func prefixMatchGroups(_ text: Substring) -> [Substring?]? {
        guard let match = try? regex.prefixMatch(in: text) else { return nil }
        return match.output.map(\.substring)
    }

    func wholeMatch(_ text: Substring) -> Bool {
        if !literalPrefix.isEmpty && !UTF8Bytes.hasPrefix(text, literalPrefix) { return false }
        return (try? regex.wholeMatch(in: text)) != nil
    }

    static func == (lhs: CompiledRegex, rhs: CompiledRegex) -> Bool { lhs.pattern == rhs.pattern }
    func hash(into hasher: inout Hasher) { hasher.combine(pattern) }

    /// The run of plain characters a pattern starts with (after an optional `^`), empty when the
    /// pattern has a top-level choice or starts with anything special. Conservative: a character
    /// followed by a quantifier that allows zero repetitions is not part of the prefix.
    static func literalPrefix(of pattern: String) -> String {
        if pattern.contains("|") { return "" }
        var prefix: [UInt8] = []
        var bytes = pattern.utf8[...]
        if bytes.first == UInt8(ascii: "^") { bytes = bytes.dropFirst() }
        let special = Set("\\.[](){}*+?|^$#".utf8)
        for byte in bytes {
            if special.contains(byte) {
                if byte == UInt8(ascii: "?") || byte == UInt8(ascii: "*") || byte == UInt8(ascii: "{"), !prefix.isEmpty {
                    prefix.removeLast()
                }
                break
            }
            // Only ASCII: a multi-byte character followed by a quantifier would be cut mid-way.
            guard byte < 0x80, byte != UInt8(ascii: " ") else { break }
            prefix.append(byte)
        }
        return String(decoding: prefix, as: UTF8.self)
    }
}
