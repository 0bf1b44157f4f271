import KubeModel

extension StructuralSchema {
    /// Validates a whole custom resource against the schema, as the API server does on create and
    /// update: the OpenAPI checks (messages as kube-openapi words them), then list-type
    /// uniqueness and embedded resources, then the `x-kubernetes-validations` rules — with `old`
    /// (the stored object, on update) for transition rules and ratcheting. `apiVersion`, `kind`
    /// and `metadata` at the root are the server's and are skipped. Errors come in a stable order.
    public func validate(_ object: JSONValue, old: JSONValue? = nil) -> [FieldError] {
        var validator = SchemaValidator()
        validator.validate(object, against: root, path: "", isRoot: true, old: old)
        var errors = validator.errors
        if case .object(let members) = object {
            ListTypeValidation.validateMembers(members, schema: root, path: "", isRoot: true, into: &errors)
            EmbeddedResourceValidation.validateMembers(members, schema: root, path: "", isRoot: true, into: &errors)
        }
        guard !validationRules.isEmpty else { return errors }
        // As the API server: rules assume the object has the declared shape, so after a type,
        // required, enum or size error they are not run, and it says so.
        let blocking: Set<FieldError.Kind> = [.notSupported, .required, .tooLong, .tooMany, .typeInvalid]
        if errors.contains(where: { blocking.contains($0.kind) }) {
            errors.append(.invalid("<nil>", nil, "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation"))
            return errors
        }
        var evaluation = ValidationRuleEvaluation(table: validationRules)
        evaluation.validate(object, old: old, node: root, structural: root, path: "", correlation: .root(object, old: old), isRoot: true)
        return errors + evaluation.errors
    }
}

/// The OpenAPI part of custom resource validation, following kube-openapi's validators in order:
/// type, allOf/anyOf/oneOf/not, string, format, number, array, enum, object.
struct SchemaValidator {
    var errors: [FieldError] = []

    /// The field a kube-openapi error lands on: its name without a leading dot, `<nil>` at the root.
    static func field(_ name: String) -> String {
        let trimmed = name.hasPrefix(".") ? String(name.dropFirst()) : name
        return trimmed.isEmpty ? "<nil>" : trimmed
    }

    private mutating func invalid(_ name: String, _ value: JSONValue, _ message: String) {
        errors.append(.invalid(Self.field(name), value, message))
    }

    /// Errors that are not about one field (anyOf, range checks) land on no field, as in Kubernetes.
    private mutating func general(_ message: String) {
        errors.append(.invalid("<nil>", "", message))
    }

