/// Evaluates a checked expression tree against variable bindings.
struct Interpreter {
    let functions: [String: CELFunction]

    /// Variables in scope, innermost last (comprehension variables shadow `self`), and the
    /// evaluation's shared step budget.
    struct Scope {
        var bindings: [(name: String, value: CELValue)]
        let budget: StepBudget

        func lookup(_ name: String) -> CELValue? {
            for binding in bindings.reversed() where binding.name == name { return binding.value }
            return nil
        }

        func binding(_ name: String, _ value: CELValue) -> Scope {
            var copy = self
            copy.bindings.append((name, value))
            return copy
        }
    }

    func evaluate(_ expr: Expr, _ scope: Scope) throws(CELError) -> CELValue {
        try scope.budget.spend()
        switch expr.kind {
        case .literal(let value):
            return value
        case .identifier(let name):
            if let value = scope.lookup(name) { return value }
            if let type = Checker.typeNames[name] { return .type(type) }
            throw CELError("no such attribute: \(name)")
        case .select(let operandExpr, let field, let testOnly, let optional):
            let operand = try evaluate(operandExpr, scope)
            return try select(operand, field: field, testOnly: testOnly, optional: optional)
        case .call(let function, let target, let arguments):
            return try call(function, target: target, arguments: arguments, scope)
        case .list(let elements, let optional):
            var values: [CELValue] = []
            values.reserveCapacity(elements.count)
            for (index, element) in elements.enumerated() {
                let value = try evaluate(element, scope)
                if optional[index] {
                    guard case .optional(let wrapped) = value else { throw .noSuchOverload }
                    if let wrapped { values.append(wrapped) }
                } else {
                    values.append(value)
                }
            }
            return .list(CELList(values))
        case .map(let entries):
            var built: [(key: CELValue, value: CELValue)] = []
            for entry in entries {
                let key = try evaluate(entry.key, scope)
                switch key {
                case .string, .int, .uint, .bool: break
                default: throw CELError("unsupported key type")
                }
                var value = try evaluate(entry.value, scope)
                if entry.optional {
                    guard case .optional(let wrapped) = value else { throw .noSuchOverload }
                    guard let wrapped else { continue }
                    value = wrapped
                }
                if built.contains(where: { CELValue.equal($0.key, key) }) {
                    throw CELError("Failed with repeated key")
                }
                built.append((key, value))
            }
            return .map(CELMap(entries: built))
        case .comprehension(let comprehension):
            return try evaluate(comprehension, scope)
        }
    }

    private func select(_ operand: CELValue, field: String, testOnly: Bool, optional: Bool) throws(CELError) -> CELValue {
        switch operand {
        case .map(let map):
            let key = CELValue.string(field)
            if testOnly { return .bool(map.contains(key)) }
            if let value = map.value(for: key) { return optional ? .optional(value) : value }
            if optional { return .optional(nil) }
            throw CELError("no such key: \(field)")
        case .optional(let wrapped):
            // `a.?b.c` and `a.?b.?c` keep going through an absent optional.
            guard let wrapped else { return .optional(nil) }
            let inner = try select(wrapped, field: field, testOnly: testOnly, optional: true)
            return inner
        default:
            throw CELError("type '\(operand.typeName)' does not support field selection")
        }
    }

    private func call(_ function: String, target: Expr?, arguments: [Expr], _ scope: Scope) throws(CELError) -> CELValue {
        switch function {
        case "_&&_", "_||_":
            return try logical(function == "_&&_", arguments, scope)
        case "_?_:_":
            guard case .bool(let condition) = try evaluate(arguments[0], scope) else { throw .noSuchOverload }
            return try evaluate(arguments[condition ? 1 : 2], scope)
        default:
            break
        }
        var values: [CELValue] = []
        values.reserveCapacity(arguments.count + 1)
        if let target { values.append(try evaluate(target, scope)) }
        for argument in arguments { values.append(try evaluate(argument, scope)) }
        guard let implementation = functions[function]?.implementation else {
            throw CELError("no such overload")
        }
        return try implementation(values)
    }

    /// `&&` and `||` are commutative: a decisive operand wins even when the other one is an error.
    private func logical(_ isAnd: Bool, _ arguments: [Expr], _ scope: Scope) throws(CELError) -> CELValue {
        var firstError: CELError?
        for argument in arguments {
            do {
                let value = try evaluate(argument, scope)
                guard case .bool(let flag) = value else {
                    if firstError == nil { firstError = .noSuchOverload }
                    continue
                }
                if flag != isAnd { return .bool(flag) }
            } catch {
                if error == .costLimitExceeded { throw error }
                if firstError == nil { firstError = error }
            }
        }
        if let firstError { throw firstError }
        return .bool(isAnd)
    }

    private func evaluate(_ comprehension: Expr.Comprehension, _ scope: Scope) throws(CELError) -> CELValue {
        let range = try evaluate(comprehension.range, scope)
        let count: Int
        let element: (Int) -> CELValue
        switch range {
        case .list(let list):
            count = list.count
            element = { list[$0] }
        case .map(let map):
            let keys = map.keys
            count = keys.count
            element = { keys[$0] }
        default:
            throw .noSuchOverload
        }
        func predicate(_ item: CELValue) throws(CELError) -> Bool {
            guard let expr = comprehension.predicate else { return true }
            guard case .bool(let flag) = try evaluate(expr, scope.binding(comprehension.variable, item)) else {
                throw .noSuchOverload
            }
            return flag
        }
        switch comprehension.macro {
        case .all, .exists:
            // Like `&&`/`||`: a decisive element wins over errors in the others.
            let decisive = comprehension.macro == .exists
            var firstError: CELError?
            for index in 0..<count {
                do {
                    if try predicate(element(index)) == decisive { return .bool(decisive) }
                } catch {
                    if error == .costLimitExceeded { throw error }
                    if firstError == nil { firstError = error }
                }
            }
            if let firstError { throw firstError }
            return .bool(!decisive)
        case .existsOne:
            var matches = 0
            for index in 0..<count where try predicate(element(index)) { matches += 1 }
            return .bool(matches == 1)
        case .filter:
            var kept: [CELValue] = []
            for index in 0..<count {
                let item = element(index)
                if try predicate(item) { kept.append(item) }
            }
            return .list(CELList(kept))
        case .map:
            var mapped: [CELValue] = []
            for index in 0..<count {
                let item = element(index)
                guard try predicate(item), let transform = comprehension.transform else { continue }
                mapped.append(try evaluate(transform, scope.binding(comprehension.variable, item)))
            }
            return .list(CELList(mapped))
        }
    }
}
