import KubeModel

/// Kubernetes' quantity library: `quantity()`, `isQuantity()`, `isInteger()`, `asInteger()`,
/// `asApproximateFloat()`, `add()`, `sub()`, `compareTo()`, `isGreaterThan()`, `isLessThan()`, `sign()`.
enum QuantityLibrary {
    private static func quantity(_ value: CELValue) throws(CELError) -> ResourceQuantity {
        switch value {
        case .opaque(let opaque as QuantityValue): return opaque.quantity
        case .int(let integer): return ResourceQuantity(integer: integer)
        default: throw .noSuchOverload
        }
    }

    private static func receiver(_ value: CELValue) throws(CELError) -> ResourceQuantity {
        guard case .opaque(let opaque as QuantityValue) = value else { throw .noSuchOverload }
        return opaque.quantity
    }

    static let functions: [CELFunction] = [
        CELFunction("quantity", [.global([.string], .quantity)]) { (arguments) throws(CELError) -> CELValue in
            guard case .string(let text) = arguments[0] else { throw .noSuchOverload }
            guard let parsed = ResourceQuantity(text) else { throw CELError("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'") }
            return .opaque(QuantityValue(quantity: parsed))
        },
        CELFunction("isQuantity", [.global([.string], .bool)]) { (arguments) throws(CELError) -> CELValue in
            guard case .string(let text) = arguments[0] else { throw .noSuchOverload }
            return .bool(ResourceQuantity(text) != nil)
        },
        CELFunction("isInteger", [.member([.quantity], .bool)]) { (arguments) throws(CELError) -> CELValue in
            .bool(try receiver(arguments[0]).integer != nil)
        },
        CELFunction("asInteger", [.member([.quantity], .int)]) { (arguments) throws(CELError) -> CELValue in
            guard let integer = try receiver(arguments[0]).integer else { throw CELError("cannot convert value to integer") }
            return .int(integer)
        },
        CELFunction("asApproximateFloat", [.member([.quantity], .double)]) { (arguments) throws(CELError) -> CELValue in
            .double(try receiver(arguments[0]).approximate)
        },
        CELFunction("sign", [.member([.quantity], .int)]) { (arguments) throws(CELError) -> CELValue in
            let value = try receiver(arguments[0])
            return .int(value.mantissa == 0 ? 0 : (value.mantissa < 0 ? -1 : 1))
        },
        CELFunction("add", [.member([.quantity, .quantity], .quantity), .member([.quantity, .int], .quantity)]) { (arguments) throws(CELError) -> CELValue in
            guard let sum = try receiver(arguments[0]).adding(try quantity(arguments[1])) else { throw .integerOverflow }
            return .opaque(QuantityValue(quantity: sum))
        },
        CELFunction("sub", [.member([.quantity, .quantity], .quantity), .member([.quantity, .int], .quantity)]) { (arguments) throws(CELError) -> CELValue in
            guard let negated = try quantity(arguments[1]).negated, let difference = try receiver(arguments[0]).adding(negated) else {
                throw .integerOverflow
            }
            return .opaque(QuantityValue(quantity: difference))
        },
        CELFunction("compareTo", [.member([.quantity, .quantity], .int)]) { (arguments) throws(CELError) -> CELValue in
            .int(Int64(try receiver(arguments[0]).compare(try quantity(arguments[1]))))
        },
        CELFunction("isGreaterThan", [.member([.quantity, .quantity], .bool)]) { (arguments) throws(CELError) -> CELValue in
            .bool(try receiver(arguments[0]).compare(try quantity(arguments[1])) > 0)
        },
        CELFunction("isLessThan", [.member([.quantity, .quantity], .bool)]) { (arguments) throws(CELError) -> CELValue in
            .bool(try receiver(arguments[0]).compare(try quantity(arguments[1])) < 0)
        },
    ]
}
