import KubeModel

/// A label selector: the `?labelSelector=` query text or a `metav1.LabelSelector` object.
/// Requirements are ANDed; an empty selector matches everything.
public struct LabelSelector: Sendable, Equatable, CustomStringConvertible {
    public enum Operator: String, Sendable {
        case equals = "="
        case doubleEquals = "=="
        case notEquals = "!="
        case `in` = "in"
        case notIn = "notin"
        case exists = "exists"
        case doesNotExist = "!"
        case greaterThan = "gt"
        case lessThan = "lt"
    }

    public struct Requirement: Sendable, Equatable, CustomStringConvertible {
        public var key: String
        public var op: Operator
        /// Sorted and without duplicates, as Kubernetes keeps them.
        public var values: [String]

        /// Validates the key and values as `labels.NewRequirement` does.
        public init(key: String, op: Operator, values: [String], path: String? = nil) throws(SelectorError) {
            self.key = key
            self.op = op
            self.values = Array(Set(values)).sorted()
            var errors: [FieldError] = []
            let keyPath = path.map { "\($0).key" } ?? "key"
            let valuesPath = path.map { "\($0).values" } ?? "values"
            for message in NameValidation.qualifiedName(key) {
                errors.append(.invalid(keyPath, .string(key), message))
            }
            // An empty list prints as `null`, as a nil Go slice does.
            let valueList: JSONValue = values.isEmpty ? .null : .array(values.map { .string($0) })
            switch op {
            case .in, .notIn:
                if values.isEmpty {
                    errors.append(.invalid(valuesPath, valueList, "for 'in', 'notin' operators, values set can't be empty"))
                }
            case .equals, .doubleEquals, .notEquals:
                if values.count != 1 {
                    errors.append(.invalid(valuesPath, valueList, "exact-match compatibility requires one single value"))
                }
            case .exists, .doesNotExist:
                if !values.isEmpty {
                    errors.append(.invalid(valuesPath, valueList, "values set must be empty for exists and does not exist"))
                }
            case .greaterThan, .lessThan:
                if values.count != 1 {
                    errors.append(.invalid(valuesPath, valueList, "for 'Gt', 'Lt' operators, exactly one value is required"))
                }
                for (index, value) in values.enumerated() where Int64(value) == nil {
                    errors.append(.invalid("\(valuesPath)[\(index)]", .string(value), "for 'Gt', 'Lt' operators, the value must be an integer"))
                }
            }
            for (index, value) in values.enumerated() {
                let messages = NameValidation.labelValue(value)
                if !messages.isEmpty {
                    errors.append(.invalid("\(valuesPath)[\(index)][\(key)]", .string(value), messages.joined(separator: "; ")))
                }
            }
            if !errors.isEmpty { throw SelectorError(FieldError.aggregateMessage(errors)) }
        }

        public func matches(_ labels: [String: String]) -> Bool {
            let value = labels[key]
            switch op {
            case .in, .equals, .doubleEquals:
                guard let value else { return false }
                return values.contains(value)
            case .notIn, .notEquals:
                guard let value else { return true }
                return !values.contains(value)
            case .exists: return value != nil
            case .doesNotExist: return value == nil
            case .greaterThan, .lessThan:
                guard let value, let actual = Int64(value), values.count == 1, let bound = Int64(values[0]) else { return false }
                return op == .greaterThan ? actual > bound : actual < bound
            }
        }

        /// The requirement in selector syntax, e.g. `tier in (backend,cache)`.
        public var description: String {
            switch op {
            case .exists: return key
            case .doesNotExist: return "!" + key
            case .in, .notIn: return "\(key) \(op.rawValue) (\(values.joined(separator: ",")))"
            case .greaterThan: return "\(key)>\(values.first ?? "")"
            case .lessThan: return "\(key)<\(values.first ?? "")"
            default: return key + op.rawValue + (values.first ?? "")
            }
        }
    }

    /// Sorted by key, as Kubernetes sorts them for a deterministic selector.
    public private(set) var requirements: [Requirement]
    /// True for the selector of a nil `metav1.LabelSelector`, which selects nothing.
    public private(set) var isNothing: Bool = false