    static func typeName(of value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "boolean"
        case .string: return "string"
        case .int: return "integer"
        case .double: return "number"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// `old` is the value this one correlates with in the stored object (by member name, map-list
    /// key or set value), nil when there is none. Ratcheting (CRDValidationRatcheting): errors in
    /// a correlated subtree equal to its old value are not new, so it is not checked.
    mutating func validate(_ value: JSONValue, against node: SchemaNode, path: String, isRoot: Bool = false, old: JSONValue? = nil) {
        if let old, old == value { return }
        let format = SchemaFormatSupport.effectiveFormat(of: node)
        if value.isNull {
            checkType(value, node: node, format: format, path: path)
            checkEnum(value, node: node, path: path)
            return
        }
        checkType(value, node: node, format: format, path: path)
        checkComposition(value, node: node, path: path)
        switch value {
        case .string(let text):
            checkString(text, node: node, path: path)
            if let format, node.type != "integer", node.type != "number" {
                if StringFormats.validates(format, text) == false {
                    errors.append(.typeInvalid(Self.field(path), value,
                                               "\(path) in body must be of type \(format): \(GoFormatting.quote(text))"))
                }
            }
        case .int, .double:
            checkNumber(value, node: node, format: format, path: path)
        case .array(let items):
            checkArray(items, node: node, path: path, old: old)
        default:
            break
        }
        checkEnum(value, node: node, path: path)
        if case .object(let members) = value {
            checkObject(members, node: node, path: path, isRoot: isRoot, old: old?.objectValue)
        }
    }

    private mutating func checkType(_ value: JSONValue, node: SchemaNode, format: String?, path: String) {
        let types = node.types
        guard !types.isEmpty else { return }
        let actual = Self.typeName(of: value)
        if value.isNull {
            if !node.nullable && !types.contains("null") {
                errors.append(.typeInvalid(Self.field(path), "null", "\(path) in body must be of type \(types.joined(separator: ",")): \"null\""))
            }
            return
        }
        // A string format on a non-numeric type accepts strings and arrays without further type checks.
        if format != nil, !types.contains("number"), !types.contains("integer") {
            if case .string = value { return }
            if case .array = value { return }
        }
        let floatIsInteger = actual == "number" && value.intValue != nil && types.contains("integer")
        let integerIsNumber = actual == "integer" && types.contains("number")
        if !(types.contains(actual) || floatIsInteger || integerIsNumber) {
            errors.append(.typeInvalid(Self.field(path), .string(actual),
                                       "\(path) in body must be of type \(types.joined(separator: ",")): \(GoFormatting.quote(actual))"))
        }
    }

    private mutating func checkComposition(_ value: JSONValue, node: SchemaNode, path: String) {
        if !node.anyOf.isEmpty {
            var best: [FieldError]?
            var succeeded = false
            for schema in node.anyOf {
                let result = subvalidate(value, schema, path: path)
                if result.isEmpty { succeeded = true; best = nil; break }
                if best == nil || result.count < best!.count { best = result }
            }
            if !succeeded {
                general("\(GoFormatting.quote(path)) must validate at least one schema (anyOf)")
                errors.append(contentsOf: best ?? [])
            }
        }
        if !node.oneOf.isEmpty {
            var best: [FieldError]?
            var validCount = 0
            for schema in node.oneOf {
                let result = subvalidate(value, schema, path: path)
                if result.isEmpty {
                    validCount += 1
                    best = nil
                } else if validCount == 0 && (best == nil || result.count < best!.count) {
                    best = result
                }
            }
            if validCount != 1 {
                let detail = validCount == 0 ? "Found none valid" : "Found \(validCount) valid alternatives"
                general("\(GoFormatting.quote(path)) must validate one and only one schema (oneOf). \(detail)")
                errors.append(contentsOf: best ?? [])
            }
        }
        if !node.allOf.isEmpty {
            var validCount = 0
            for schema in node.allOf {
                let result = subvalidate(value, schema, path: path)
                if result.isEmpty { validCount += 1 }
                errors.append(contentsOf: result)
            }
            if validCount != node.allOf.count {
                general("\(GoFormatting.quote(path)) must validate all the schemas (allOf)\(validCount == 0 ? ". None validated" : "")")
            }
        }
        if let not = node.not, subvalidate(value, not, path: path).isEmpty {
            general("\(GoFormatting.quote(path)) must not validate the schema (not)")
        }
    }

    private func subvalidate(_ value: JSONValue, _ schema: SchemaNode, path: String) -> [FieldError] {
        var validator = SchemaValidator()
        validator.validate(value, against: schema, path: path)
        return validator.errors
    }

    /// maxLength, minLength and pattern; only the first failure is reported, as kube-openapi does.
    private mutating func checkString(_ text: String, node: SchemaNode, path: String) {
        let length = Int64(text.unicodeScalars.count)
        if let maxLength = node.maxLength, length > maxLength {
            errors.append(.tooLong(Self.field(path), maxBytes: Int(maxLength)))
            return
        }
        if let minLength = node.minLength, length < minLength {
            invalid(path, .string(text), "\(path) in body should be at least \(minLength) chars long")
            return
        }
        if let pattern = node.pattern, !pattern.matches(text) {
            invalid(path, .string(text), "\(path) in body should match '\(pattern.source)'")
        }
    }

    private mutating func checkNumber(_ value: JSONValue, node: SchemaNode, format: String?, path: String) {
        if node.type == "integer", format == "int32", let number = value.intValue, number < Int64(Int32.min) || number > Int64(Int32.max) {
            general("Checked value must be of type integer with format int32 in \(path)")
        }
        if let factor = node.multipleOf {
            if case .int(let number) = value {
                let integerFactor = Int64(factor)
                if integerFactor <= 0 {
                    // An integer value truncates the factor first, so a fractional factor trips this.
                    invalid(path, .int(integerFactor), "factor MultipleOf declared for \(path) must be positive: \(integerFactor)")
                } else if number % integerFactor != 0 {
                    invalid(path, value, "\(path) in body should be a multiple of \(integerFactor)")
                }
            } else if let number = value.doubleValue {
                if factor <= 0 {
                    invalid(path, .double(factor), "factor MultipleOf declared for \(path) must be positive: \(GoFormatting.float(factor))")
                } else {
                    let quotient = factor < 1 ? 1 / factor * number : number / factor
                    if quotient.rounded() != quotient {
                        invalid(path, value, "\(path) in body should be a multiple of \(GoFormatting.float(factor))")
                    }
                }
            }
        }
        if let minimum = node.minimum {
            let exclusive = node.exclusiveMinimum
            if case .int(let number) = value {
                let bound = Int64(minimum)
                if exclusive ? number <= bound : number < bound {
                    invalid(path, value, "\(path) in body should be greater than \(exclusive ? "" : "or equal to ")\(bound)")
                }
            } else if let number = value.doubleValue, exclusive ? number <= minimum : number < minimum {
                invalid(path, value, "\(path) in body should be greater than \(exclusive ? "" : "or equal to ")\(GoFormatting.float(minimum))")
            }
        }
        if let maximum = node.maximum {
            let exclusive = node.exclusiveMaximum
            if case .int(let number) = value {
                let bound = Int64(maximum)
                if exclusive ? number >= bound : number > bound {
                    invalid(path, value, "\(path) in body should be less than \(exclusive ? "" : "or equal to ")\(bound)")
                }
            } else if let number = value.doubleValue, exclusive ? number >= maximum : number > maximum {
                invalid(path, value, "\(path) in body should be less than \(exclusive ? "" : "or equal to ")\(GoFormatting.float(maximum))")
            }
        }
    }

    private mutating func checkArray(_ items: [JSONValue], node: SchemaNode, path: String, old: JSONValue?) {
        if let itemSchema = node.items {
            let oldItems = CorrelatedListItems(schema: node, old: old?.arrayValue)
            for (index, item) in items.enumerated() {
                validate(item, against: itemSchema, path: "\(path)[\(index)]", old: oldItems.match(for: item))
            }
        }
        let count = Int64(items.count)
        if let minItems = node.minItems, count < minItems {
            invalid(path, .int(count), "\(path) in body should have at least \(minItems) items")
        }
        if let maxItems = node.maxItems, count > maxItems {
            errors.append(.tooMany(Self.field(path), actual: Int(count), max: Int(maxItems)))
        }
        if node.uniqueItems && Set(items).count != items.count {
            invalid(path, "", "\(path) in body shouldn't contain duplicates")
        }
    }

    private mutating func checkEnum(_ value: JSONValue, node: SchemaNode, path: String) {
        guard let allowed = node.enumValues, !allowed.isEmpty else { return }
        if allowed.contains(where: { $0 == value }) { return }
        let supported = allowed.map { $0.stringValue ?? GoFormatting.json($0) }
        errors.append(.notSupported(Self.field(path), value, supported: supported))
    }

    private mutating func checkObject(_ members: [String: JSONValue], node: SchemaNode, path: String, isRoot: Bool,
                                      old: [String: JSONValue]?) {
        let count = Int64(members.count)
        if let minProperties = node.minProperties, count < minProperties {
            invalid(path, .int(count), "\(path) in body should have at least \(minProperties) properties")
        }
        if let maxProperties = node.maxProperties, count > maxProperties {
            errors.append(.tooMany(Self.field(path), actual: Int(count), max: Int(maxProperties)))
        }
        let sortedKeys = members.keys.sorted()
        switch node.additionalProperties {
        case .allowed(false)?:
            for key in sortedKeys where node.properties[key] == nil {
                invalid(path, .string(key), "\(path).\(key) in body is a forbidden property")
            }
        case .schema(let schema)?:
            for key in sortedKeys where node.properties[key] == nil {
                validate(members[key]!, against: schema, path: "\(path).\(key)", old: old?[key])
            }
        default:
            break
        }
        for key in sortedKeys {
            guard let property = node.properties[key] else { continue }
            // The server owns apiVersion, kind and metadata of the resource itself; a schema may
            // still constrain metadata's name and generateName.
            if isRoot && (key == "apiVersion" || key == "kind") { continue }
            if isRoot && key == "metadata" && members[key]?.objectValue == nil { continue }
            validate(members[key]!, against: property, path: path.isEmpty ? key : "\(path).\(key)", old: old?[key])
        }
        for key in node.required where members[key] == nil {
            errors.append(.required(Self.field("\(path).\(key)")))
        }
    }
}
