import CEL
import KubeModel

/// Runs the compiled `x-kubernetes-validations` rules over an object, as apiextensions'
/// CEL validator does: depth first, `self` bound to each node's value, `oldSelf` to the old value
/// that correlates with it (object members by name, map-list items by key), transition rules only
/// when there is one, and errors shaped like the API server's
/// (`spec.x: Invalid value: "object": <message>`).
struct ValidationRuleEvaluation {
    let table: ValidationRuleTable
    private(set) var errors: [FieldError] = []
    /// Set when a rule ran out of its budget: as the API server, no further rule runs.
    private var stopped = false

    init(table: ValidationRuleTable) {
        self.table = table
    }

    /// Errors land on `<nil>` at the root, as field paths without a name do.
    private static func field(_ path: String) -> String { path.isEmpty ? "<nil>" : path }

    /// `structural` is the node that types the value (and says how lists correlate); `node`, the
    /// schema whose rules run, is the same node or one of its `allOf` subschemas.
    mutating func validate(_ value: JSONValue, old: JSONValue?, node: SchemaNode, structural: SchemaNode, path: String,
                           correlation: RatchetingCorrelation, isRoot: Bool) {
        if stopped || value.isNull || !table.hasRules(atOrBelow: node) { return }
        var old = old
        if old?.isNull == true { old = nil }
        if let rules = table.rules(for: node) {
            evaluate(rules, value: value, old: old, node: node, typeName: structural.type ?? "", path: path, correlation: correlation)
        }
        for subschema in node.allOf where table.hasRules(atOrBelow: subschema) {
            // As the API server: allOf errors ratchet only with the enclosing correlated value.
            validate(value, old: old, node: subschema, structural: structural, path: path,
                     correlation: RatchetingCorrelation(current: nil, nearestParent: correlation.nearestParent), isRoot: isRoot)
        }
        switch value {
        case .array(let items):
            guard let itemSchema = node.items, let structuralItems = structural.items else { return }
            let oldItems = CorrelatedListItems(schema: structural, old: old?.arrayValue)
            for (index, item) in items.enumerated() {
                let oldItem = oldItems.match(for: item)
                validate(item, old: structural.listType == "map" ? oldItem : nil, node: itemSchema, structural: structuralItems,
                         path: "\(path)[\(index)]", correlation: correlation.index(item, old: oldItem), isRoot: false)
            }
        case .object(let members):
            let oldMembers = old?.objectValue
            for key in members.keys.sorted() {
                let child: SchemaNode
                let structuralChild: SchemaNode
                let childPath: String
                if let property = node.properties[key], let structuralProperty = structural.properties[key] {
                    child = property
                    structuralChild = structuralProperty
                    childPath = path.isEmpty ? key : "\(path).\(key)"
                } else if structural.properties[key] == nil, let additional = node.additionalPropertiesSchema,
                          let structuralAdditional = structural.additionalPropertiesSchema {
                    child = additional
                    structuralChild = structuralAdditional
                    childPath = "\(path)[\(key)]"
                } else {
                    continue
                }
                validate(members[key]!, old: oldMembers?[key], node: child, structural: structuralChild, path: childPath,
                         correlation: correlation.key(key, isRoot: isRoot), isRoot: false)
            }
        default:
            break
        }
    }

    private mutating func evaluate(_ rules: [CompiledValidationRule], value: JSONValue, old: JSONValue?, node: SchemaNode,
                                   typeName: String, path: String, correlation: RatchetingCorrelation) {
        let badValue = JSONValue.string(typeName)
        let selfType = table.selfTypes[ObjectIdentifier(node)] ?? .dyn
        let selfValue = CELValue(json: value, type: selfType)
        let oldValue = old.map { CELValue(json: $0, type: selfType) }
        var bindings: [String: CELValue] = ["self": selfValue]
        if let oldValue { bindings["oldSelf"] = oldValue }

        for compiled in rules {
            let rule = compiled.rule
            if let compileError = compiled.compileError {
                errors.append(.invalid(Self.field(path), badValue, "rule compile error: \(compileError)"))
                continue
            }
            guard let program = compiled.program else { continue }
            let optionalOldSelf = rule.optionalOldSelf == true
            if compiled.usesOldSelf && old == nil && !optionalOldSelf { continue }
            var ruleBindings = bindings
            if optionalOldSelf { ruleBindings["oldSelf"] = .optional(oldValue) }

            let result: CELValue
            do {
                result = try program.evaluate(ruleBindings)
            } catch {
                if error == .costLimitExceeded {
                    errors.append(.invalid(Self.field(path), badValue,
                                           "'\(error.message)': no further validation rules will be run due to call cost exceeds limit for rule: \(rule.errorString)"))
                    stopped = true
                    return
                } else if error.message.hasPrefix("no such overload") {
                    errors.append(.invalid(Self.field(path), badValue,
                                           "'\(error.message)': call arguments did not match a supported operator, function or macro signature for rule: \(rule.errorString)"))
                } else {
                    errors.append(.invalid(Self.field(path), badValue, "\(error.message) evaluating rule: \(rule.errorString)"))
                }
                continue
            }
            if case .bool(true) = result { continue }

            var errorPath = path
            if let fieldPath = compiled.fieldPath {
                errorPath = path.isEmpty ? fieldPath : "\(path).\(fieldPath)"
            }
            let detail = message(for: compiled, bindings: bindings) ?? rule.messageOrDefault
            let error = Self.fieldError(Self.field(errorPath), badValue, detail, reason: rule.reason)
            // A failure that is not new — the value (or its nearest correlated ancestor) is unchanged —
            // is let through; transition rules are about the change itself, so they always count.
            if !compiled.usesOldSelf && correlation.shouldRatchet { continue }
            errors.append(error)
        }
    }

    /// The evaluated messageExpression, or nil to fall back to the message (as the API server does
    /// when it fails, is empty, too long or spans lines).
    private func message(for compiled: CompiledValidationRule, bindings: [String: CELValue]) -> String? {
        guard let program = compiled.messageProgram, case .string(let text)? = try? program.evaluate(bindings) else { return nil }
        let trimmed = text.goTrimmed
        if trimmed.isEmpty || trimmed.contains("\n") || trimmed.utf8.count > 5 * 1024 { return nil }
        return trimmed
    }

    static func fieldError(_ field: String, _ value: JSONValue, _ detail: String, reason: String?) -> FieldError {
        switch reason {
        case "FieldValueForbidden": return .forbidden(field, detail)
        case "FieldValueRequired": return .required(field, detail)
        case "FieldValueDuplicate": return .duplicate(field, value)
        default: return .invalid(field, value, detail)
        }
    }
}
