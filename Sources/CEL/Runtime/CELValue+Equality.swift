import KubeModel

extension CELValue {
    /// CEL equality: numbers compare across int, uint and double; lists and maps element-wise;
    /// values of different types are unequal (not an error).
    static func equal(_ lhs: CELValue, _ rhs: CELValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.bytes(a), .bytes(b)): return a == b
        case let (.duration(a), .duration(b)): return a == b
        case let (.timestamp(a), .timestamp(b)): return a == b
        case let (.type(a), .type(b)): return a == b
        case let (.optional(a), .optional(b)):
            switch (a, b) {
            case (nil, nil): return true
            case let (a?, b?): return equal(a, b)
            default: return false
            }
        case let (.opaque(a), .opaque(b)): return a.isEqual(to: b)
        case let (.list(a), .list(b)):
            if case .json(let left, _) = a.storage, case .json(let right, _) = b.storage, left == right { return true }
            guard a.count == b.count else { return false }
            for index in 0..<a.count where !equal(a[index], b[index]) { return false }
            return true
        case let (.map(a), .map(b)):
            if let left = a.jsonMembers, let right = b.jsonMembers, left == right { return true }
            guard a.count == b.count else { return false }
            for key in a.keys {
                guard let left = a.value(for: key), let right = b.value(for: key), equal(left, right) else { return false }
            }
            return true
        default:
            if let order = numericOrder(lhs, rhs) { return order == 0 }
            return false
        }
    }

    /// -1, 0 or 1 for two numbers of any numeric types; nil when either is not a number or is NaN.
    static func numericOrder(_ lhs: CELValue, _ rhs: CELValue) -> Int? {
        func sign<T: Comparable>(_ a: T, _ b: T) -> Int { a < b ? -1 : (a == b ? 0 : 1) }
        switch (lhs, rhs) {
        case let (.int(a), .int(b)): return sign(a, b)
        case let (.uint(a), .uint(b)): return sign(a, b)
        case let (.double(a), .double(b)):
            if a.isNaN || b.isNaN { return nil }
            return sign(a, b)
        case let (.int(a), .uint(b)): return a < 0 ? -1 : sign(UInt64(a), b)
        case let (.uint(a), .int(b)): return b < 0 ? 1 : sign(a, UInt64(b))
        case let (.int(a), .double(b)): return compareIntToDouble(a, b)
        case let (.double(a), .int(b)): return compareIntToDouble(b, a).map { -$0 }
        case let (.uint(a), .double(b)): return compareUIntToDouble(a, b)
        case let (.double(a), .uint(b)): return compareUIntToDouble(b, a).map { -$0 }
        default: return nil
        }
    }

    private static func compareIntToDouble(_ a: Int64, _ b: Double) -> Int? {
        if b.isNaN { return nil }
        if b < -9.223372036854775808e18 { return 1 }
        if b >= 9.223372036854775808e18 { return -1 }
        let truncated = Int64(b.rounded(.towardZero))
        if a != truncated { return a < truncated ? -1 : 1 }
        let fraction = b - b.rounded(.towardZero)
        return fraction > 0 ? -1 : (fraction < 0 ? 1 : 0)
    }

    private static func compareUIntToDouble(_ a: UInt64, _ b: Double) -> Int? {
        if b.isNaN { return nil }
        if b < 0 { return 1 }
        if b >= 1.8446744073709551616e19 { return -1 }
        let truncated = UInt64(b.rounded(.towardZero))
        if a != truncated { return a < truncated ? -1 : 1 }
        return b > b.rounded(.towardZero) ? -1 : 0
    }

    /// Ordering for `<`, `<=`, `>`, `>=`: numbers across types, strings (by code point), bytes,
    /// bools, durations, timestamps; nil when unordered (NaN); anything else has no such overload.
    static func order(_ lhs: CELValue, _ rhs: CELValue) throws(CELError) -> Int? {
        func sign<T: Comparable>(_ a: T, _ b: T) -> Int { a < b ? -1 : (a == b ? 0 : 1) }
        func bytewise<C: Collection<UInt8>>(_ a: C, _ b: C) -> Int {
            a.elementsEqual(b) ? 0 : (a.lexicographicallyPrecedes(b) ? -1 : 1)
        }
        switch (lhs, rhs) {
        // UTF-8 byte order is code point order, as Go compares strings.
        case let (.string(a), .string(b)): return bytewise(a.utf8, b.utf8)
        case let (.bytes(a), .bytes(b)): return bytewise(a, b)
        case let (.bool(a), .bool(b)): return a == b ? 0 : (a ? 1 : -1)
        case let (.duration(a), .duration(b)): return sign(a, b)
        case let (.timestamp(a), .timestamp(b)): return sign(a, b)
        default:
            if let order = numericOrder(lhs, rhs) { return order }
            if lhs.isNumber && rhs.isNumber { return nil }
            throw .noSuchOverload
        }
    }

    var isNumber: Bool {
        switch self {
        case .int, .uint, .double: return true
        default: return false
        }
    }
}

extension CELMap {
    /// The JSON members when the map is read straight from JSON, for a fast equality check.
    var jsonMembers: [String: JSONValue]? {
        switch storage {
        case .json(let members, _), .object(let members, _): return members
        case .entries: return nil
        }
    }
}
