/// A header condition: the name is pre-lowered so lookups compare bytes without allocating.
struct HeaderMatcher: Sendable, Hashable {
    let lowercasedName: String
    let value: StringMatcher

    init(_ match: HTTPHeaderMatch) throws {
        lowercasedName = match.name.lowercased()
        value = try StringMatcher(type: match.type, value: match.value)
    }

    /// Repeated headers are joined with `","` (RFC 9110 §5.3); only then does this allocate.
    func matches<H: Collection>(_ headers: H) -> Bool where H.Element == (name: String, value: String) {
        var found: Substring?
        var joined: String?
        for header in headers where ASCII.equalsLowercased(header.name, lowercasedName) {
            if found == nil {
                found = header.value[...]
            } else {
                joined = (joined ?? String(found!)) + "," + header.value
            }
        }
        if let joined { return value.matches(joined[...]) }
        guard let found else { return false }
        return value.matches(found)
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
        case .exact(let value): return text.utf8.elementsEqual(value.utf8)
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

enum ASCII {
    /// Whether `text` equals `lowercased` ignoring ASCII case; `lowercased` must already be lower case.
    static func equalsLowercased(_ text: String, _ lowercased: String) -> Bool {
        let a = text.utf8, b = lowercased.utf8
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) {
            let lx = (x >= UInt8(ascii: "A") && x <= UInt8(ascii: "Z")) ? x + 32 : x
            if lx != y { return false }
        }
        return true
    }
}
