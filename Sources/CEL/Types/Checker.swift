/// Infers the type of every node from the declared variables and the function signatures, and
/// reports what cel-go's checker reports: undeclared names, undefined fields, calls no overload
/// accepts. `dyn` matches anything, so values typed `dyn` (int-or-string, preserved unknown
/// fields) are checked at run time instead.
struct Checker {
    let variables: [String: CELType]
    let functions: [String: CELFunction]
    private(set) var issues: [CELCompileError.Issue] = []

    init(variables: [String: CELType], functions: [String: CELFunction]) {
        self.variables = variables
        self.functions = functions
    }

    private mutating func report(_ expr: Expr, _ message: String) -> CELType {
        issues.append(.init(offset: expr.offset, message: message))
        return .dyn
    }

    mutating func check(_ expr: Expr, locals: [String: CELType] = [:]) -> CELType {
        switch expr.kind {
        case .literal(let value):
            return Self.literalType(value)
        case .identifier(let name):
            if let type = locals[name] ?? variables[name] { return type }
            if let type = Self.typeNames[name] { return .type(type) }
            return report(expr, "undeclared reference to '\(name)' (in container '')")
        case .select(let operandExpr, let field, let testOnly, let optional):
            let operand = check(operandExpr, locals: locals)
            var fieldType: CELType
            var wrapped = operand
            var throughOptional = false
            if case .optional(let inner) = operand {
                wrapped = inner
                throughOptional = true
            }
            switch wrapped {
            case .object(let object):
                guard let type = object.fields[field] else { return report(expr, "undefined field '\(field)'") }
                fieldType = type
            case .map(let key, let value):
                if key != .string && key != .dyn {
                    return report(expr, "type '\(operand)' does not support field selection")
                }
                fieldType = value
            case .dyn, .parameter:
                fieldType = .dyn
            default:
                return report(expr, "type '\(operand)' does not support field selection")
            }
            if testOnly { return .bool }
            if optional || throughOptional { fieldType = .optional(fieldType) }
            return fieldType
        case .call(let function, let target, let arguments):
            var types: [CELType] = []
            if let target { types.append(check(target, locals: locals)) }
            for argument in arguments { types.append(check(argument, locals: locals)) }
            validateLiteralArgument(function, target: target, arguments)
            return resolve(expr, function: function, member: target != nil, types)
        case .list(let elements, let optional):
            var elementTypes: [CELType] = []
            for (index, element) in elements.enumerated() {
                var type = check(element, locals: locals)
                if optional[index] {
                    if case .optional(let inner) = type { type = inner } else if type != .dyn {
                        _ = report(element, "expected type 'optional_type' but found '\(type)'")
                    }
                }
                elementTypes.append(type)
            }
            // Kubernetes enables homogeneous aggregate literals: elements must share one type.
            if let mismatch = homogeneityIssue(elementTypes, elements) { return mismatch }
            return .list(Self.join(elementTypes))
        case .map(let entries):
            var keys: [CELType] = []
            var values: [CELType] = []
            for entry in entries {
                keys.append(check(entry.key, locals: locals))
                var value = check(entry.value, locals: locals)
                if entry.optional, case .optional(let inner) = value { value = inner }
                values.append(value)
            }
            if let mismatch = homogeneityIssue(keys, entries.map(\.key)) { return mismatch }
            if let mismatch = homogeneityIssue(values, entries.map(\.value)) { return mismatch }
            return .map(Self.join(keys), Self.join(values))
        case .comprehension(let comprehension):
            let range = check(comprehension.range, locals: locals)
            let variableType: CELType
            switch range {
            case .list(let element): variableType = element
            case .map(let key, _): variableType = key
            case .dyn: variableType = .dyn
            default:
                return report(comprehension.range, "expression of type '\(range)' cannot be the range of a comprehension (must be list, map, or dynamic)")
            }
            var inner = locals
            inner[comprehension.variable] = variableType
            if let predicate = comprehension.predicate {
                let type = check(predicate, locals: inner)
                if type != .bool && type != .dyn {
                    _ = report(predicate, "expected type 'bool' but found '\(type)'")
                }
            }
            switch comprehension.macro {
            case .all, .exists, .existsOne: return .bool
            case .filter: return .list(variableType)
            case .map: return .list(comprehension.transform.map { check($0, locals: inner) } ?? .dyn)
            }
        }
    }

    /// Type names usable as values (`type(x) == string`).
    static let typeNames: [String: CELType] = [
        "int": .int, "uint": .uint, "double": .double, "string": .string, "bool": .bool, "bytes": .bytes,
        "null_type": .null, "list": .list(.dyn), "map": .map(.dyn, .dyn), "type": .type(.dyn),
        "google.protobuf.Duration": .duration, "google.protobuf.Timestamp": .timestamp,
    ]

