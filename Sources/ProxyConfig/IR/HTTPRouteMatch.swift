/// Gateway API `HTTPRouteMatch`: every condition given must hold.
public struct HTTPRouteMatch: Codable, Hashable, Sendable {
    /// Defaults to `PathPrefix "/"`.
    public var path: HTTPPathMatch
    public var headers: [HTTPHeaderMatch]
    public var queryParams: [HTTPQueryParamMatch]
    public var method: HTTPMethod?

    public init(
        path: HTTPPathMatch = HTTPPathMatch(), headers: [HTTPHeaderMatch] = [],
        queryParams: [HTTPQueryParamMatch] = [], method: HTTPMethod? = nil
    ) {
        self.path = path
        self.headers = headers
        self.queryParams = queryParams
        self.method = method
    }

    enum CodingKeys: String, CodingKey { case path, headers, queryParams, method }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        path = try c.decode(HTTPPathMatch.self, forKey: .path, default: HTTPPathMatch())
        headers = try c.decode([HTTPHeaderMatch].self, forKey: .headers, default: [])
        queryParams = try c.decode([HTTPQueryParamMatch].self, forKey: .queryParams, default: [])
        method = try c.decodeIfPresent(HTTPMethod.self, forKey: .method)
    }
}

/// Gateway API `PathMatchType`.
public enum PathMatchType: String, Codable, Hashable, Sendable {
    /// The whole path, case-sensitive: `/abc` matches only `/abc`.
    case exact = "Exact"
    /// Whole `/`-separated elements; a trailing `/` in the value is ignored:
    /// `/abc` matches `/abc`, `/abc/` and `/abc/def`, not `/abcd`.
    case pathPrefix = "PathPrefix"
    /// The whole path matches the regular expression (Swift `Regex` syntax).
    case regularExpression = "RegularExpression"
}

/// Gateway API `HTTPPathMatch`.
public struct HTTPPathMatch: Codable, Hashable, Sendable {
    public var type: PathMatchType
    public var value: String

    public init(type: PathMatchType = .pathPrefix, value: String = "/") {
        self.type = type
        self.value = value
    }

    public static func exact(_ value: String) -> HTTPPathMatch { HTTPPathMatch(type: .exact, value: value) }
    public static func prefix(_ value: String) -> HTTPPathMatch { HTTPPathMatch(type: .pathPrefix, value: value) }
    public static func regex(_ value: String) -> HTTPPathMatch { HTTPPathMatch(type: .regularExpression, value: value) }

    enum CodingKeys: String, CodingKey { case type, value }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.decode(PathMatchType.self, forKey: .type, default: .pathPrefix)
        value = try c.decode(String.self, forKey: .value, default: "/")
    }
}

/// Gateway API `HeaderMatchType` / `QueryParamMatchType`.
public enum StringMatchType: String, Codable, Hashable, Sendable {
    case exact = "Exact"
    /// The whole value matches the regular expression.
    case regularExpression = "RegularExpression"
}

/// Gateway API `HTTPHeaderMatch`. Names compare case-insensitively; when a header repeats, its
/// values are joined with `","` (RFC 9110 §5.3) before matching.
public struct HTTPHeaderMatch: Codable, Hashable, Sendable {
    public var type: StringMatchType
    public var name: String
    public var value: String

    public init(type: StringMatchType = .exact, name: String, value: String) {
        self.type = type
        self.name = name
        self.value = value
    }

    enum CodingKeys: String, CodingKey { case type, name, value }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.decode(StringMatchType.self, forKey: .type, default: .exact)
        name = try c.decode(String.self, forKey: .name)
        value = try c.decode(String.self, forKey: .value)
    }
}

/// Gateway API `HTTPQueryParamMatch`. Names compare exactly (case-sensitive); values are compared
/// as they appear in the request, undecoded; the first occurrence of a repeated parameter counts.
public struct HTTPQueryParamMatch: Codable, Hashable, Sendable {
    public var type: StringMatchType
    public var name: String
    public var value: String

    public init(type: StringMatchType = .exact, name: String, value: String) {
        self.type = type
        self.name = name
        self.value = value
    }

    enum CodingKeys: String, CodingKey { case type, name, value }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.decode(StringMatchType.self, forKey: .type, default: .exact)
        name = try c.decode(String.self, forKey: .name)
        value = try c.decode(String.self, forKey: .value)
    }
}

/// Gateway API `HTTPMethod`.
public enum HTTPMethod: String, Codable, Hashable, Sendable, CaseIterable {
    case get = "GET", head = "HEAD", post = "POST", put = "PUT", delete = "DELETE"
    case connect = "CONNECT", options = "OPTIONS", trace = "TRACE", patch = "PATCH"
}
