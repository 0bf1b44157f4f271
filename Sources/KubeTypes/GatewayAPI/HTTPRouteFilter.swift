import KubeModel

extension GatewayAPI {
    /// `HTTPRouteFilter` (and `GRPCRouteFilter`, a subset): `type` names which member is set.
    public struct Filter: Codable, Hashable, Sendable {
        public var type: String
        public var requestHeaderModifier: HeaderFilter?
        public var responseHeaderModifier: HeaderFilter?
        public var requestMirror: RequestMirror?
        public var requestRedirect: RequestRedirect?
        public var urlRewrite: URLRewrite?
        public var cors: CORS?
        public var externalAuth: JSONValue?
        public var extensionRef: LocalObjectReference?

        public init(type: String, requestHeaderModifier: HeaderFilter? = nil, responseHeaderModifier: HeaderFilter? = nil,
                    requestMirror: RequestMirror? = nil, requestRedirect: RequestRedirect? = nil, urlRewrite: URLRewrite? = nil,
                    cors: CORS? = nil, extensionRef: LocalObjectReference? = nil) {
            self.type = type
            self.requestHeaderModifier = requestHeaderModifier
            self.responseHeaderModifier = responseHeaderModifier
            self.requestMirror = requestMirror
            self.requestRedirect = requestRedirect
            self.urlRewrite = urlRewrite
            self.cors = cors
            self.extensionRef = extensionRef
        }
    }

    public struct Header: Codable, Hashable, Sendable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// `HTTPHeaderFilter`.
    public struct HeaderFilter: Codable, Hashable, Sendable {
        public var set: [Header]?
        public var add: [Header]?
        public var remove: [String]?

        public init(set: [Header]? = nil, add: [Header]? = nil, remove: [String]? = nil) {
            self.set = set
            self.add = add
            self.remove = remove
        }
    }

    /// `HTTPPathModifier`.
    public struct PathModifier: Codable, Hashable, Sendable {
        /// `ReplaceFullPath` or `ReplacePrefixMatch`.
        public var type: String
        public var replaceFullPath: String?
        public var replacePrefixMatch: String?

        public init(type: String, replaceFullPath: String? = nil, replacePrefixMatch: String? = nil) {
            self.type = type
            self.replaceFullPath = replaceFullPath
            self.replacePrefixMatch = replacePrefixMatch
        }
    }

    /// `HTTPRequestRedirectFilter`.
    public struct RequestRedirect: Codable, Hashable, Sendable {
        public var scheme: String?
        public var hostname: String?
        public var path: PathModifier?
        public var port: Int32?
        public var statusCode: Int?

        public init(scheme: String? = nil, hostname: String? = nil, path: PathModifier? = nil, port: Int32? = nil, statusCode: Int? = nil) {
            self.scheme = scheme
            self.hostname = hostname
            self.path = path
            self.port = port
            self.statusCode = statusCode
        }
    }

    /// `HTTPURLRewriteFilter`.
    public struct URLRewrite: Codable, Hashable, Sendable {
        public var hostname: String?
        public var path: PathModifier?

        public init(hostname: String? = nil, path: PathModifier? = nil) {
            self.hostname = hostname
            self.path = path
        }
    }

    /// `HTTPRequestMirrorFilter`.
    public struct RequestMirror: Codable, Hashable, Sendable {
        public var backendRef: BackendRef
        public var percent: Int32?
        public var fraction: Fraction?

        public init(backendRef: BackendRef, percent: Int32? = nil, fraction: Fraction? = nil) {
            self.backendRef = backendRef
            self.percent = percent
            self.fraction = fraction
        }
    }

    public struct Fraction: Codable, Hashable, Sendable {
        public var numerator: Int32
        public var denominator: Int32?

        public init(numerator: Int32, denominator: Int32? = nil) {
            self.numerator = numerator
            self.denominator = denominator
        }
    }

    /// `HTTPCORSFilter`.
    public struct CORS: Codable, Hashable, Sendable {
        public var allowOrigins: [String]?
        public var allowCredentials: Bool?
        public var allowMethods: [String]?
        public var allowHeaders: [String]?
        public var exposeHeaders: [String]?
        public var maxAge: Int32?

        public init(allowOrigins: [String]? = nil, allowCredentials: Bool? = nil, allowMethods: [String]? = nil,
                    allowHeaders: [String]? = nil, exposeHeaders: [String]? = nil, maxAge: Int32? = nil) {
            self.allowOrigins = allowOrigins
            self.allowCredentials = allowCredentials
            self.allowMethods = allowMethods
            self.allowHeaders = allowHeaders
            self.exposeHeaders = exposeHeaders
            self.maxAge = maxAge
        }
    }
}
