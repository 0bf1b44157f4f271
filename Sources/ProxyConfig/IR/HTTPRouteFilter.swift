/// Gateway API `HTTPRouteFilter`, encoded as the spec spells it:
/// `{"type": "RequestRedirect", "requestRedirect": {...}}`.
public enum HTTPRouteFilter: Hashable, Sendable {
    case requestHeaderModifier(HTTPHeaderFilter)
    case responseHeaderModifier(HTTPHeaderFilter)
    case requestRedirect(HTTPRequestRedirectFilter)
    case urlRewrite(HTTPURLRewriteFilter)
    case requestMirror(HTTPRequestMirrorFilter)

    /// The Gateway API `type` value.
    public var type: String {
        switch self {
        case .requestHeaderModifier: "RequestHeaderModifier"
        case .responseHeaderModifier: "ResponseHeaderModifier"
        case .requestRedirect: "RequestRedirect"
        case .urlRewrite: "URLRewrite"
        case .requestMirror: "RequestMirror"
        }
    }
}

extension HTTPRouteFilter: Codable {
    enum CodingKeys: String, CodingKey {
        case type, requestHeaderModifier, responseHeaderModifier, requestRedirect, urlRewrite, requestMirror
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let type = try c.decode(String.self, forKey: .type)
        switch type {
        case "RequestHeaderModifier":
            self = .requestHeaderModifier(try c.decode(HTTPHeaderFilter.self, forKey: .requestHeaderModifier))
        case "ResponseHeaderModifier":
            self = .responseHeaderModifier(try c.decode(HTTPHeaderFilter.self, forKey: .responseHeaderModifier))
        case "RequestRedirect":
            self = .requestRedirect(try c.decode(HTTPRequestRedirectFilter.self, forKey: .requestRedirect))
        case "URLRewrite":
            self = .urlRewrite(try c.decode(HTTPURLRewriteFilter.self, forKey: .urlRewrite))
        case "RequestMirror":
            self = .requestMirror(try c.decode(HTTPRequestMirrorFilter.self, forKey: .requestMirror))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: c,
                debugDescription: "unsupported filter type \"\(type)\"; supported: RequestHeaderModifier, "
                    + "ResponseHeaderModifier, RequestRedirect, URLRewrite, RequestMirror")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(type, forKey: .type)
        switch self {
        case .requestHeaderModifier(let f): try c.encode(f, forKey: .requestHeaderModifier)
        case .responseHeaderModifier(let f): try c.encode(f, forKey: .responseHeaderModifier)
        case .requestRedirect(let f): try c.encode(f, forKey: .requestRedirect)
        case .urlRewrite(let f): try c.encode(f, forKey: .urlRewrite)
        case .requestMirror(let f): try c.encode(f, forKey: .requestMirror)
        }
    }
}

/// A header name and value (Gateway API `HTTPHeader`).
public struct HTTPHeader: Codable, Hashable, Sendable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// Gateway API `HTTPHeaderFilter` (RequestHeaderModifier / ResponseHeaderModifier).
public struct HTTPHeaderFilter: Codable, Hashable, Sendable {
    /// Replaces every existing value of the header with this one.
    public var set: [HTTPHeader]
    /// Appends a value, keeping existing ones.
    public var add: [HTTPHeader]
    /// Header names to delete.
    public var remove: [String]

    public init(set: [HTTPHeader] = [], add: [HTTPHeader] = [], remove: [String] = []) {
        self.set = set
        self.add = add
        self.remove = remove
    }

    enum CodingKeys: String, CodingKey { case set, add, remove }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        set = try c.decode([HTTPHeader].self, forKey: .set, default: [])
        add = try c.decode([HTTPHeader].self, forKey: .add, default: [])
        remove = try c.decode([String].self, forKey: .remove, default: [])
    }
}

/// Gateway API `HTTPPathModifier`, encoded as `{"type": "ReplacePrefixMatch", "replacePrefixMatch": "/x"}`.
public enum HTTPPathModifier: Hashable, Sendable {
    case replaceFullPath(String)
    /// Replaces the matched `PathPrefix` (element-wise, trailing `/` ignored); only valid on rules
    /// whose matches are all `PathPrefix`.
    case replacePrefixMatch(String)
    /// Causeway's own: rewrite by regular expression (see `RegexPathSubstitution`), encoded as
    /// `{"type": "RegexSubstitution", "regexSubstitution": {"pattern": ..., "substitution": ...}}`.
    case regexSubstitution(RegexPathSubstitution)
}