    /// Literals are scalars, whose type is their runtime type.
    static func literalType(_ value: CELValue) -> CELType { ConversionLibrary.runtimeType(value) }

    /// Kubernetes turns on cel-go's literal validators: a constant duration, timestamp or regular
    /// expression that cannot be read is a compile error, not a failure on every request.
    private mutating func validateLiteralArgument(_ function: String, target: Expr?, _ arguments: [Expr]) {
        let literalIndex: Int
        switch (function, target == nil) {
        case ("duration", true), ("timestamp", true): literalIndex = 0
        case ("matches", true): literalIndex = 1
        case ("matches", false), ("find", false), ("findAll", false): literalIndex = 0
        default: return
        }
        guard literalIndex < arguments.count, case .literal(.string(let text)) = arguments[literalIndex].kind else { return }
        let valid: Bool
        switch function {
        case "duration": valid = TimeSyntax.duration(text) != nil
        case "timestamp": valid = TimeSyntax.timestamp(text) != nil
        default: valid = (try? RegexLibrary.pattern(text)) != nil
        }
        if !valid { _ = report(arguments[literalIndex], "invalid \(function) argument") }
    }

    /// cel-go's homogeneous-literal check: every element (other than `dyn` ones) has the first's type.
    private mutating func homogeneityIssue(_ types: [CELType], _ exprs: [Expr]) -> CELType? {
        guard let first = types.first(where: { $0 != .dyn }) else { return nil }
        for (type, expr) in zip(types, exprs) where type != .dyn && type != first {
            var bindings: [String: CELType] = [:]
            if Self.assignable(first, type, &bindings) { continue }
            return report(expr, "expected type '\(first)' but found '\(type)'")
        }
        return nil
    }

    /// The common type of list elements or map keys: one type if they agree, else `dyn`.
    static func join(_ types: [CELType]) -> CELType {
        guard let first = types.first else { return .dyn }
        return types.allSatisfy({ $0 == first }) ? first : .dyn
    }

    private mutating func resolve(_ expr: Expr, function: String, member: Bool, _ arguments: [CELType]) -> CELType {
        guard let candidates = functions[function]?.overloads.filter({ $0.member == member }), !candidates.isEmpty else {
            return report(expr, "undeclared reference to '\(function)' (in container '')")
        }
        var results: [CELType] = []
        for overload in candidates where overload.parameters.count == arguments.count {
            var bindings: [String: CELType] = [:]
            if zip(overload.parameters, arguments).allSatisfy({ Self.assignable($0.0, $0.1, &bindings) }) {
                results.append(Self.substitute(overload.result, bindings))
            }
        }
        guard !results.isEmpty else {
            let rendered: String
            if member {
                rendered = "\(arguments[0]).(\(arguments.dropFirst().map(\.description).joined(separator: ", ")))"
            } else {
                rendered = "(\(arguments.map(\.description).joined(separator: ", ")))"
            }
            return report(expr, "found no matching overload for '\(function)' applied to '\(rendered)'")
        }
        return Self.join(results)
    }

    /// Whether an argument of type `argument` can be passed for `parameter`, binding type parameters.
    static func assignable(_ parameter: CELType, _ argument: CELType, _ bindings: inout [String: CELType]) -> Bool {
        switch (parameter, argument) {
        case (.parameter(let name), _):
            if let bound = bindings[name] {
                if bound == .dyn || argument == .dyn { return true }
                if assignable(bound, argument, &bindings) { return true }
                // `null` joins a type parameter bound to a nullable kind (`x == null`).
                if argument == .null || bound == .null {
                    bindings[name] = .dyn
                    return true
                }
                return false
            }
            bindings[name] = argument
            return true
        case (.dyn, _), (_, .dyn): return true
        case (.list(let p), .list(let a)): return assignable(p, a, &bindings)
        case (.map(let pk, let pv), .map(let ak, let av)): return assignable(pk, ak, &bindings) && assignable(pv, av, &bindings)
        case (.optional(let p), .optional(let a)): return assignable(p, a, &bindings)
        case (.type(let p), .type(let a)): return assignable(p, a, &bindings)
        default: return parameter == argument
        }
    }

    static func substitute(_ type: CELType, _ bindings: [String: CELType]) -> CELType {
        switch type {
        case .parameter(let name): return bindings[name] ?? .dyn
        case .list(let element): return .list(substitute(element, bindings))
        case .map(let key, let value): return .map(substitute(key, bindings), substitute(value, bindings))
        case .optional(let wrapped): return .optional(substitute(wrapped, bindings))
        case .type(let wrapped): return .type(substitute(wrapped, bindings))
        default: return type
        }
    }
}
