import KubeModel

/// Objects marked `x-kubernetes-embedded-resource` must carry apiVersion and kind, and valid
/// metadata labels and annotations (the server checks the resource's own root itself).
enum EmbeddedResourceValidation {
    static func validateMembers(_ members: [String: JSONValue], schema: SchemaNode, path: String, isRoot: Bool = false,
                                into errors: inout [FieldError]) {
        if schema.embeddedResource && !isRoot {
            checkEmbedded(members, path: path, into: &errors)
        }
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
            guard let itemSchema = schema.items else { return }
            for (index, item) in items.enumerated() {
                validate(item, schema: itemSchema, path: "\(path)[\(index)]", into: &errors)
            }
        default:
            break
        }
    }

    private static func checkEmbedded(_ members: [String: JSONValue], path: String, into errors: inout [FieldError]) {
        if members["apiVersion"] == nil { errors.append(.required("\(path).apiVersion")) }
        if members["kind"] == nil { errors.append(.required("\(path).kind")) }
        if let apiVersion = members["apiVersion"] {
            if case .string(let text) = apiVersion {
                if text.isEmpty {
                    errors.append(.invalid("\(path).apiVersion", apiVersion, "must not be empty"))
                } else if text.split(separator: "/", omittingEmptySubsequences: false).count > 2 {
                    errors.append(.invalid("\(path).apiVersion", apiVersion, "unexpected GroupVersion string: \(text)"))
                }
            } else {
                errors.append(.invalid("\(path).apiVersion", apiVersion, "must be a string"))
            }
        }
        if let kind = members["kind"] {
            if case .string(let text) = kind {
                if text.isEmpty {
                    errors.append(.invalid("\(path).kind", kind, "must not be empty"))
                } else {
                    let problems = NameValidation.dns1035Label(text.lowercased())
                    if !problems.isEmpty {
                        errors.append(.invalid("\(path).kind", kind, "may have mixed case, but should otherwise match: " + problems.joined(separator: ",")))
                    }
                }
            } else {
                errors.append(.invalid("\(path).kind", kind, "must be a string"))
            }
        }
        if let metadata = members["metadata"] {
            errors.append(contentsOf: NameValidation.validateLabels(metadata["labels"], field: "\(path).metadata.labels"))
            errors.append(contentsOf: NameValidation.validateAnnotations(metadata["annotations"], field: "\(path).metadata.annotations"))
        }
    }
}
