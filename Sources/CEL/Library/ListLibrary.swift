/// Kubernetes' lists library: `isSorted`, `sum`, `min`, `max`, `indexOf`, `lastIndexOf`.
enum ListLibrary {
    private static func list(_ value: CELValue) throws(CELError) -> CELList {
        guard case .list(let list) = value else { throw .noSuchOverload }
        return list
    }

    private static let comparable: [CELType] = [.int, .uint, .double, .string, .bytes, .bool, .duration, .timestamp]
    private static let summable: [CELType] = [.int, .uint, .double, .duration]

    private static func extreme(_ name: String, keepsSecond: @escaping @Sendable (Int) -> Bool) -> CELFunction {
        CELFunction(name, comparable.map { .member([.list($0)], $0) }) { (arguments) throws(CELError) -> CELValue in
            let items = try list(arguments[0])
            guard items.count > 0 else { throw CELError("\(name)(list) called on empty list") }
            var best = items[0]
            for index in 1..<items.count {
                let candidate = items[index]
                if let order = try CELValue.order(candidate, best), keepsSecond(order) { best = candidate }
            }
            return best
        }
    }

    static let functions: [CELFunction] = [
        CELFunction("isSorted", comparable.map { .member([.list($0)], .bool) }) { (arguments) throws(CELError) -> CELValue in
            let items = try list(arguments[0])
            guard items.count > 1 else { return .bool(true) }
            for index in 1..<items.count {
                guard let order = try CELValue.order(items[index - 1], items[index]) else { return .bool(false) }
                if order > 0 { return .bool(false) }
            }
            return .bool(true)
        },
        CELFunction("sum", summable.map { .member([.list($0)], $0) }) { (arguments) throws(CELError) -> CELValue in
            let items = try list(arguments[0])
            guard items.count > 0 else { return .int(0) }
            var total = items[0]
            for index in 1..<items.count {
                switch (total, items[index]) {
                case let (.int(a), .int(b)): total = .int(try OperatorLibrary.checked(a.addingReportingOverflow(b)))
                case let (.uint(a), .uint(b)): total = .uint(try OperatorLibrary.checkedUnsigned(a.addingReportingOverflow(b)))
                case let (.double(a), .double(b)): total = .double(a + b)
                case let (.duration(a), .duration(b)): total = .duration(try OperatorLibrary.checked(a.addingReportingOverflow(b)))
                default: throw .noSuchOverload
                }
            }
            return total
        },
        extreme("min") { $0 < 0 },
        extreme("max") { $0 > 0 },
        CELFunction("indexOf", [.member([.list(.a), .a], .int)]) { (arguments) throws(CELError) -> CELValue in
            let items = try list(arguments[0])
            for index in 0..<items.count where CELValue.equal(items[index], arguments[1]) { return .int(Int64(index)) }
            return .int(-1)
        },
        CELFunction("lastIndexOf", [.member([.list(.a), .a], .int)]) { (arguments) throws(CELError) -> CELValue in
            let items = try list(arguments[0])
            for index in (0..<items.count).reversed() where CELValue.equal(items[index], arguments[1]) { return .int(Int64(index)) }
            return .int(-1)
        },
    ]
}
