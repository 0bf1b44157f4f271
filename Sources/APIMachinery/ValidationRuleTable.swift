import CEL

/// Every node's compiled rules, keyed by node identity, and the problems found compiling them.
struct ValidationRuleTable: Sendable {
    var rules: [ObjectIdentifier: [CompiledValidationRule]] = [:]
    /// The types `self` has at each node with rules (the resource root included).
    var selfTypes: [ObjectIdentifier: CELType] = [:]
    /// Nodes with a rule at or below them; evaluation skips every other subtree.
    var subtreesWithRules: Set<ObjectIdentifier> = []
    /// Problems as the API server reports them when a CRD is created, with paths under the schema.
    var errors: [FieldError] = []

    func hasRules(atOrBelow node: SchemaNode) -> Bool {
        subtreesWithRules.contains(ObjectIdentifier(node))
    }

    func rules(for node: SchemaNode) -> [CompiledValidationRule]? {
        rules[ObjectIdentifier(node)]
    }

    var isEmpty: Bool { rules.isEmpty }
}
