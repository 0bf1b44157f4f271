/// The HTTP statuses the proxy answers itself when routing decides the request goes nowhere.
public struct ResponseStatus: Hashable, Sendable, CustomStringConvertible {
    public let code: Int
    public let reasonPhrase: String

    public init(code: Int, reasonPhrase: String) {
        self.code = code
        self.reasonPhrase = reasonPhrase
    }

    /// No route of the listener matches the request.
    public static let noRoute = ResponseStatus(code: 404, reasonPhrase: "Not Found")
    /// The matched rule has no usable backend: every reference invalid or weighted 0, or none at
    /// all (Gateway API: "all traffic which matches this rule MUST receive a 500 status code").
    public static let invalidBackend = ResponseStatus(code: 500, reasonPhrase: "Internal Server Error")
    /// The request's host belongs to another virtual host than its TLS connection's SNI
    /// (see `CompiledRouteTable.isMisdirected(serverName:host:)`).
    public static let misdirected = ResponseStatus(code: 421, reasonPhrase: "Misdirected Request")

    public var description: String { "\(code) \(reasonPhrase)" }
}

/// What the proxy does with a request that matched a rule.
public enum RouteAction: Sendable {
    /// Answer with a redirect (`RequestRedirect` filter); compute `Location` with
    /// `HTTPRequestRedirectFilter.location(...)`.
    case redirect(HTTPRequestRedirectFilter)
    /// Send the request to this backend reference (after the rule's and the reference's filters).
    case forward(CompiledBackendRef)
    /// Answer with this status and no upstream call.
    case respond(ResponseStatus)
}

extension CompiledRule {
    /// The backend reference for one request by weight, given a uniformly random number from the
    /// caller; `nil` when no reference has weight.
    public func pickBackend(random: UInt64) -> CompiledBackendRef? {
        guard totalWeight > 0 else { return nil }
        var point = random % totalWeight
        for ref in backendRefs {
            if point < ref.weight { return ref }
            point -= ref.weight
        }
        return nil
    }

    /// Redirect, forward, or answer 500: the rule's decision for one request.
    public func action(random: UInt64) -> RouteAction {
        if let requestRedirect { return .redirect(requestRedirect) }
        guard let ref = pickBackend(random: random), ref.backendIndex != nil else {
            return .respond(.invalidBackend)
        }
        return .forward(ref)
    }
}
