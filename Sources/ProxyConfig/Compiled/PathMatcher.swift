/// A path condition ready for the hot path: plain byte comparisons for `Exact` and `PathPrefix`,
/// a pre-compiled regex for `RegularExpression`. Paths are compared as they arrive, percent-encoding
/// and all; no normalisation happens here.
enum PathMatcher: Sendable, Hashable {
    case exact(String)
    /// `prefix` has the trailing `/` removed (empty for `/`), so a request path matches when it
    /// equals `prefix` or continues with `/` right after it.
    case prefix(String)
    case regex(CompiledRegex)

    init(_ match: HTTPPathMatch) throws {
        switch match.type {
        case .exact: self = .exact(match.value)
        case .pathPrefix: self = .prefix(PathPrefix.normalized(match.value))
        case .regularExpression: self = .regex(try CompiledRegex(match.value))
        }
    }

    func matches(_ path: Substring) -> Bool {
        switch self {
        case .exact(let value): return UTF8Bytes.equal(path, value)
        case .prefix(let prefix): return PathPrefix.matches(prefix: prefix, path: path)
        case .regex(let regex): return regex.wholeMatch(path)
        }
    }
}

/// The element-wise prefix rules shared by `PathPrefix` matching and `ReplacePrefixMatch`.
public enum PathPrefix {
    /// A `PathPrefix` value without its trailing `/`; `"/"` becomes `""` (matches every path).
    public static func normalized(_ value: String) -> String {
        var v = Substring(value)
        while v.utf8.last == UInt8(ascii: "/") { v = v.dropLast() }
        return String(v)
    }

    /// Whether `path` starts with the normalized `prefix` at an element boundary.
    public static func matches(prefix: String, path: Substring) -> Bool {
        UTF8Bytes.withBytes(path) { q in
            UTF8Bytes.withBytes(prefix) { p in
                guard p.count <= q.count, UTF8Bytes.equal(UnsafeBufferPointer(rebasing: q[0..<p.count]), p) else {
                    return false
                }
                return p.count == q.count || q[p.count] == UInt8(ascii: "/")
            }
        }
    }
}
