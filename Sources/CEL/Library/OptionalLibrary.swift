/// Optional values, which Kubernetes enables with `a.?b` and `a[?b]`: `optional.of`,
/// `optional.none`, `optional.ofNonZeroValue`, `hasValue`, `value`, `orValue`, `or`.
enum OptionalLibrary {
    private static func optional(_ value: CELValue) throws(CELError) -> CELValue? {
        guard case .optional(let wrapped) = value else { throw .noSuchOverload }
        return wrapped
    }

    static func isZero(_ value: CELValue) -> Bool {
        switch value {
        case .null: return true
        case .bool(let flag): return !flag
        case .int(let number): return number == 0
        case .uint(let number): return number == 0
        case .double(let number): return number == 0
        case .string(let text): return text.isEmpty
        case .bytes(let bytes): return bytes.isEmpty
        case .duration(let nanos): return nanos == 0
        case .timestamp(let timestamp): return timestamp.seconds == 0 && timestamp.nanos == 0
        case .list(let list): return list.count == 0
        case .map(let map): return map.count == 0
        case .optional(let wrapped): return wrapped == nil
        case .type, .opaque: return false
        }
    }

    static let functions: [CELFunction] = [
        CELFunction("optional.of", [.global([.a], .optional(.a))]) { arguments in .optional(arguments[0]) },
        CELFunction("optional.none", [.global([], .optional(.dyn))]) { _ in .optional(nil) },
        CELFunction("optional.ofNonZeroValue", [.global([.a], .optional(.a))]) { arguments in
            .optional(isZero(arguments[0]) ? nil : arguments[0])
        },
        CELFunction("hasValue", [.member([.optional(.a)], .bool)]) { (arguments) throws(CELError) -> CELValue in
            .bool(try optional(arguments[0]) != nil)
        },
        CELFunction("value", [.member([.optional(.a)], .a)]) { (arguments) throws(CELError) -> CELValue in
            guard let wrapped = try optional(arguments[0]) else { throw CELError("optional.none() dereference") }
            return wrapped
        },
        CELFunction("orValue", [.member([.optional(.a), .a], .a)]) { (arguments) throws(CELError) -> CELValue in
            try optional(arguments[0]) ?? arguments[1]
        },
        CELFunction("or", [.member([.optional(.a), .optional(.a)], .optional(.a))]) { (arguments) throws(CELError) -> CELValue in
            if try optional(arguments[0]) != nil { return arguments[0] }
            _ = try optional(arguments[1])
            return arguments[1]
        },
    ]
}
