/// A recursive-descent parser for the CEL grammar (cel-spec langdef.md), with Kubernetes'
/// optional syntax (`a.?b`, `a[?b]`, `[?x]`, `{?k: v}`) and macro expansion.
struct Parser {
    private var tokens: [Token]
    private var index = 0
    private var nextID = 1
    /// Functions written with a qualified name (`ip.isCanonical(x)`, `optional.of(x)`): a call whose
    /// target is one of these names is a global call, not a member call.
    private let qualifiedFunctions: Set<String>

    /// cel-go limits nesting; a bound also keeps deeply nested input from exhausting the stack.
    private static let maxDepth = 250
    private var depth = 0

    /// cel-go's default limit on the length of an expression, in code points.
    static let maxCodePoints = 100_000

    init(_ source: String, qualifiedFunctions: Set<String>) throws(CELSyntaxError) {
        let length = source.unicodeScalars.count
        if length > Self.maxCodePoints {
            throw CELSyntaxError(offset: 0, message: "expression code point size exceeds limit: size: \(length), limit \(Self.maxCodePoints)")
        }
        var lexer = Lexer(source)
        tokens = try lexer.tokens()
        self.qualifiedFunctions = qualifiedFunctions
    }

    static let reserved: Set<String> = [
        "as", "break", "const", "continue", "else", "for", "function", "if", "import", "let", "loop",
        "package", "namespace", "return", "var", "void", "while",
    ]

    mutating func parseExpression() throws(CELSyntaxError) -> Expr {
        let expr = try expression()
        guard case .end = current.kind else {
            throw CELSyntaxError(offset: current.offset, message: "Syntax error: mismatched input '\(describe(current))' expecting <EOF>")
        }
        return expr
    }

    // MARK: - Tokens

    private var current: Token { tokens[index] }

    private func describe(_ token: Token) -> String {
        switch token.kind {
        case .identifier(let name): return name
        case .punctuation(let symbol): return symbol
        case .end: return "<EOF>"
        case .int(let value): return String(value)
        case .intMagnitude(let value): return String(value)
        case .uint(let value): return "\(value)u"
        case .double(let value): return String(value)
        case .string(let value): return "'\(value)'"
        case .bytes: return "b'...'"
        }
    }

    private func isPunctuation(_ symbol: String) -> Bool {
        if case .punctuation(let found) = current.kind { return found == symbol }
        return false
    }

    private mutating func accept(_ symbol: String) -> Bool {
        if isPunctuation(symbol) {
            index += 1
            return true
        }
        return false
    }

    private mutating func expect(_ symbol: String) throws(CELSyntaxError) {
        guard accept(symbol) else {
            throw CELSyntaxError(offset: current.offset, message: "Syntax error: mismatched input '\(describe(current))' expecting '\(symbol)'")
        }
    }

    private mutating func make(_ offset: Int, _ kind: Expr.Kind) throws(CELSyntaxError) -> Expr {
        defer { nextID += 1 }
        let expr = Expr(id: nextID, offset: offset, kind: kind)
        // Long operator chains nest without recursing in the parser; bound them here too.
        if expr.height > Self.maxDepth {
            throw CELSyntaxError(offset: offset, message: "expression recursion limit exceeded: \(Self.maxDepth)")
        }
        return expr
    }

    private mutating func call(_ offset: Int, _ function: String, _ arguments: [Expr]) throws(CELSyntaxError) -> Expr {
        try make(offset, .call(function: function, target: nil, arguments: arguments))
    }

    // MARK: - Grammar

    private mutating func expression() throws(CELSyntaxError) -> Expr {
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maxDepth {
            throw CELSyntaxError(offset: current.offset, message: "expression recursion limit exceeded")
        }
        let condition = try logicalOr()
        guard isPunctuation("?") else { return condition }
        let offset = current.offset
        index += 1
        let whenTrue = try logicalOr()
        try expect(":")
        let whenFalse = try expression()
        return try call(offset, "_?_:_", [condition, whenTrue, whenFalse])
    }

    private mutating func logicalOr() throws(CELSyntaxError) -> Expr {
        var left = try logicalAnd()
        while isPunctuation("||") {
            let offset = current.offset
            index += 1
            left = try call(offset, "_||_", [left, try logicalAnd()])
        }
        return left
    }

    private mutating func logicalAnd() throws(CELSyntaxError) -> Expr {
        var left = try relation()
        while isPunctuation("&&") {
            let offset = current.offset
            index += 1
            left = try call(offset, "_&&_", [left, try relation()])
        }
        return left
    }

