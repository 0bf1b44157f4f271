/// A compiled CEL expression: parsed, macro-expanded and type-checked once, then evaluated any
/// number of times, from any thread.
public final class CELProgram: Sendable {
    public let source: String
    /// The type the checker inferred for the whole expression.
    public let resultType: CELType
    let root: Expr
    private let interpreter: Interpreter

    /// Parses and checks `source` with the given variables in scope (`self`, `oldSelf`, ...).
    public init(_ source: String, variables: [String: CELType]) throws(CELCompileError) {
        let table = FunctionTable.kubernetes
        let root: Expr
        do {
            var parser = try Parser(source, qualifiedFunctions: table.qualifiedNames)
            root = try parser.parseExpression()
        } catch {
            throw CELCompileError(source: source, issues: [.init(offset: error.offset, message: error.message)])
        }
        var checker = Checker(variables: variables, functions: table.functions)
        let type = checker.check(root)
        if !checker.issues.isEmpty {
            throw CELCompileError(source: source, issues: checker.issues)
        }
        self.source = source
        self.root = root
        self.resultType = type
        self.interpreter = Interpreter(functions: table.functions)
    }

    /// Whether the expression refers to `variable` (for example `oldSelf`, which makes a rule a transition rule).
    public func references(_ variable: String) -> Bool {
        root.references(variable)
    }

    /// Kubernetes' per-call limit (celconfig.PerCallLimit), here counted in evaluated nodes.
    public static let defaultStepLimit = 1_000_000

    /// Evaluates with `bindings` for the variables; throws `CELError.costLimitExceeded` after
    /// `stepLimit` evaluated nodes.
    public func evaluate(_ bindings: [String: CELValue], stepLimit: Int = CELProgram.defaultStepLimit) throws(CELError) -> CELValue {
        let scope = Interpreter.Scope(bindings: bindings.map { ($0.key, $0.value) }, budget: StepBudget(stepLimit))
        return try interpreter.evaluate(root, scope)
    }
}
