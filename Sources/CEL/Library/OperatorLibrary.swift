/// Arithmetic, comparison, membership and indexing, with CEL's errors: integer overflow is an
/// error, not wrap-around; int, uint and double never mix in arithmetic.
enum OperatorLibrary {
    private static let numeric: [CELType] = [.int, .uint, .double]
    private static let ordered: [CELType] = [.int, .uint, .double, .string, .bytes, .bool, .duration, .timestamp]

    private static func comparisonOverloads() -> [Overload] {
        var overloads = ordered.map { Overload.global([$0, $0], .bool) }
        // Kubernetes enables cel-go's cross-type numeric comparisons.
        for left in numeric {
            for right in numeric where left != right { overloads.append(.global([left, right], .bool)) }
        }
        return overloads
    }

    private static func comparison(_ name: String, _ test: @escaping @Sendable (Int) -> Bool) -> CELFunction {
        CELFunction(name, comparisonOverloads()) { (arguments) throws(CELError) -> CELValue in
            guard let order = try CELValue.order(arguments[0], arguments[1]) else { return .bool(false) }
            return .bool(test(order))
        }
    }

    static let functions: [CELFunction] = [
        CELFunction("_==_", [.global([.a, .a], .bool)]) { arguments in .bool(CELValue.equal(arguments[0], arguments[1])) },
        CELFunction("_!=_", [.global([.a, .a], .bool)]) { arguments in .bool(!CELValue.equal(arguments[0], arguments[1])) },
        comparison("_<_") { $0 < 0 },
        comparison("_<=_") { $0 <= 0 },
        comparison("_>_") { $0 > 0 },
        comparison("_>=_") { $0 >= 0 },
        // `&&`, `||` and `?:` are evaluated lazily by the interpreter; these entries only give the checker their signatures.
        CELFunction("_&&_", [.global([.bool, .bool], .bool)]) { _ throws(CELError) in throw .noSuchOverload },
        CELFunction("_||_", [.global([.bool, .bool], .bool)]) { _ throws(CELError) in throw .noSuchOverload },
        CELFunction("_?_:_", [.global([.bool, .a, .a], .a)]) { _ throws(CELError) in throw .noSuchOverload },
        CELFunction("!_", [.global([.bool], .bool)]) { (arguments) throws(CELError) -> CELValue in
            guard case .bool(let flag) = arguments[0] else { throw .noSuchOverload }
            return .bool(!flag)
        },
        CELFunction("-_", [.global([.int], .int), .global([.double], .double), .global([.duration], .duration)]) { (arguments) throws(CELError) -> CELValue in
            switch arguments[0] {
            case .int(let value):
                guard value != .min else { throw .integerOverflow }
                return .int(-value)
            case .double(let value): return .double(-value)
            case .duration(let value):
                guard value != .min else { throw .integerOverflow }
                return .duration(-value)
            default: throw .noSuchOverload
            }
        },
        CELFunction("_+_", numeric.map { .global([$0, $0], $0) } + [
            .global([.string, .string], .string), .global([.bytes, .bytes], .bytes), .global([.list(.a), .list(.a)], .list(.a)),
            .global([.timestamp, .duration], .timestamp), .global([.duration, .timestamp], .timestamp),
            .global([.duration, .duration], .duration),
        ]) { (arguments) throws(CELError) -> CELValue in
            switch (arguments[0], arguments[1]) {
            case let (.int(a), .int(b)): return .int(try checked(a.addingReportingOverflow(b)))
            case let (.uint(a), .uint(b)): return .uint(try checkedUnsigned(a.addingReportingOverflow(b)))
            case let (.double(a), .double(b)): return .double(a + b)
            case let (.string(a), .string(b)): return .string(a + b)
            case let (.bytes(a), .bytes(b)): return .bytes(a + b)
            case let (.list(a), .list(b)): return .list(CELList(a.elements + b.elements))
            case let (.duration(a), .duration(b)): return .duration(try checked(a.addingReportingOverflow(b)))
            case let (.timestamp(t), .duration(d)), let (.duration(d), .timestamp(t)): return .timestamp(try TimeLibrary.add(t, d))
            default: throw .noSuchOverload
            }
        },
        CELFunction("_-_", numeric.map { .global([$0, $0], $0) } + [
            .global([.timestamp, .timestamp], .duration), .global([.timestamp, .duration], .timestamp),
            .global([.duration, .duration], .duration),
        ]) { (arguments) throws(CELError) -> CELValue in
            switch (arguments[0], arguments[1]) {
            case let (.int(a), .int(b)): return .int(try checked(a.subtractingReportingOverflow(b)))
            case let (.uint(a), .uint(b)): return .uint(try checkedUnsigned(a.subtractingReportingOverflow(b)))
            case let (.double(a), .double(b)): return .double(a - b)
            case let (.duration(a), .duration(b)): return .duration(try checked(a.subtractingReportingOverflow(b)))
            case let (.timestamp(t), .duration(d)):
                guard d != .min else { throw .integerOverflow }
                return .timestamp(try TimeLibrary.add(t, -d))
            case let (.timestamp(a), .timestamp(b)): return .duration(try TimeLibrary.difference(a, b))
            default: throw .noSuchOverload
            }
        },
        CELFunction("_*_", numeric.map { .global([$0, $0], $0) }) { (arguments) throws(CELError) -> CELValue in
            switch (arguments[0], arguments[1]) {
            case let (.int(a), .int(b)): return .int(try checked(a.multipliedReportingOverflow(by: b)))
            case let (.uint(a), .uint(b)): return .uint(try checkedUnsigned(a.multipliedReportingOverflow(by: b)))
            case let (.double(a), .double(b)): return .double(a * b)
            default: throw .noSuchOverload
            }
        },
        CELFunction("_/_", numeric.map { .global([$0, $0], $0) }) { (arguments) throws(CELError) -> CELValue in
            switch (arguments[0], arguments[1]) {
            case let (.int(a), .int(b)):
                guard b != 0 else { throw .divisionByZero }
                return .int(try checked(a.dividedReportingOverflow(by: b)))
            case let (.uint(a), .uint(b)):
                guard b != 0 else { throw .divisionByZero }
                return .uint(a / b)
            case let (.double(a), .double(b)): return .double(a / b)
            default: throw .noSuchOverload
            }
        },
        CELFunction("_%_", [.global([.int, .int], .int), .global([.uint, .uint], .uint)]) { (arguments) throws(CELError) -> CELValue in
            switch (arguments[0], arguments[1]) {
            case let (.int(a), .int(b)):
                guard b != 0 else { throw .moduloByZero }
                return .int(try checked(a.remainderReportingOverflow(dividingBy: b)))
            case let (.uint(a), .uint(b)):
                guard b != 0 else { throw .moduloByZero }
                return .uint(a % b)
            default: throw .noSuchOverload
            }
        },
        CELFunction("@in", [.global([.a, .list(.a)], .bool), .global([.a, .map(.a, .b)], .bool)]) { (arguments) throws(CELError) -> CELValue in
            switch arguments[1] {
            case .list(let list):
                for index in 0..<list.count where CELValue.equal(list[index], arguments[0]) { return .bool(true) }
                return .bool(false)
            case .map(let map): return .bool(map.contains(arguments[0]))
            default: throw .noSuchOverload
            }
        },
        CELFunction("_[_]", [.global([.list(.a), .int], .a), .global([.map(.a, .b), .a], .b)]) { (arguments) throws(CELError) -> CELValue in
            switch arguments[0] {
            case .list(let list):
                let index = try listIndex(arguments[1])
                guard index >= 0 && index < Int64(list.count) else {
                    throw CELError("index '\(index)' out of range in list size '\(list.count)'")
                }
                return list[Int(index)]
            case .map(let map):
                guard let value = map.value(for: arguments[1]) else { throw CELError("no such key: \(keyText(arguments[1]))") }
                return value
            default: throw .noSuchOverload
            }
        },
        CELFunction("_[?_]", [
            .global([.list(.a), .int], .optional(.a)), .global([.map(.a, .b), .a], .optional(.b)),
            .global([.optional(.list(.a)), .int], .optional(.a)), .global([.optional(.map(.a, .b)), .a], .optional(.b)),
        ]) { (arguments) throws(CELError) -> CELValue in
            try optionalIndex(arguments[0], arguments[1])
        },
        CELFunction("size", Overload.both([.string], .int) + Overload.both([.bytes], .int)
            + Overload.both([.list(.a)], .int) + Overload.both([.map(.a, .b)], .int)) { (arguments) throws(CELError) -> CELValue in
            switch arguments[0] {
            case .string(let text): return .int(Int64(text.unicodeScalars.count))
            case .bytes(let bytes): return .int(Int64(bytes.count))
            case .list(let list): return .int(Int64(list.count))
            case .map(let map): return .int(Int64(map.count))
            default: throw .noSuchOverload
            }
        },
    ]

