import KubeModel

/// Kubernetes' IP library: `ip()`, `isIP()`, `ip.isCanonical()`, `family()`, `isUnspecified()`,
/// `isLoopback()`, `isLinkLocalMulticast()`, `isLinkLocalUnicast()`, `isGlobalUnicast()`.
enum IPLibrary {
    static func ip(_ value: CELValue) throws(CELError) -> IPAddress {
        guard case .opaque(let opaque) = value, let address = opaque as? IPAddress else { throw .noSuchOverload }
        return address
    }

    private static func parse(_ value: CELValue) throws(CELError) -> IPAddress {
        guard case .string(let text) = value else { throw .noSuchOverload }
        switch IPAddress.parse(text) {
        case .success(let address): return address
        case .failure(let error): throw CELError("IP Address \(GoQuote.quote(text)) parse error during conversion from string: \(error.message)")
        }
    }

    private static func predicate(_ name: String, _ test: @escaping @Sendable (IPAddress) -> Bool) -> CELFunction {
        CELFunction(name, [.member([.ip], .bool)]) { (arguments) throws(CELError) -> CELValue in .bool(test(try ip(arguments[0]))) }
    }

    static let functions: [CELFunction] = [
        CELFunction("ip", [.global([.string], .ip), .member([.cidr], .ip)]) { (arguments) throws(CELError) -> CELValue in
            if case .opaque(let cidr as CIDRValue) = arguments[0] { return .opaque(cidr.address) }
            return .opaque(try parse(arguments[0]))
        },
        CELFunction("isIP", [.global([.string], .bool)]) { (arguments) throws(CELError) -> CELValue in
            guard case .string(let text) = arguments[0] else { throw .noSuchOverload }
            if case .success = IPAddress.parse(text) { return .bool(true) }
            return .bool(false)
        },
        CELFunction("ip.isCanonical", [.global([.string], .bool)]) { (arguments) throws(CELError) -> CELValue in
            guard case .string(let text) = arguments[0] else { throw .noSuchOverload }
            return .bool(try parse(arguments[0]).description == text)
        },
        CELFunction("family", [.member([.ip], .int)]) { (arguments) throws(CELError) -> CELValue in .int(Int64(try ip(arguments[0]).family)) },
        predicate("isUnspecified") { $0.isUnspecified },
        predicate("isLoopback") { $0.isLoopback },
        predicate("isLinkLocalMulticast") { $0.isLinkLocalMulticast },
        predicate("isLinkLocalUnicast") { $0.isLinkLocalUnicast },
        predicate("isGlobalUnicast") { $0.isGlobalUnicast },
    ]
}
