/// A field selector (`?fieldSelector=metadata.name=x,status.phase!=Running`): terms ANDed,
/// operators `=`, `==` and `!=`, with `\`, `,` and `=` escaped by a backslash in values.
public struct FieldSelector: Sendable, Equatable, CustomStringConvertible {
    public enum Op: String, Sendable {
        case equals = "="
        case doubleEquals = "=="
        case notEquals = "!="
    }

    public struct Requirement: Sendable, Equatable, CustomStringConvertible {
        public var field: String
        public var op: Op
        public var value: String

        public init(field: String, op: Op, value: String) {
            self.field = field
            self.op = op
            self.value = value
        }

        /// A field absent from `fields` compares as the empty string.
        public func matches(_ fields: [String: String]) -> Bool {
            let actual = fields[field] ?? ""
            return op == .notEquals ? actual != value : actual == value
        }

        public var description: String { field + op.rawValue + FieldSelector.escape(value) }
    }

    /// In the order Kubernetes keeps them (terms sorted as text).
    public var requirements: [Requirement]

    public init(requirements: [Requirement]) { self.requirements = requirements }

    public static let everything = FieldSelector(requirements: [])

    public init(parsing text: String) throws(SelectorError) {
        var requirements: [Requirement] = []
        for term in Self.splitTerms(text).sorted() where !term.isEmpty {
            guard let (field, op, rawValue) = Self.splitTerm(term) else {
                throw SelectorError("invalid selector: '\(text)'; can't understand '\(term)'")
            }
            requirements.append(Requirement(field: field, op: op, value: try Self.unescape(rawValue)))
        }
        self.requirements = requirements
    }

    public var isEverything: Bool { requirements.isEmpty }

    public func matches(_ fields: [String: String]) -> Bool {
        requirements.allSatisfy { $0.matches(fields) }
    }

    /// The value a selector requires for `field` with `=`/`==`, if any (to narrow a list by name).
    public func requiredValue(for field: String) -> String? {
        requirements.first { $0.field == field && $0.op != .notEquals }?.value
    }

    public var description: String { requirements.map(\.description).joined(separator: ",") }

    /// Splits on commas not escaped by a backslash.
    static func splitTerms(_ text: String) -> [String] {
        guard !text.isEmpty else { return [] }
        var terms: [String] = []
        var current = ""
        var escaped = false
        for character in text {
            if escaped {
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "," {
                terms.append(current)
                current = ""
                continue
            }
            current.append(character)
        }
        terms.append(current)
        return terms
    }

    /// The first operator found scanning left to right; at one position `!=` wins over `==` over `=`.
    static func splitTerm(_ term: String) -> (String, Op, String)? {
        var index = term.startIndex
        while index < term.endIndex {
            let rest = term[index...]
            for op in [Op.notEquals, .doubleEquals, .equals] where rest.hasPrefix(op.rawValue) {
                let valueStart = term.index(index, offsetBy: op.rawValue.count)
                return (String(term[..<index]), op, String(term[valueStart...]))
            }
            index = term.index(after: index)
        }
        return nil
    }

    static func unescape(_ value: String) throws(SelectorError) -> String {
        guard value.contains(where: { $0 == "\\" || $0 == "," || $0 == "=" }) else { return value }
        var out = ""
        var escaped = false
        for scalar in value.unicodeScalars {
            if escaped {
                switch scalar {
                case "\\", ",", "=": out.unicodeScalars.append(scalar)
                default: throw SelectorError("invalid field selector: invalid escape sequence: \\\(scalar)")
                }
                escaped = false
                continue
            }
            switch scalar {
            case "\\": escaped = true
            case ",", "=": throw SelectorError("invalid field selector: unescaped character in value: \(scalar.value)")
            default: out.unicodeScalars.append(scalar)
            }
        }
        if escaped { throw SelectorError("invalid field selector: invalid escape sequence: \\") }
        return out
    }

    static func escape(_ value: String) -> String {
        var out = ""
        for character in value {
            if character == "\\" || character == "," || character == "=" { out.append("\\") }
            out.append(character)
        }
        return out
    }
}