    private static let relations: [String: String] = [
        "==": "_==_", "!=": "_!=_", "<": "_<_", "<=": "_<=_", ">": "_>_", ">=": "_>=_",
    ]

    private mutating func relation() throws(CELSyntaxError) -> Expr {
        var left = try addition()
        while true {
            let offset = current.offset
            if case .punctuation(let symbol) = current.kind, let function = Self.relations[symbol] {
                index += 1
                left = try call(offset, function, [left, try addition()])
            } else if case .identifier("in") = current.kind {
                index += 1
                left = try call(offset, "@in", [left, try addition()])
            } else {
                return left
            }
        }
    }

    private mutating func addition() throws(CELSyntaxError) -> Expr {
        var left = try multiplication()
        while true {
            let offset = current.offset
            if accept("+") {
                left = try call(offset, "_+_", [left, try multiplication()])
            } else if accept("-") {
                left = try call(offset, "_-_", [left, try multiplication()])
            } else {
                return left
            }
        }
    }

    private mutating func multiplication() throws(CELSyntaxError) -> Expr {
        var left = try unary()
        while true {
            let offset = current.offset
            if accept("*") {
                left = try call(offset, "_*_", [left, try unary()])
            } else if accept("/") {
                left = try call(offset, "_/_", [left, try unary()])
            } else if accept("%") {
                left = try call(offset, "_%_", [left, try unary()])
            } else {
                return left
            }
        }
    }

    private mutating func unary() throws(CELSyntaxError) -> Expr {
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maxDepth {
            throw CELSyntaxError(offset: current.offset, message: "expression recursion limit exceeded: \(Self.maxDepth)")
        }
        let offset = current.offset
        if accept("!") {
            return try call(offset, "!_", [try unary()])
        }
        if accept("-") {
            // A negated numeric literal is one literal, so the minimum int64 can be written.
            switch current.kind {
            case .int(let value):
                index += 1
                return try member(try make(offset, .literal(.int(-value))))
            case .intMagnitude(let magnitude) where magnitude == UInt64(Int64.max) + 1:
                index += 1
                return try member(try make(offset, .literal(.int(Int64.min))))
            case .double(let value):
                index += 1
                return try member(try make(offset, .literal(.double(-value))))
            default:
                return try call(offset, "-_", [try unary()])
            }
        }
        return try member(try primary())
    }

    private mutating func member(_ start: Expr) throws(CELSyntaxError) -> Expr {
        var operand = start
        while true {
            let offset = current.offset
            if isPunctuation(".") || isPunctuation(".?") {
                let optional = accept(".?")
                if !optional { index += 1 }
                guard case .identifier(let name) = current.kind else {
                    throw CELSyntaxError(offset: current.offset, message: "Syntax error: no viable alternative at input '.\(describe(current))'")
                }
                index += 1
                if !optional && isPunctuation("(") {
                    // cel-go places a call at its opening parenthesis.
                    let open = current.offset
                    index += 1
                    let arguments = try argumentList(closing: ")")
                    operand = try memberCall(open, target: operand, name: name, arguments: arguments)
                } else {
                    operand = try make(offset, .select(operand: operand, field: name, testOnly: false, optional: optional))
                }
            } else if accept("[?") {
                let key = try expression()
                try expect("]")
                operand = try call(offset, "_[?_]", [operand, key])
            } else if accept("[") {
                let key = try expression()
                try expect("]")
                operand = try call(offset, "_[_]", [operand, key])
            } else {
                return operand
            }
        }
    }

    private mutating func argumentList(closing: String) throws(CELSyntaxError) -> [Expr] {
        var arguments: [Expr] = []
        if accept(closing) { return arguments }
        repeat {
            arguments.append(try expression())
        } while accept(",")
        try expect(closing)
        return arguments
    }

