/// cel-go's sets extension, which Kubernetes enables: `sets.contains`, `sets.equivalent`,
/// `sets.intersects` over lists.
enum SetLibrary {
    private static func lists(_ arguments: [CELValue]) throws(CELError) -> (CELList, CELList) {
        guard case .list(let first) = arguments[0], case .list(let second) = arguments[1] else { throw .noSuchOverload }
        return (first, second)
    }

    private static func contains(_ list: CELList, _ value: CELValue) -> Bool {
        for index in 0..<list.count where CELValue.equal(list[index], value) { return true }
        return false
    }

    static let functions: [CELFunction] = [
        CELFunction("sets.contains", [.global([.list(.a), .list(.a)], .bool)]) { (arguments) throws(CELError) -> CELValue in
            let (whole, part) = try lists(arguments)
            return .bool(part.elements.allSatisfy { contains(whole, $0) })
        },
        CELFunction("sets.equivalent", [.global([.list(.a), .list(.a)], .bool)]) { (arguments) throws(CELError) -> CELValue in
            let (first, second) = try lists(arguments)
            return .bool(first.elements.allSatisfy { contains(second, $0) } && second.elements.allSatisfy { contains(first, $0) })
        },
        CELFunction("sets.intersects", [.global([.list(.a), .list(.a)], .bool)]) { (arguments) throws(CELError) -> CELValue in
            let (first, second) = try lists(arguments)
            return .bool(first.elements.contains { contains(second, $0) })
        },
    ]
}
