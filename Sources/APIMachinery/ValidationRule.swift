import KubeModel

/// One entry of a schema node's `x-kubernetes-validations`, as written in the CRD.
struct ValidationRule: Sendable {
    let raw: JSONValue
    let rule: String
    let message: String
    let messageExpression: String
    let reason: String?
    let fieldPath: String
    let optionalOldSelf: Bool?

    init(_ raw: JSONValue) {
        self.raw = raw
        rule = raw["rule"]?.stringValue ?? ""
        message = raw["message"]?.stringValue ?? ""
        messageExpression = raw["messageExpression"]?.stringValue ?? ""
        reason = raw["reason"]?.stringValue
        fieldPath = raw["fieldPath"]?.stringValue ?? ""
        optionalOldSelf = raw["optionalOldSelf"]?.boolValue
    }

    static let supportedReasons = ["FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired"]

    /// The rules of a node, in order.
    static func rules(of node: SchemaNode) -> [ValidationRule] {
        (node.raw["x-kubernetes-validations"]?.arrayValue ?? []).map(ValidationRule.init)
    }

    /// The rule as the API server prints it in a CRD error (Go's `%#v` of its ValidationRule;
    /// pointers print as an address, which differs from run to run there too).
    var goStructDescription: String {
        func pointer(_ type: String, _ present: Bool) -> String { "(*\(type))(\(present ? "0xc000000000" : "nil"))" }
        return "apiextensions.ValidationRule{Rule:\(GoFormatting.quote(rule)), Message:\(GoFormatting.quote(message)), "
            + "MessageExpression:\(GoFormatting.quote(messageExpression)), "
            + "Reason:\(pointer("apiextensions.FieldValueErrorReason", reason != nil)), FieldPath:\(GoFormatting.quote(fieldPath)), "
            + "OptionalOldSelf:\(pointer("bool", optionalOldSelf != nil))}"
    }

    /// apiextensions' `ruleErrorString`: the message if there is one, else the rule.
    var errorString: String {
        let trimmed = message.goTrimmed
        return trimmed.isEmpty ? rule.goTrimmed : trimmed
    }

    /// apiextensions' `ruleMessageOrDefault`.
    var messageOrDefault: String {
        message.isEmpty ? "failed rule: \(errorString)" : message.goTrimmed
    }
}
