/// A header condition: the name is pre-lowered so lookups compare bytes without allocating.
struct HeaderMatcher: Sendable, Hashable {
    let lowercasedName: String
    let value: StringMatcher

    init(_ match: HTTPHeaderMatch) throws {
        lowercasedName = match.name.lowercased()
        value = try StringMatcher(type: match.type, value: match.value)
    }

    /// Repeated headers are joined with `","` (RFC 9110 §5.3); only then does this allocate.
    func matches(_ headerValues: HeaderValueVisitor) -> Bool {
        var found: String?
        var joined: String?
        headerValues(lowercasedName) { headerValue in
            if let first = found {
                joined = (joined ?? first) + "," + headerValue
            } else {
                found = headerValue
            }
        }
        if let joined { return value.matches(joined[...]) }
        guard let found else { return false }
        return value.matches(found[...])
    }
}

/// A query parameter condition; names compare exactly, values as sent (undecoded).
struct QueryParamMatcher: Sendable, Hashable {
    let name: String
    let value: StringMatcher

    init(_ match: HTTPQueryParamMatch) throws {
        name = match.name
        value = try StringMatcher(type: match.type, value: match.value)
    }

    /// Looks at the first parameter named `name` in the raw query (`a=1&b=2`).
    func matches(_ query: Substring) -> Bool {
        guard let found = QueryString.firstValue(named: name, in: query) else { return false }
        return value.matches(found)
    }
}

enum StringMatcher: Sendable, Hashable {
    case exact(String)
    case regex(CompiledRegex)

    init(type: StringMatchType, value: String) throws {
        switch type {
        case .exact: self = .exact(value)
        case .regularExpression: self = .regex(try CompiledRegex(value))
        }
    }

    func matches(_ text: Substring) -> Bool {
        switch self {
        case .exact(let value): return UTF8Bytes.equal(text, value)
        case .regex(let regex): return regex.wholeMatch(text)
        }
    }
}

/// Raw query-string scanning without building a dictionary.
public enum QueryString {
    /// The raw value of the first `name=value` (or bare `name`, value `""`) pair in `query`.
    public static func firstValue(named name: String, in query: Substring) -> Substring? {
        var rest = query
        while !rest.isEmpty {
            let end = rest.utf8.firstIndex(of: UInt8(ascii: "&")) ?? rest.endIndex
            let pair = rest[rest.startIndex..<end]
            let equals = pair.utf8.firstIndex(of: UInt8(ascii: "=")) ?? pair.endIndex
            if pair[pair.startIndex..<equals].utf8.elementsEqual(name.utf8) {
                return equals == pair.endIndex ? pair[equals...] : pair[pair.index(after: equals)...]
            }
            rest = end == rest.endIndex ? rest[end...] : rest[rest.index(after: end)...]
        }
        return nil
    }
}

/// Calls `visit` with the value of every request header named `lowercasedName` (compared
/// ignoring ASCII case), in order. The route table's generic `match` builds one around the
/// caller's header collection; callers with their own header storage can pass one directly.
public typealias HeaderValueVisitor = (_ lowercasedName: String, _ visit: (String) -> Void) -> Void

public enum HeaderName {
    /// Whether `name` equals `lowercased` ignoring ASCII case; `lowercased` must be lower case.
    @inlinable
    public static func equals(_ name: String, lowercased: String) -> Bool {
        var a = name.utf8.makeIterator(), b = lowercased.utf8.makeIterator()
        guard name.utf8.count == lowercased.utf8.count else { return false }
        while let x = a.next(), let y = b.next() {
            let lx = (x >= 65 && x <= 90) ? x &+ 32 : x
            if lx != y { return false }
        }
        return true
    }
}

