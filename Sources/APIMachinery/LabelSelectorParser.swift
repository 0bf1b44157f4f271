/// Tokens of label selector text, split the way Kubernetes' selector lexer splits them.
enum LabelSelectorToken: Equatable {
    case error(String)
    case end
    case closeParen, comma, bang, doubleEquals, equals, greaterThan, lessThan, notEquals
    case `in`, notIn, openParen
    case identifier(String)

    var literal: String {
        switch self {
        case .error(let text), .identifier(let text): return text
        case .end: return ""
        case .closeParen: return ")"
        case .comma: return ","
        case .bang: return "!"
        case .doubleEquals: return "=="
        case .equals: return "="
        case .greaterThan: return ">"
        case .lessThan: return "<"
        case .notEquals: return "!="
        case .in: return "in"
        case .notIn: return "notin"
        case .openParen: return "("
        }
    }

    /// In value position the keywords `in` and `notin` are plain identifiers.
    var asValue: LabelSelectorToken {
        switch self {
        case .in, .notIn: return .identifier(literal)
        default: return self
        }
    }
}

enum LabelSelectorLexer {
    private static let symbols: [String: LabelSelectorToken] = [
        ")": .closeParen, ",": .comma, "!": .bang, "==": .doubleEquals, "=": .equals, ">": .greaterThan,
        "<": .lessThan, "!=": .notEquals, "(": .openParen,
    ]

    private static func isSpecial(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "="), UInt8(ascii: "!"), UInt8(ascii: "("), UInt8(ascii: ")"),
             UInt8(ascii: ","), UInt8(ascii: ">"), UInt8(ascii: "<"): return true
        default: return false
        }
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n")
    }

    static func tokens(of text: String) -> [LabelSelectorToken] {
        let bytes = Array(text.utf8)
        var position = 0
        var tokens: [LabelSelectorToken] = []
        while true {
            while position < bytes.count, isWhitespace(bytes[position]) { position += 1 }
            guard position < bytes.count else { tokens.append(.end); return tokens }
            if isSpecial(bytes[position]) {
                // The longest run of symbol characters that still forms a known symbol.
                var buffer: [UInt8] = []
                var last: (token: LabelSelectorToken, end: Int)?
                var cursor = position
                while cursor < bytes.count, isSpecial(bytes[cursor]) {
                    buffer.append(bytes[cursor])
                    cursor += 1
                    if let token = symbols[String(decoding: buffer, as: UTF8.self)] {
                        last = (token, cursor)
                    } else if last != nil {
                        break
                    }
                }
                guard let last else {
                    tokens.append(.error("error expected: keyword found '\(String(decoding: buffer, as: UTF8.self))'"))
                    position = cursor
                    continue
                }
                tokens.append(last.token)
                position = last.end
            } else {
                let start = position
                while position < bytes.count, !isSpecial(bytes[position]), !isWhitespace(bytes[position]) { position += 1 }
                let word = String(decoding: bytes[start..<position], as: UTF8.self)
                switch word {
                case "in": tokens.append(.in)
                case "notin": tokens.append(.notIn)
                default: tokens.append(.identifier(word))
                }
            }
        }
    }
}

/// A recursive-descent parser over the tokens, with Kubernetes' error messages.
struct LabelSelectorParser {
    let tokens: [LabelSelectorToken]
    var position = 0

    init(tokens: [LabelSelectorToken]) { self.tokens = tokens }

    private func peek() -> LabelSelectorToken { tokens[min(position, tokens.count - 1)].asValue }
    private mutating func next(asValue: Bool = true) -> LabelSelectorToken {
        let token = tokens[min(position, tokens.count - 1)]
        position += 1
        return asValue ? token.asValue : token
    }

    mutating func parse() throws(SelectorError) -> [LabelSelector.Requirement] {
        var requirements: [LabelSelector.Requirement] = []
        while true {
            switch peek() {
            case .identifier, .bang:
                do {
                    requirements.append(try parseRequirement())
                } catch {
                    throw SelectorError("unable to parse requirement: \(error.message)")
                }
                let after = next()
                switch after {
                case .end: return requirements
                case .comma:
                    switch peek() {
                    case .identifier, .bang: break
                    default: throw SelectorError("found '\(peek().literal)', expected: identifier after ','")
                    }
                default:
                    throw SelectorError("found '\(after.literal)', expected: ',' or 'end of string'")
                }
            case .end:
                return requirements
            default:
                throw SelectorError("found '\(peek().literal)', expected: !, identifier, or 'end of string'")
            }
        }
    }

    private mutating func parseRequirement() throws(SelectorError) -> LabelSelector.Requirement {
        var token = next()
        var negated = false
        if token == .bang {
            negated = true
            token = next()
        }
        guard case .identifier(let key) = token else {
            throw SelectorError("found '\(token.literal)', expected: identifier")
        }
        let keyErrors = NameValidation.qualifiedName(key)
        if !keyErrors.isEmpty {
            throw SelectorError(FieldError.invalid("<nil>", .string(key), keyErrors.joined(separator: "; ")).message)
        }
        if negated || peek() == .end || peek() == .comma {
            return try LabelSelector.Requirement(key: key, op: negated ? .doesNotExist : .exists, values: [])
        }
        let opToken = next(asValue: false)
        let op: LabelSelector.Operator
        switch opToken {
        case .in: op = .in
        case .notIn: op = .notIn
        case .equals: op = .equals
        case .doubleEquals: op = .doubleEquals
        case .notEquals: op = .notEquals
        case .greaterThan: op = .greaterThan
        case .lessThan: op = .lessThan
        default:
            throw SelectorError("found '\(opToken.literal)', expected: in, notin, =, ==, !=, gt, lt")
        }
        let values: Set<String>
        switch op {
        case .in, .notIn: values = try parseValueList()
        default: values = try parseExactValue()
        }
        return try LabelSelector.Requirement(key: key, op: op, values: values.sorted())
    }

    private mutating func parseValueList() throws(SelectorError) -> Set<String> {
        let open = next()
        guard open == .openParen else { throw SelectorError("found '\(open.literal)' expected: '('") }
        let first = peek()
        switch first {
        case .identifier, .comma:
            let values = try parseIdentifierList()
            if next() != .closeParen { throw SelectorError("found '\(first.literal)', expected: ')'") }
            return values
        case .closeParen:
            _ = next()
            return [""]
        default:
            throw SelectorError("found '\(first.literal)', expected: ',', ')' or identifier")
        }
    }

    private mutating func parseIdentifierList() throws(SelectorError) -> Set<String> {
        var values = Set<String>()
        while true {
            let token = next()
            switch token {
            case .identifier(let value):
                values.insert(value)
                let following = peek()
                switch following {
                case .comma: continue
                case .closeParen: return values
                default: throw SelectorError("found '\(following.literal)', expected: ',' or ')'")
                }
            case .comma:
                // Empty entries (`(,a)`, `(a,)`, `(a,,b)`) stand for the empty value.
                if values.isEmpty { values.insert("") }
                let following = peek()
                if following == .closeParen { values.insert(""); return values }
                if following == .comma { values.insert("") }
            default:
                throw SelectorError("found '\(token.literal)', expected: ',', or identifier")
            }
        }
    }

    private mutating func parseExactValue() throws(SelectorError) -> Set<String> {
        if peek() == .end || peek() == .comma { return [""] }
        let token = next()
        if case .identifier(let value) = token { return [value] }
        throw SelectorError("found '\(token.literal)', expected: identifier")
    }
}
