/// Kubernetes' CIDR library: `cidr()`, `isCIDR()`, `containsIP()`, `containsCIDR()`,
/// `prefixLength()`, `masked()` (and `ip()` on a CIDR, in IPLibrary).
enum CIDRLibrary {
    private static func cidr(_ value: CELValue) throws(CELError) -> CIDRValue {
        guard case .opaque(let opaque) = value, let cidr = opaque as? CIDRValue else { throw .noSuchOverload }
        return cidr
    }

    private static func parse(_ text: String) throws(CELError) -> CIDRValue {
        switch CIDRValue.parse(text) {
        case .success(let value): return value
        case .failure(let error): throw error
        }
    }

    static let functions: [CELFunction] = [
        CELFunction("cidr", [.global([.string], .cidr)]) { (arguments) throws(CELError) -> CELValue in
            guard case .string(let text) = arguments[0] else { throw .noSuchOverload }
            return .opaque(try parse(text))
        },
        CELFunction("isCIDR", [.global([.string], .bool)]) { (arguments) throws(CELError) -> CELValue in
            guard case .string(let text) = arguments[0] else { throw .noSuchOverload }
            if case .success = CIDRValue.parse(text) { return .bool(true) }
            return .bool(false)
        },
        CELFunction("containsIP", [.member([.cidr, .ip], .bool), .member([.cidr, .string], .bool)]) { (arguments) throws(CELError) -> CELValue in
            let range = try cidr(arguments[0])
            if case .string(let text) = arguments[1] {
                switch IPAddress.parse(text) {
                case .success(let address): return .bool(range.contains(address))
                case .failure(let error): throw error
                }
            }
            return .bool(range.contains(try IPLibrary.ip(arguments[1])))
        },
        CELFunction("containsCIDR", [.member([.cidr, .cidr], .bool), .member([.cidr, .string], .bool)]) { (arguments) throws(CELError) -> CELValue in
            let range = try cidr(arguments[0])
            if case .string(let text) = arguments[1] { return .bool(range.contains(try parse(text))) }
            return .bool(range.contains(try cidr(arguments[1])))
        },
        CELFunction("prefixLength", [.member([.cidr], .int)]) { (arguments) throws(CELError) -> CELValue in
            .int(Int64(try cidr(arguments[0]).prefixLength))
        },
        CELFunction("masked", [.member([.cidr], .cidr)]) { (arguments) throws(CELError) -> CELValue in
            .opaque(try cidr(arguments[0]).masked)
        },
    ]
}