    /// `a[?k]`: an optional of the element, none when absent; an absent optional stays absent.
    private static func optionalIndex(_ container: CELValue, _ key: CELValue) throws(CELError) -> CELValue {
        switch container {
        case .list(let list):
            let index = try listIndex(key)
            guard index >= 0 && index < Int64(list.count) else { return .optional(nil) }
            return .optional(list[Int(index)])
        case .map(let map): return .optional(map.value(for: key))
        case .optional(let wrapped):
            guard let wrapped else { return .optional(nil) }
            return try optionalIndex(wrapped, key)
        default: throw .noSuchOverload
        }
    }

    static func checked(_ result: (partialValue: Int64, overflow: Bool)) throws(CELError) -> Int64 {
        if result.overflow { throw .integerOverflow }
        return result.partialValue
    }

    static func checkedUnsigned(_ result: (partialValue: UInt64, overflow: Bool)) throws(CELError) -> UInt64 {
        if result.overflow { throw .unsignedOverflow }
        return result.partialValue
    }

    /// List indexes may be ints, uints or integral doubles at run time.
    private static func listIndex(_ value: CELValue) throws(CELError) -> Int64 {
        switch value {
        case .int(let index): return index
        case .uint(let index): return index > UInt64(Int64.max) ? .max : Int64(index)
        case .double(let index) where index.rounded() == index && abs(index) < 9e18: return Int64(index)
        case .double(let index): throw CELError("unsupported index value \(index) in list")
        default: throw .noSuchOverload
        }
    }

    static func keyText(_ key: CELValue) -> String {
        switch key {
        case .string(let text): return text
        case .int(let value): return String(value)
        case .uint(let value): return String(value)
        case .bool(let value): return String(value)
        case .double(let value): return String(value)
        default: return key.typeName
        }
    }
}
