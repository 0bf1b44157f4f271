import CEL

/// A validation rule compiled once when its schema is built, with what evaluation needs.
struct CompiledValidationRule: Sendable {
    let rule: ValidationRule
    let program: CELProgram?
    let messageProgram: CELProgram?
    /// Why the rule did not compile (reported at evaluation as "rule compile error").
    let compileError: String?
    /// A transition rule: it compares with the old value, so it runs only on update.
    let usesOldSelf: Bool
    /// Where a failure is reported, relative to the rule's node (`fieldPath`, normalized).
    let fieldPath: String?
}