    private mutating func primary() throws(CELSyntaxError) -> Expr {
        let token = current
        let offset = token.offset
        switch token.kind {
        case .int(let value):
            index += 1
            return try make(offset, .literal(.int(value)))
        case .intMagnitude:
            throw CELSyntaxError(offset: offset, message: "invalid int literal")
        case .uint(let value):
            index += 1
            return try make(offset, .literal(.uint(value)))
        case .double(let value):
            index += 1
            return try make(offset, .literal(.double(value)))
        case .string(let value):
            index += 1
            return try make(offset, .literal(.string(value)))
        case .bytes(let value):
            index += 1
            return try make(offset, .literal(.bytes(value)))
        case .identifier(let name):
            index += 1
            switch name {
            case "true": return try make(offset, .literal(.bool(true)))
            case "false": return try make(offset, .literal(.bool(false)))
            case "null": return try make(offset, .literal(.null))
            case "in": throw CELSyntaxError(offset: offset, message: "Syntax error: mismatched input 'in'")
            default: break
            }
            if Self.reserved.contains(name) {
                throw CELSyntaxError(offset: offset, message: "reserved identifier: \(name)")
            }
            if isPunctuation("(") {
                let open = current.offset
                index += 1
                let arguments = try argumentList(closing: ")")
                return try globalCall(open, name: name, arguments: arguments)
            }
            return try make(offset, .identifier(name))
        case .punctuation("."):
            // A leading dot names the root scope; there are no packages here, so it is the plain name.
            index += 1
            guard case .identifier = current.kind else {
                throw CELSyntaxError(offset: current.offset, message: "Syntax error: no viable alternative at input '.\(describe(current))'")
            }
            return try primary()
        case .punctuation("("):
            index += 1
            let inner = try expression()
            try expect(")")
            return inner
        case .punctuation("["), .punctuation("[?"):
            // The lexer reads `[?` as one token; at the start of a list it opens the list and marks
            // its first element optional.
            var pendingOptional = isPunctuation("[?")
            index += 1
            var elements: [Expr] = []
            var optional: [Bool] = []
            while !isPunctuation("]") {
                optional.append(accept("?") || pendingOptional)
                pendingOptional = false
                elements.append(try expression())
                if !accept(",") { break }
            }
            try expect("]")
            return try make(offset, .list(elements: elements, optional: optional))
        case .punctuation("{"):
            index += 1
            var entries: [Expr.MapEntry] = []
            while !isPunctuation("}") {
                let isOptional = accept("?")
                let key = try expression()
                try expect(":")
                let value = try expression()
                entries.append(Expr.MapEntry(key: key, value: value, optional: isOptional))
                if !accept(",") { break }
            }
            try expect("}")
            return try make(offset, .map(entries: entries))
        default:
            throw CELSyntaxError(offset: offset, message: "Syntax error: mismatched input '\(describe(token))' expecting {'[', '{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}")
        }
    }

    // MARK: - Macros

    private mutating func globalCall(_ offset: Int, name: String, arguments: [Expr]) throws(CELSyntaxError) -> Expr {
        if name == "has" && arguments.count == 1 {
            guard case .select(let operand, let field, false, false) = arguments[0].kind else {
                throw CELSyntaxError(offset: arguments[0].offset, message: "invalid argument to has() macro")
            }
            return try make(offset, .select(operand: operand, field: field, testOnly: true, optional: false))
        }
        return try call(offset, name, arguments)
    }

    /// The dotted name an operand spells (`ip`, `optional`), if it is only identifiers and selects.
    private func qualifiedName(_ expr: Expr) -> String? {
        switch expr.kind {
        case .identifier(let name): return name
        case .select(let operand, let field, false, false): return qualifiedName(operand).map { "\($0).\(field)" }
        default: return nil
        }
    }

    private mutating func memberCall(_ offset: Int, target: Expr, name: String, arguments: [Expr]) throws(CELSyntaxError) -> Expr {
        if let qualifier = qualifiedName(target), qualifiedFunctions.contains("\(qualifier).\(name)") {
            return try call(offset, "\(qualifier).\(name)", arguments)
        }
        let macro: Expr.Comprehension.Macro?
        switch (name, arguments.count) {
        case ("all", 2): macro = .all
        case ("exists", 2): macro = .exists
        case ("exists_one", 2), ("existsOne", 2): macro = .existsOne
        case ("map", 2), ("map", 3): macro = .map
        case ("filter", 2): macro = .filter
        default: macro = nil
        }
        guard let macro else {
            return try make(offset, .call(function: name, target: target, arguments: arguments))
        }
        guard case .identifier(let variable) = arguments[0].kind else {
            throw CELSyntaxError(offset: arguments[0].offset, message: "argument must be a simple name")
        }
        let comprehension: Expr.Comprehension
        switch macro {
        case .map where arguments.count == 3:
            comprehension = .init(macro: .map, variable: variable, range: target, predicate: arguments[1], transform: arguments[2])
        case .map:
            comprehension = .init(macro: .map, variable: variable, range: target, predicate: nil, transform: arguments[1])
        default:
            comprehension = .init(macro: macro, variable: variable, range: target, predicate: arguments[1], transform: nil)
        }
        return try make(offset, .comprehension(comprehension))
    }
}
