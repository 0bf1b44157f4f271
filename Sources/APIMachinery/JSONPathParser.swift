import KubeModel

/// Reads the steps of a JSONPath expression (see `JSONPathExpression`).
struct JSONPathParser {
    private var rest: Substring

    init(_ source: Substring) { rest = source }

    /// What is left unread (empty after a complete expression).
    var remainder: Substring { rest }

    mutating func parseSteps(until terminator: Character? = nil) throws(SchemaError) -> [JSONPathExpression.Step] {
        var steps: [JSONPathExpression.Step] = []
        if rest.first == "$" || rest.first == "@" { rest.removeFirst() }
        while let next = rest.first {
            if let terminator, next == terminator { break }
            if next == " " || next == "=" || next == "!" || next == "<" || next == ">" || next == ")" { break }
            if rest.hasPrefix("..") {
                rest.removeFirst(2)
                let name = readName()
                steps.append(.recursive(name.isEmpty || name == "*" ? nil : name))
            } else if next == "." {
                rest.removeFirst()
                let name = readName()
                if name == "*" {
                    steps.append(.wildcard)
                } else if !name.isEmpty {
                    steps.append(.field(name))
                } else if rest.first != "[" && !rest.isEmpty {
                    throw SchemaError("invalid JSONPath: unexpected \(GoFormatting.quote(String(rest.prefix(1)))) after '.'")
                }
            } else if next == "[" {
                steps.append(try readBracket())
            } else {
                // A bare leading name (`spec.replicas`) reads as a field.
                let name = readName()
                guard !name.isEmpty else {
                    throw SchemaError("invalid JSONPath: unrecognized character \(GoFormatting.quote(String(next)))")
                }
                steps.append(.field(name))
            }
        }
        return steps
    }

    private mutating func readName() -> String {
        var name = ""
        while let c = rest.first, c != ".", c != "[", c != "]", c != " ", c != ")", c != "=", c != "!", c != "<", c != ">", c != "," {
            name.append(c)
            rest.removeFirst()
        }
        return name
    }

    private mutating func readBracket() throws(SchemaError) -> JSONPathExpression.Step {
        rest.removeFirst()  // [
        if rest.hasPrefix("?(") {
            rest.removeFirst(2)
            let filter = try readFilter()
            guard rest.hasPrefix(")]") else { throw SchemaError("invalid JSONPath: unclosed filter in \(GoFormatting.quote(String(rest)))") }
            rest.removeFirst(2)
            return .filter(filter)
        }
        guard let close = rest.firstIndex(of: "]") else { throw SchemaError("invalid JSONPath: unterminated array") }
        let body = String(rest[..<close]).trimmingWhitespace()
        rest = rest[rest.index(after: close)...]
        if body == "*" { return .wildcard }
        if body.first == "'" || body.first == "\"" {
            var names: [String] = []
            for part in body.split(separator: ",") {
                let trimmed = String(part).trimmingWhitespace()
                guard trimmed.count >= 2, let quote = trimmed.first, trimmed.last == quote else {
                    throw SchemaError("invalid JSONPath: bad key \(trimmed)")
                }
                names.append(String(trimmed.dropFirst().dropLast()))
            }
            return .keys(names)
        }
        if body.contains(":") {
            let parts = body.split(separator: ":", omittingEmptySubsequences: false).map { String($0).trimmingWhitespace() }
            guard parts.count <= 3 else { throw SchemaError("invalid JSONPath: bad slice [\(body)]") }
            func bound(_ index: Int) throws(SchemaError) -> Int? {
                guard index < parts.count, !parts[index].isEmpty else { return nil }
                guard let value = Int(parts[index]) else { throw SchemaError("invalid JSONPath: bad slice [\(body)]") }
                return value
            }
            return .slice(start: try bound(0), end: try bound(1), step: try bound(2))
        }
        let indices = body.split(separator: ",").map { Int(String($0).trimmingWhitespace()) }
        guard !indices.isEmpty, indices.allSatisfy({ $0 != nil }) else {
            throw SchemaError("invalid JSONPath: bad array index [\(body)]")
        }
        return indices.count == 1 ? .index(indices[0]!) : .union(indices.map { $0! })
    }

    private mutating func skipSpaces() { while rest.first == " " { rest.removeFirst() } }

    private mutating func readFilter() throws(SchemaError) -> JSONPathFilter {
        skipSpaces()
        let left = try readOperand()
        skipSpaces()
        var op: String?
        for candidate in ["==", "!=", "<=", ">=", "<", ">"] where rest.hasPrefix(candidate) {
            op = candidate
            rest.removeFirst(candidate.count)
            break
        }
        guard let op else { return JSONPathFilter(left: left, op: nil, right: nil) }
        skipSpaces()
        let right = try readOperand()
        skipSpaces()
        return JSONPathFilter(left: left, op: op, right: right)
    }

    private mutating func readOperand() throws(SchemaError) -> JSONPathFilter.Operand {
        guard let first = rest.first else { throw SchemaError("invalid JSONPath: unterminated filter") }
        if first == "@" || first == "$" {
            var nested = JSONPathParser(rest)
            let steps = try nested.parseSteps(until: ")")
            rest = nested.rest
            return .path(steps)
        }
        if first == "'" || first == "\"" {
            rest.removeFirst()
            guard let end = rest.firstIndex(of: first) else { throw SchemaError("invalid JSONPath: unterminated string") }
            let text = String(rest[..<end])
            rest = rest[rest.index(after: end)...]
            return .literal(.string(text))
        }
        var token = ""
        while let c = rest.first, c != " ", c != ")" {
            token.append(c)
            rest.removeFirst()
        }
        if let integer = Int64(token) { return .literal(.int(integer)) }
        if let number = Double(token) { return .literal(.double(number)) }
        if token == "true" || token == "false" { return .literal(.bool(token == "true")) }
        throw SchemaError("invalid JSONPath: unrecognized identifier \(token)")
    }
}
