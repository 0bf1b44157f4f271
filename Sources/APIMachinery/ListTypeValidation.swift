import KubeModel

/// `x-kubernetes-list-type: set | map` uniqueness, checked after the OpenAPI validation with
/// the API server's paths (`spec.ports[1]`, map values as `spec.map[key]`) and messages.
enum ListTypeValidation {
    static func validateMembers(_ members: [String: JSONValue], schema: SchemaNode, path: String, isRoot: Bool = false,
                                into errors: inout [FieldError]) {
        for key in members.keys.sorted() {
            if let property = schema.properties[key] {
                validate(members[key]!, schema: property, path: path.isEmpty ? key : "\(path).\(key)", into: &errors)
            } else if let additional = schema.additionalPropertiesSchema {
                validate(members[key]!, schema: additional, path: path.isEmpty ? "[\(key)]" : "\(path)[\(key)]", into: &errors)
            }
        }
    }

    private static func validate(_ value: JSONValue, schema: SchemaNode, path: String, into errors: inout [FieldError]) {
        switch value {
        case .object(let members):
            validateMembers(members, schema: schema, path: path, into: &errors)
        case .array(let items):
            switch schema.listType {
            case "set":
                for index in duplicateIndices(items) {
                    errors.append(.duplicate("\(path)[\(index)]", items[index]))
                }
            case "map":
                errors.append(contentsOf: mapErrors(items, keys: schema.listMapKeys, path: path))
            default:
                break
            }
            if let itemSchema = schema.items {
                for (index, item) in items.enumerated() {
                    validate(item, schema: itemSchema, path: "\(path)[\(index)]", into: &errors)
                }
            }
        default:
            break
        }
    }

    /// The index of the second occurrence of each value that appears more than once.
    private static func duplicateIndices(_ items: [JSONValue]) -> [Int] {
        var seen: [String: Int] = [:]
        var indices: [Int] = []
        for (index, item) in items.enumerated() {
            // Typed text, so that 1 and "1" stay apart while 1 and 1.0 meet as in Go's decoding.
            let key = item.typeName == "number" && item.intValue != nil ? "integer:\(item.intValue!)" : "\(item.typeName):\(GoFormatting.json(item))"
            let count = seen[key, default: 0]
            if count == 1 { indices.append(index) }
            seen[key] = count + 1
        }
        return indices
    }

    private static func mapErrors(_ items: [JSONValue], keys: [String], path: String) -> [FieldError] {
        for (index, item) in items.enumerated() where !item.isNull && item.objectValue == nil {
            return [.invalid("\(path)[\(index)]", item, "must be an object for an array of list-type map")]
        }
        guard items.count > 1 else { return [] }
        let keyValues: [JSONValue] = items.map { item in
            var key: [String: JSONValue] = [:]
            for name in keys {
                if let value = item[name] { key[name] = value }
            }
            return .object(key)
        }
        return duplicateIndices(keyValues).map { FieldError.duplicate("\(path)[\($0)]", keyValues[$0]) }
    }
}
