import KubeModel

/// The fields a built-in kind's Go types declare, from the same descriptor tables the protobuf
/// decoder uses: what the real server's JSON decoding keeps, and what `fieldValidation` reports.
public enum KnownFields {
    /// The object with members its kind does not declare removed, and their paths as the real
    /// server's strict decoder names them (`spec.containers[0].foo`), sorted. nil for a kind
    /// without descriptors (custom resources are their schema's business).
    public static func pruning(_ object: JSONValue) -> (pruned: JSONValue, unknown: [String])? {
        let apiVersion = object["apiVersion"]?.stringValue ?? ""
        let kind = object["kind"]?.stringValue ?? ""
        guard let root = DescriptorTable.shared.roots[DescriptorTable.rootKey(apiVersion: apiVersion, kind: kind)],
              case .object(let members) = object else { return nil }
        var unknown: [String] = []
        let pruned = Walker.shared.prune(members, message: root, path: "", unknown: &unknown, root: true)
        return (.object(pruned), unknown.sorted())
    }

    private struct Walker {
        /// Built once: every write of a built-in kind walks it.
        static let shared = Walker(table: DescriptorTable.shared)

        let table: DescriptorTable
        /// JSON member name → field, per message, with inlined embedded messages flattened.
        let fieldsByName: [String: [String: FieldDescriptor]]

        init(table: DescriptorTable) {
            self.table = table
            var flattened: [String: [String: FieldDescriptor]] = [:]
            func fields(of message: String) -> [String: FieldDescriptor] {
                if let known = flattened[message] { return known }
                var result: [String: FieldDescriptor] = [:]
                for field in (table.messages[message]?.fields ?? [:]).values {
                    if field.isInline, case .message(let embedded) = field.type {
                        result.merge(fields(of: embedded)) { first, _ in first }
                    } else {
                        result[field.jsonName] = field
                    }
                }
                flattened[message] = result
                return result
            }
            for message in table.messages.keys { _ = fields(of: message) }
            fieldsByName = flattened
        }

        func prune(_ members: [String: JSONValue], message: String, path: String,
                   unknown: inout [String], root: Bool = false) -> [String: JSONValue] {
            let known = fieldsByName[message] ?? [:]
            var kept: [String: JSONValue] = [:]
            for (name, value) in members {
                let here = path.isEmpty ? name : "\(path).\(name)"
                if root, name == "apiVersion" || name == "kind" {
                    kept[name] = value
                    continue
                }
                guard let field = known[name] else {
                    unknown.append(here)
                    continue
                }
                kept[name] = prune(value, field: field, path: here, unknown: &unknown)
            }
            return kept
        }

        private func prune(_ value: JSONValue, field: FieldDescriptor, path: String, unknown: inout [String]) -> JSONValue {
            guard case .message(let name) = field.type, WellKnownType(messageName: name) == nil else { return value }
            switch (field.shape, value) {
            case (.single, _):
                return pruneMessage(value, name: name, path: path, unknown: &unknown)
            case (.repeated, .array(let items)):
                return .array(items.enumerated().map { index, item in
                    pruneMessage(item, name: name, path: "\(path)[\(index)]", unknown: &unknown)
                })
            case (.map, .object(let entries)):
                var result: [String: JSONValue] = [:]
                for (key, item) in entries {
                    result[key] = pruneMessage(item, name: name, path: "\(path).\(key)", unknown: &unknown)
                }
                return .object(result)
            default:
                return value
            }
        }

        /// A message value: an object of fields, or a named slice's bare array.
        private func pruneMessage(_ value: JSONValue, name: String, path: String, unknown: inout [String]) -> JSONValue {
            if let element = table.messages[name]?.listElement {
                guard case .array(let items) = value, case .message(let elementName) = element,
                      WellKnownType(messageName: elementName) == nil else { return value }
                return .array(items.enumerated().map { index, item in
                    pruneMessage(item, name: elementName, path: "\(path)[\(index)]", unknown: &unknown)
                })
            }
            guard case .object(let members) = value else { return value }
            return .object(prune(members, message: name, path: path, unknown: &unknown))
        }
    }
}
