import CEL
import KubeModel

/// Compiles every `x-kubernetes-validations` rule of a schema once, and finds what the API server
/// refuses in a CustomResourceDefinition: rules that are empty, do not compile or are not bool,
/// messages with line breaks, message expressions that are not strings, unknown reasons,
/// field paths that name nothing, and `oldSelf` where old values cannot be correlated.
struct ValidationRuleCompiler {
    private let types = SchemaCELTypes()
    private var table = ValidationRuleTable()

    static func compile(_ root: SchemaNode, path: String) -> ValidationRuleTable {
        var compiler = ValidationRuleCompiler()
        compiler.walk(root, structural: root, path: path, isRoot: true, uncorrelatable: nil)
        return compiler.table
    }

    /// Compiles the rules of `node` and below; returns whether there were any. `structural` is
    /// the node that gives `self` its type: `node` itself, or for an `allOf` subschema (which may
    /// carry rules but no type) the node it belongs to.
    @discardableResult
    private mutating func walk(_ node: SchemaNode, structural: SchemaNode, path: String, isRoot: Bool, uncorrelatable: String?) -> Bool {
        var found = compileRules(of: node, structural: structural, path: path, isRoot: isRoot, uncorrelatable: uncorrelatable)
        for name in node.properties.keys.sorted() {
            guard let property = structural.properties[name] else { continue }
            found = walk(node.properties[name]!, structural: property, path: "\(path).properties[\(name)]", isRoot: false,
                         uncorrelatable: uncorrelatable) || found
        }
        if let additional = node.additionalPropertiesSchema, let structuralAdditional = structural.additionalPropertiesSchema {
            found = walk(additional, structural: structuralAdditional, path: "\(path).additionalProperties", isRoot: false,
                         uncorrelatable: uncorrelatable) || found
        }
        if let items = node.items, let structuralItems = structural.items {
            // Items of lists other than map lists have no old value to compare with.
            let itemsUncorrelatable = uncorrelatable ?? (structural.listType == "map" ? nil : path)
            found = walk(items, structural: structuralItems, path: "\(path).items", isRoot: false, uncorrelatable: itemsUncorrelatable) || found
        }
        for (index, subschema) in node.allOf.enumerated() {
            found = walk(subschema, structural: structural, path: "\(path).allOf[\(index)]", isRoot: isRoot, uncorrelatable: uncorrelatable) || found
        }
        if found { table.subtreesWithRules.insert(ObjectIdentifier(node)) }
        return found
    }

    private mutating func compileRules(of node: SchemaNode, structural: SchemaNode, path: String, isRoot: Bool, uncorrelatable: String?) -> Bool {
        let rules = ValidationRule.rules(of: node)
        guard !rules.isEmpty else { return false }
        var compiled: [CompiledValidationRule] = []
        let selfType = types.type(of: structural, isResourceRoot: isRoot)
        table.selfTypes[ObjectIdentifier(node)] = selfType
        for (index, rule) in rules.enumerated() {
            let rulePath = "\(path).x-kubernetes-validations[\(index)]"
            let before = table.errors.count
            staticChecks(rule, node: node, path: rulePath)
            let schemaProblems = table.errors.count > before
            compiled.append(compile(rule, selfType: selfType, node: node, path: rulePath,
                                    report: !schemaProblems, uncorrelatable: uncorrelatable))
        }
        table.rules[ObjectIdentifier(node)] = compiled
        return true
    }

