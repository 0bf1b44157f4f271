import KubeModel

/// A JSONPath as `kubectl` and additionalPrinterColumns use it: `.spec.replicas`,
/// `.status.conditions[?(@.type=="Ready")].status`, `.metadata.labels.app`,
/// `.spec.items[*].name`, `.spec.items[0]`, `[-1]`, `[0:2]`, `[0,2]`, `['a.b']`, `..name`,
/// with or without the surrounding `{}`. Missing keys yield no result rather than an error,
/// as the API server evaluates printer columns.
public struct JSONPathExpression: Sendable {
    enum Step: Sendable, Equatable {
        case field(String)
        case wildcard
        case recursive(String?)
        case index(Int)
        case slice(start: Int?, end: Int?, step: Int?)
        case union([Int])
        case keys([String])
        case filter(JSONPathFilter)
    }

    let steps: [Step]
    public let text: String

    public init(_ text: String) throws(SchemaError) {
        self.text = text
        var source = Substring(text.trimmingWhitespace())
        if source.hasPrefix("{") {
            guard source.hasSuffix("}") else { throw SchemaError("unclosed action") }
            source = source.dropFirst().dropLast()
        }
        var parser = JSONPathParser(source)
        steps = try parser.parseSteps()
        guard parser.remainder.isEmpty else {
            throw SchemaError("invalid JSONPath \(GoFormatting.quote(text)): unexpected \(GoFormatting.quote(String(parser.remainder)))")
        }
    }

    /// Every value the path selects, in document order (object members sorted by key).
    public func evaluate(_ object: JSONValue) -> [JSONValue] {
        JSONPathExpression.evaluate(steps[...], on: [object])
    }

    static func evaluate(_ steps: ArraySlice<Step>, on values: [JSONValue]) -> [JSONValue] {
        var current = values
        for step in steps {
            current = current.flatMap { apply(step, to: $0) }
        }
        return current
    }

    private static func apply(_ step: Step, to value: JSONValue) -> [JSONValue] {
        switch step {
        case .field(let name):
            return value[name].map { [$0] } ?? []
        case .keys(let names):
            return names.compactMap { value[$0] }
        case .wildcard:
            switch value {
            case .object(let members): return members.keys.sorted().map { members[$0]! }
            case .array(let items): return items
            default: return []
            }
        case .recursive(let name):
            var found: [JSONValue] = []
            collect(value, name: name, into: &found)
            return found
        case .index(let index):
            guard case .array(let items) = value else { return [] }
            let resolved = index < 0 ? items.count + index : index
            return items.indices.contains(resolved) ? [items[resolved]] : []
        case .union(let indices):
            guard case .array(let items) = value else { return [] }
            return indices.compactMap { index in
                let resolved = index < 0 ? items.count + index : index
                return items.indices.contains(resolved) ? items[resolved] : nil
            }
        case .slice(let start, let end, let step):
            guard case .array(let items) = value else { return [] }
            let count = items.count
            func clamp(_ bound: Int?, _ fallback: Int) -> Int {
                guard var bound else { return fallback }
                if bound < 0 { bound += count }
                return min(max(bound, 0), count)
            }
            let lower = clamp(start, 0)
            let upper = clamp(end, count)
            let stride = max(step ?? 1, 1)
            guard lower < upper else { return [] }
            return Swift.stride(from: lower, to: upper, by: stride).map { items[$0] }
        case .filter(let filter):
            guard case .array(let items) = value else { return [] }
            return items.filter { filter.matches($0) }
        }
    }

    private static func collect(_ value: JSONValue, name: String?, into found: inout [JSONValue]) {
        switch value {
        case .object(let members):
            if let name {
                if let match = members[name] { found.append(match) }
            } else {
                found.append(value)
            }
            for key in members.keys.sorted() { collect(members[key]!, name: name, into: &found) }
        case .array(let items):
            if name == nil { found.append(value) }
            for item in items { collect(item, name: name, into: &found) }
        default:
            if name == nil { found.append(value) }
        }
    }

    /// How a result prints in a `string` printer column (Go's `fmt.Print`): strings bare,
    /// numbers as Go prints them, objects as `map[a:1]`, lists as `[a b]`, null as `<nil>`.
    public static func text(of value: JSONValue) -> String {
        GoFormatting.value(value)
    }
}

/// `?(@.type=="Ready")`: a path from the item compared with a literal or another path, or just
/// a path that must exist.
struct JSONPathFilter: Sendable, Equatable {
    enum Operand: Sendable, Equatable {
        case path([JSONPathExpression.Step])
        case literal(JSONValue)
    }

    var left: Operand
    var op: String?
    var right: Operand?

    func matches(_ item: JSONValue) -> Bool {
        let lhs = resolve(left, item)
        guard let op, let right else { return !lhs.isEmpty }
        let rhs = resolve(right, item)
        guard let a = lhs.first, let b = rhs.first else { return false }
        switch op {
        case "==": return a == b
        case "!=": return a != b
        default:
            guard let x = a.doubleValue, let y = b.doubleValue else { return false }
            switch op {
            case "<": return x < y
            case "<=": return x <= y
            case ">": return x > y
            case ">=": return x >= y
            default: return false
            }
        }
    }

    private func resolve(_ operand: Operand, _ item: JSONValue) -> [JSONValue] {
        switch operand {
        case .literal(let value): return [value]
        case .path(let steps): return JSONPathExpression.evaluate(steps[...], on: [item])
        }
    }
}

extension String {
    func trimmingWhitespace() -> String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
