import KubeModel

extension StructuralSchema {
    /// Applies `default`s as the API server does when it reads a request or a stored object:
    /// nulls of non-nullable fields without a default are dropped, then every missing field
    /// with a default is set (and a non-nullable null is replaced by the default), recursing into
    /// objects, array items and additionalProperties values, including freshly defaulted ones.
    public func applyingDefaults(_ object: JSONValue) -> JSONValue {
        var result = object
        SchemaDefaulting.pruneNonNullableNulls(&result, root)
        SchemaDefaulting.applyDefaults(&result, root)
        return result
    }
}

enum SchemaDefaulting {
    private static func isNonNullableNull(_ value: JSONValue?, _ schema: SchemaNode?) -> Bool {
        guard let value, let schema else { return false }
        return value.isNull && !schema.nullable
    }

    static func applyDefaults(_ value: inout JSONValue, _ schema: SchemaNode?) {
        guard let schema else { return }
        switch value {
        case .object(var members):
            for (name, property) in schema.properties {
                guard let defaultValue = property.defaultValue else { continue }
                if members[name] == nil || isNonNullableNull(members[name], property) {
                    members[name] = defaultValue
                }
            }
            for key in Array(members.keys) {
                var member = members.removeValue(forKey: key)!
                if let property = schema.properties[key] {
                    applyDefaults(&member, property)
                } else if let additional = schema.additionalPropertiesSchema {
                    if isNonNullableNull(member, additional), let defaultValue = additional.defaultValue {
                        member = defaultValue
                    }
                    applyDefaults(&member, additional)
                }
                members[key] = member
            }
            value = .object(members)
        case .array(var items):
            guard let itemSchema = schema.items else { return }
            for index in items.indices {
                if isNonNullableNull(items[index], itemSchema), let defaultValue = itemSchema.defaultValue {
                    items[index] = defaultValue
                }
                applyDefaults(&items[index], itemSchema)
            }
            value = .array(items)
        default:
            break
        }
    }

    /// Drops object members that are null where the schema says neither nullable nor default.
    static func pruneNonNullableNulls(_ value: inout JSONValue, _ schema: SchemaNode?) {
        switch value {
        case .object(var members):
            for key in Array(members.keys) {
                let memberSchema = schema?.schema(forMember: key)
                var member = members.removeValue(forKey: key)!
                if let memberSchema, member.isNull, !memberSchema.nullable, memberSchema.defaultValue == nil {
                    continue
                }
                pruneNonNullableNulls(&member, memberSchema)
                members[key] = member
            }
            value = .object(members)
        case .array(var items):
            for index in items.indices {
                pruneNonNullableNulls(&items[index], schema?.items)
            }
            value = .array(items)
        default:
            break
        }
    }
}