    /// The checks apiextensions makes before compiling (its SchemaErrors).
    private mutating func staticChecks(_ rule: ValidationRule, node: SchemaNode, path: String) {
        let trimmedRule = rule.rule.goTrimmed
        let trimmedMessage = rule.message.goTrimmed
        if trimmedRule.isEmpty {
            table.errors.append(.required("\(path).rule", "rule is not specified"))
        } else if !rule.message.isEmpty && trimmedMessage.isEmpty {
            table.errors.append(.invalid("\(path).message", .string(rule.message), "message must be non-empty if specified"))
        } else if rule.message.utf8.count > 2048 {
            table.errors.append(.invalid("\(path).message", .string(rule.message), "message must have a maximum length of 2048 characters"))
        } else if trimmedMessage.hasLineBreaks {
            table.errors.append(.invalid("\(path).message", .string(rule.message), "message must not contain line breaks"))
        } else if trimmedRule.hasLineBreaks && trimmedMessage.isEmpty {
            table.errors.append(.required("\(path).message", "message must be specified if rule contains line breaks"))
        }
        if !rule.messageExpression.isEmpty && rule.messageExpression.goTrimmed.isEmpty {
            table.errors.append(.required("\(path).messageExpression", "messageExpression must be non-empty if specified"))
        }
        if let reason = rule.reason, !ValidationRule.supportedReasons.contains(reason) {
            table.errors.append(.notSupported("\(path).reason", .string(reason), supported: ValidationRule.supportedReasons))
        }
        if !rule.fieldPath.isEmpty {
            if rule.fieldPath.goTrimmed.isEmpty {
                table.errors.append(.invalid("\(path).fieldPath", .string(rule.fieldPath), "fieldPath must be non-empty if specified"))
            }
            if rule.fieldPath.hasLineBreaks {
                table.errors.append(.invalid("\(path).fieldPath", .string(rule.fieldPath), "fieldPath must not contain line breaks"))
            }
            if ValidationRuleFieldPath.normalize(rule.fieldPath, under: node) == nil {
                table.errors.append(.invalid("\(path).fieldPath", .string(rule.fieldPath), "fieldPath must be a valid path"))
            }
        }
    }

    /// An Invalid error whose bad value is the whole rule, printed as the API server prints it.
    private func structError(_ field: String, _ rule: ValidationRule, _ detail: String) -> FieldError {
        var error = FieldError.invalid(field, rule.raw, detail)
        error.renderedValue = rule.goStructDescription
        return error
    }

    private mutating func compile(_ rule: ValidationRule, selfType: CELType, node: SchemaNode, path: String,
                                  report: Bool, uncorrelatable: String?) -> CompiledValidationRule {
        let fieldPath = rule.fieldPath.isEmpty ? nil : ValidationRuleFieldPath.normalize(rule.fieldPath, under: node)
        let optionalOldSelf = rule.optionalOldSelf == true
        let variables: [String: CELType] = ["self": selfType, "oldSelf": optionalOldSelf ? .optional(selfType) : selfType]
        var program: CELProgram?
        var compileError: String?
        if rule.rule.goTrimmed.isEmpty {
            compileError = "rule is not specified"
        } else {
            do {
                let compiled = try CELProgram(rule.rule, variables: variables)
                // As apiextensions: the checked type must be bool itself; `dyn` is not enough.
                if compiled.resultType == .bool {
                    program = compiled
                } else {
                    compileError = "cel expression must evaluate to a bool"
                }
            } catch {
                compileError = "compilation failed: \(error)"
            }
        }
        if let compileError, report, !rule.rule.goTrimmed.isEmpty {
            table.errors.append(structError("\(path).rule", rule, compileError))
        }
        var messageProgram: CELProgram?
        if !rule.messageExpression.goTrimmed.isEmpty {
            do {
                let compiled = try CELProgram(rule.messageExpression, variables: variables)
                if compiled.resultType == .string {
                    messageProgram = compiled
                } else if report {
                    table.errors.append(structError("\(path).messageExpression", rule, "messageExpression must evaluate to a string"))
                }
            } catch {
                if report {
                    table.errors.append(structError("\(path).messageExpression", rule, "messageExpression compilation failed: \(error)"))
                }
            }
        }
        let usesOldSelf = program?.references("oldSelf") ?? false
        if report, program != nil {
            if usesOldSelf, let uncorrelatable {
                table.errors.append(.invalid("\(path).rule", .string(rule.rule),
                                             "oldSelf cannot be used on the uncorrelatable portion of the schema within \(uncorrelatable)"))
            } else if !usesOldSelf, let optional = rule.optionalOldSelf {
                table.errors.append(.invalid("\(path).optionalOldSelf", .bool(optional), "may not be set if oldSelf is not used in rule"))
            }
        }
        return CompiledValidationRule(rule: rule, program: program, messageProgram: messageProgram, compileError: compileError,
                                      usesOldSelf: usesOldSelf, fieldPath: fieldPath)
    }
}
