import KubeModel

/// A CustomResourceDefinition version's `openAPIV3Schema`, checked to be structural, and the
/// three things the API server does with it: validate, default and prune custom resources.
public struct StructuralSchema: Sendable {
    let root: SchemaNode
    /// The schema as given.
    public let json: JSONValue
    /// Every `x-kubernetes-validations` rule, compiled once here rather than per request.
    let validationRules: ValidationRuleTable

    /// What the API server refuses about the schema's validation rules when a
    /// CustomResourceDefinition is created (rules that do not compile, bad messages, reasons or
    /// field paths), with paths under the `path` the schema was read at.
    public var validationRuleErrors: [FieldError] { validationRules.errors }

    /// Reads and checks a schema. Throws when it is malformed or not structural; the message lists
    /// every problem with its path under `openAPIV3Schema`, the way the API server reports them
    /// when a CustomResourceDefinition is created.
    public init(_ openAPIV3Schema: JSONValue) throws(SchemaError) {
        try self.init(openAPIV3Schema, path: "openAPIV3Schema")
    }

    /// As `init(_:)`, with problems reported under `path` (for example
    /// `spec.versions[0].schema.openAPIV3Schema`).
    public init(_ openAPIV3Schema: JSONValue, path: String) throws(SchemaError) {
        var errors: [FieldError] = []
        let root = SchemaNode(openAPIV3Schema, path: path, errors: &errors)
        if errors.isEmpty {
            errors = StructuralChecks.check(root, path: path)
        }
        guard errors.isEmpty else {
            throw SchemaError(FieldError.aggregateMessage(errors), errors: errors)
        }
        self.root = root
        self.json = openAPIV3Schema
        self.validationRules = ValidationRuleCompiler.compile(root, path: path)
    }
}
