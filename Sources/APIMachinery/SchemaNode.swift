import KubeModel

/// One node of an `openAPIV3Schema` (a `JSONSchemaProps`), read once into typed fields.
final class SchemaNode: Sendable {
    enum AdditionalProperties: Sendable {
        case allowed(Bool)
        case schema(SchemaNode)
    }

    let raw: [String: JSONValue]
    let type: String?
    let format: String?
    let nullable: Bool
    let defaultValue: JSONValue?
    let enumValues: [JSONValue]?
    let maximum: Double?
    let exclusiveMaximum: Bool
    let minimum: Double?
    let exclusiveMinimum: Bool
    let multipleOf: Double?
    let maxLength: Int64?
    let minLength: Int64?
    let pattern: SchemaPattern?
    let maxItems: Int64?
    let minItems: Int64?
    let uniqueItems: Bool
    let maxProperties: Int64?
    let minProperties: Int64?
    let required: [String]
    let properties: [String: SchemaNode]
    let additionalProperties: AdditionalProperties?
    let items: SchemaNode?
    let allOf: [SchemaNode]
    let anyOf: [SchemaNode]
    let oneOf: [SchemaNode]
    let not: SchemaNode?
    let preserveUnknownFields: Bool
    let embeddedResource: Bool
    let intOrString: Bool
    let listType: String?
    let listMapKeys: [String]
    let mapType: String?

    /// Reads a node; malformed members (a string where a number belongs...) become errors at `path`.
    init(_ json: JSONValue, path: String, errors: inout [FieldError]) {
        let raw = json.objectValue ?? [:]
        if json.objectValue == nil {
            errors.append(.invalid(path, json, "must be an object"))
        }
        self.raw = raw

        func string(_ key: String) -> String? {
            guard let value = raw[key], !value.isNull else { return nil }
            if let text = value.stringValue { return text }
            errors.append(.typeInvalid("\(path).\(key)", value, "must be a string"))
            return nil
        }
        func bool(_ key: String) -> Bool {
            guard let value = raw[key], !value.isNull else { return false }
            if let flag = value.boolValue { return flag }
            errors.append(.typeInvalid("\(path).\(key)", value, "must be a boolean"))
            return false
        }
        func number(_ key: String) -> Double? {
            guard let value = raw[key], !value.isNull else { return nil }
            if let number = value.doubleValue { return number }
            errors.append(.typeInvalid("\(path).\(key)", value, "must be a number"))
            return nil
        }
        func integer(_ key: String) -> Int64? {
            guard let value = raw[key], !value.isNull else { return nil }
            if let number = value.intValue { return number }
            errors.append(.typeInvalid("\(path).\(key)", value, "must be an integer"))
            return nil
        }
        func strings(_ key: String) -> [String] {
            guard let value = raw[key], !value.isNull else { return [] }
            guard let items = value.arrayValue, items.allSatisfy({ $0.stringValue != nil }) else {
                errors.append(.typeInvalid("\(path).\(key)", value, "must be an array of strings"))
                return []
            }
            return items.compactMap(\.stringValue)
        }
        func schemas(_ key: String) -> [SchemaNode] {
            guard let value = raw[key], !value.isNull else { return [] }
            guard let items = value.arrayValue else {
                errors.append(.typeInvalid("\(path).\(key)", value, "must be an array of schemas"))
                return []
            }
            return items.enumerated().map { SchemaNode($0.element, path: "\(path).\(key)[\($0.offset)]", errors: &errors) }
        }

        type = string("type")
        format = string("format")
        nullable = bool("nullable")
        defaultValue = raw["default"]
        if let value = raw["enum"], !value.isNull {
            if let items = value.arrayValue {
                enumValues = items
            } else {
                errors.append(.typeInvalid("\(path).enum", value, "must be an array"))
                enumValues = nil
            }
        } else {
            enumValues = nil
        }
        maximum = number("maximum")
        exclusiveMaximum = bool("exclusiveMaximum")
        minimum = number("minimum")
        exclusiveMinimum = bool("exclusiveMinimum")
        multipleOf = number("multipleOf")
        maxLength = integer("maxLength")
        minLength = integer("minLength")
        if let source = string("pattern") {
            do {
                pattern = try SchemaPattern(source)
            } catch {
                errors.append(.invalid("\(path).pattern", .string(source), "must be a valid regular expression, but isn't: \(error)"))
                pattern = nil
            }
        } else {
            pattern = nil
        }
        maxItems = integer("maxItems")
        minItems = integer("minItems")
        uniqueItems = bool("uniqueItems")
        maxProperties = integer("maxProperties")
        minProperties = integer("minProperties")
        required = strings("required")

        var properties: [String: SchemaNode] = [:]
        if let value = raw["properties"], !value.isNull {
            if let members = value.objectValue {
                for (name, schema) in members {
                    properties[name] = SchemaNode(schema, path: "\(path).properties[\(name)]", errors: &errors)
                }
            } else {
                errors.append(.typeInvalid("\(path).properties", value, "must be an object"))
            }
        }
        self.properties = properties

        switch raw["additionalProperties"] {
        case nil, .null?: additionalProperties = nil
        case .bool(let allowed)?: additionalProperties = .allowed(allowed)
        case let schema?: additionalProperties = .schema(SchemaNode(schema, path: "\(path).additionalProperties", errors: &errors))
        }
        switch raw["items"] {
        case nil, .null?: items = nil
        case .array?:
            errors.append(.forbidden("\(path).items", "items must be a schema object and not an array"))
            items = nil
        case let schema?: items = SchemaNode(schema, path: "\(path).items", errors: &errors)
        }
        allOf = schemas("allOf")
        anyOf = schemas("anyOf")
        oneOf = schemas("oneOf")
        if let schema = raw["not"], !schema.isNull {
            not = SchemaNode(schema, path: "\(path).not", errors: &errors)
        } else {
            not = nil
        }
        preserveUnknownFields = bool("x-kubernetes-preserve-unknown-fields")
        embeddedResource = bool("x-kubernetes-embedded-resource")
        intOrString = bool("x-kubernetes-int-or-string")
        listType = string("x-kubernetes-list-type")
        listMapKeys = strings("x-kubernetes-list-map-keys")
        mapType = string("x-kubernetes-map-type")
    }

    /// The accepted JSON types: `integer,string` for int-or-string.
    var types: [String] {
        if intOrString { return ["integer", "string"] }
        return type.map { [$0] } ?? []
    }

    /// The schema for member `name` of an object: a declared property, else additionalProperties.
    func schema(forMember name: String) -> SchemaNode? {
        if let property = properties[name] { return property }
        if case .schema(let schema)? = additionalProperties { return schema }
        return nil
    }

    var additionalPropertiesSchema: SchemaNode? {
        if case .schema(let schema)? = additionalProperties { return schema }
        return nil
    }
}