extension HTTPPathModifier: Codable {
    enum CodingKeys: String, CodingKey { case type, replaceFullPath, replacePrefixMatch, regexSubstitution }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let type = try c.decode(String.self, forKey: .type)
        switch type {
        case "ReplaceFullPath": self = .replaceFullPath(try c.decode(String.self, forKey: .replaceFullPath))
        case "ReplacePrefixMatch": self = .replacePrefixMatch(try c.decode(String.self, forKey: .replacePrefixMatch))
        case "RegexSubstitution": self = .regexSubstitution(try c.decode(RegexPathSubstitution.self, forKey: .regexSubstitution))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: c,
                debugDescription: "unsupported path modifier type \"\(type)\"; supported: ReplaceFullPath, ReplacePrefixMatch, RegexSubstitution")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .replaceFullPath(let p):
            try c.encode("ReplaceFullPath", forKey: .type)
            try c.encode(p, forKey: .replaceFullPath)
        case .replacePrefixMatch(let p):
            try c.encode("ReplacePrefixMatch", forKey: .type)
            try c.encode(p, forKey: .replacePrefixMatch)
        case .regexSubstitution(let s):
            try c.encode("RegexSubstitution", forKey: .type)
            try c.encode(s, forKey: .regexSubstitution)
        }
    }
}

/// Gateway API `HTTPRequestRedirectFilter`.
public struct HTTPRequestRedirectFilter: Codable, Hashable, Sendable {
    /// `"http"` or `"https"`; `nil` keeps the request's scheme.
    public var scheme: String?
    /// `nil` keeps the request's host.
    public var hostname: String?
    /// `nil` keeps the request's path.
    public var path: HTTPPathModifier?
    /// `nil`: the scheme's well-known port when `scheme` is set, otherwise the listener's port.
    public var port: Int?
    /// 301, 302 (default), 303, 307 or 308.
    public var statusCode: Int

    public static let allowedStatusCodes: Set<Int> = [301, 302, 303, 307, 308]

    public init(
        scheme: String? = nil, hostname: String? = nil, path: HTTPPathModifier? = nil, port: Int? = nil,
        statusCode: Int = 302
    ) {
        self.scheme = scheme
        self.hostname = hostname
        self.path = path
        self.port = port
        self.statusCode = statusCode
    }

    enum CodingKeys: String, CodingKey { case scheme, hostname, path, port, statusCode }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        scheme = try c.decodeIfPresent(String.self, forKey: .scheme)
        hostname = try c.decodeIfPresent(String.self, forKey: .hostname)
        path = try c.decodeIfPresent(HTTPPathModifier.self, forKey: .path)
        port = try c.decodeIfPresent(Int.self, forKey: .port)
        statusCode = try c.decode(Int.self, forKey: .statusCode, default: 302)
    }
}

/// Gateway API `HTTPURLRewriteFilter`.
public struct HTTPURLRewriteFilter: Codable, Hashable, Sendable {
    /// Replaces the `Host` header (`:authority`) sent upstream.
    public var hostname: String?
    public var path: HTTPPathModifier?

    public init(hostname: String? = nil, path: HTTPPathModifier? = nil) {
        self.hostname = hostname
        self.path = path
    }
}

/// Gateway API `HTTPRequestMirrorFilter`: a copy of the request goes to `backend`, its response is
/// discarded. `percent` and `fraction` are mutually exclusive; neither means every request.
public struct HTTPRequestMirrorFilter: Codable, Hashable, Sendable {
    /// The name of a `Backend` in the snapshot.
    public var backend: String
    public var percent: Int?
    public var fraction: Fraction?

    public init(backend: String, percent: Int? = nil, fraction: Fraction? = nil) {
        self.backend = backend
        self.percent = percent
        self.fraction = fraction
    }
}

/// Gateway API `Fraction`: `numerator / denominator`, denominator 100 by default.
public struct Fraction: Codable, Hashable, Sendable {
    public var numerator: Int
    public var denominator: Int

    public init(numerator: Int, denominator: Int = 100) {
        self.numerator = numerator
        self.denominator = denominator
    }

    enum CodingKeys: String, CodingKey { case numerator, denominator }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        numerator = try c.decode(Int.self, forKey: .numerator)
        denominator = try c.decode(Int.self, forKey: .denominator, default: 100)
    }
}