    public init(requirements: [Requirement]) {
        self.requirements = Self.sortedByKey(requirements)
    }

    /// The selector that matches every object.
    public static let everything = LabelSelector(requirements: [])
    /// The selector that matches no object (a nil `metav1.LabelSelector`).
    public static let nothing: LabelSelector = {
        var selector = LabelSelector(requirements: [])
        selector.isNothing = true
        return selector
    }()

    /// Parses selector text: `a=b,c!=d,e in (x,y),f notin (z),g,!h`, also `==`, `>`/`<`, spaces.
    public init(parsing text: String) throws(SelectorError) {
        var parser = LabelSelectorParser(tokens: LabelSelectorLexer.tokens(of: text))
        requirements = Self.sortedByKey(try parser.parse())
    }

    /// Converts a `metav1.LabelSelector` (`matchLabels`, `matchExpressions`). JSON null selects
    /// nothing; an empty object selects everything.
    public init(json: JSONValue) throws(SelectorError) {
        guard case .object(let object) = json else {
            if json.isNull { self = .nothing; return }
            throw SelectorError("a label selector must be an object, not \(json.typeName)")
        }
        var requirements: [Requirement] = []
        switch object["matchLabels"] {
        case nil, .null?: break
        case .object(let labels)?:
            for key in labels.keys.sorted() {
                guard case .string(let value) = labels[key]! else {
                    throw SelectorError("matchLabels.\(key) must be a string, not \(labels[key]!.typeName)")
                }
                requirements.append(try Requirement(key: key, op: .equals, values: [value]))
            }
        case let other?:
            throw SelectorError("matchLabels must be an object, not \(other.typeName)")
        }
        switch object["matchExpressions"] {
        case nil, .null?: break
        case .array(let expressions)?:
            for expression in expressions {
                requirements.append(try Self.requirement(fromExpression: expression))
            }
        case let other?:
            throw SelectorError("matchExpressions must be an array, not \(other.typeName)")
        }
        self.requirements = Self.sortedByKey(requirements)
    }

    private static func requirement(fromExpression expression: JSONValue) throws(SelectorError) -> Requirement {
        guard case .object(let fields) = expression else {
            throw SelectorError("a match expression must be an object, not \(expression.typeName)")
        }
        let key = fields["key"]?.stringValue ?? ""
        let operatorName = fields["operator"]?.stringValue ?? ""
        let op: Operator
        switch operatorName {
        case "In": op = .in
        case "NotIn": op = .notIn
        case "Exists": op = .exists
        case "DoesNotExist": op = .doesNotExist
        default: throw SelectorError("\(GoFormatting.quote(operatorName)) is not a valid label selector operator")
        }
        var values: [String] = []
        for value in fields["values"]?.arrayValue ?? [] {
            guard case .string(let text) = value else {
                throw SelectorError("match expression values must be strings, not \(value.typeName)")
            }
            values.append(text)
        }
        return try Requirement(key: key, op: op, values: values)
    }

    private static func sortedByKey(_ requirements: [Requirement]) -> [Requirement] {
        // A stable sort: requirements with the same key keep their order, as Go's sort.Sort would not
        // promise but callers can rely on here.
        requirements.enumerated().sorted { a, b in
            a.element.key != b.element.key ? a.element.key < b.element.key : a.offset < b.offset
        }.map(\.element)
    }

    public var isEverything: Bool { requirements.isEmpty && !isNothing }

    public func matches(_ labels: [String: String]) -> Bool {
        if isNothing { return false }
        return requirements.allSatisfy { $0.matches(labels) }
    }

    /// The labels of an object (`metadata.labels`), for matching stored objects.
    public func matches(object: JSONValue) -> Bool {
        var labels: [String: String] = [:]
        for (key, value) in object[path: ["metadata", "labels"]]?.objectValue ?? [:] {
            if let text = value.stringValue { labels[key] = text }
        }
        return matches(labels)
    }

    /// The selector in canonical text form (`a=b,c in (x,y)`).
    public var description: String { requirements.map(\.description).joined(separator: ",") }
}
