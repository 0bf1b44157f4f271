import CEL
import KubeModel

/// Compiles and evaluates `source` with `self` bound to `value` (typed `type`), as a rule would run.
func evaluate(_ source: String, self value: JSONValue? = nil, type: CELType = .dyn, oldSelf: JSONValue? = nil) throws -> CELValue {
    var variables: [String: CELType] = [:]
    var bindings: [String: CELValue] = [:]
    if let value {
        variables["self"] = type
        bindings["self"] = CELValue(json: value, type: type)
    }
    if let oldSelf {
        variables["oldSelf"] = type
        bindings["oldSelf"] = CELValue(json: oldSelf, type: type)
    }
    let program = try CELProgram(source, variables: variables)
    return try program.evaluate(bindings)
}

/// The runtime error message of evaluating `source`, or nil if it evaluated.
func evaluationError(_ source: String, self value: JSONValue? = nil, type: CELType = .dyn) throws -> String? {
    do {
        _ = try evaluate(source, self: value, type: type)
        return nil
    } catch let error as CELError {
        return error.message
    }
}

/// The compile error text of `source`, or nil if it compiled.
func compileError(_ source: String, variables: [String: CELType] = [:]) -> String? {
    do {
        _ = try CELProgram(source, variables: variables)
        return nil
    } catch {
        return error.description
    }
}
