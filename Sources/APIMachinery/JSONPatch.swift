import KubeModel

/// JSON patch (RFC 6902, `application/json-patch+json`): `add`, `remove`, `replace`, `move`,
/// `copy` and `test`, applied in order, all or nothing.
///
/// Behaves as the library the API server uses (evanphx/json-patch v4), quirks included, so the
/// same patch succeeds or fails the same way: negative array indices count from the end,
/// `replace` of a missing object member adds it, and error messages match word for word.
public enum JSONPatch {
    public static func apply(_ patch: JSONValue, to target: JSONValue) throws(PatchError) -> JSONValue {
        guard case .array(let operations) = patch else {
            throw PatchError("json: cannot unmarshal \(goTypeName(patch)) into Go value of type jsonpatch.Patch", isMalformed: true)
        }
        var document = target
        for operation in operations {
            guard case .object(let fields) = operation else {
                throw PatchError("json: cannot unmarshal \(goTypeName(operation)) into Go value of type jsonpatch.Operation", isMalformed: true)
            }
            try applyOperation(fields, to: &document)
        }
        return document
    }

    private static func goTypeName(_ value: JSONValue) -> String {
        switch value {
        case .object: return "object"
        case .array: return "array"
        case .string: return "string"
        case .int, .double: return "number"
        case .bool: return "bool"
        case .null: return "null"
        }
    }

    private static func applyOperation(_ fields: [String: JSONValue], to document: inout JSONValue) throws(PatchError) {
        let kind = fields["op"]?.stringValue ?? "unknown"
        // A member present as `null` and one absent both mean "no value" to the Go library.
        let value: JSONValue = fields["value"] ?? .null
        switch kind {
        case "add":
            guard let path = fields["path"]?.stringValue else { throw PatchError("add operation failed to decode path: missing value") }
            try add(value, at: path, in: &document, failure: "add operation does not apply: doc is missing path: \"\(path)\": missing value",
                    wrap: "error in add for path: '\(path)': ")
        case "remove":
            guard let path = fields["path"]?.stringValue else { throw PatchError("remove operation failed to decode path: missing value") }
            let found = try withParent(of: path, in: &document) { (container: inout JSONValue, key: String) throws(PatchError) in
                do throws(PatchError) {
                    _ = try remove(key, from: &container)
                } catch {
                    throw PatchError("error in remove for path: '\(path)': \(error.message)")
                }
            }
            if !found { throw PatchError("remove operation does not apply: doc is missing path: \"\(path)\": missing value") }
        case "replace":
            guard let path = fields["path"]?.stringValue else { throw PatchError("replace operation failed to decode path: operation missing path field: missing value") }
            if path.isEmpty {
                guard value.objectValue != nil || value.arrayValue != nil else {
                    throw PatchError("replace operation value must be object or array: %!w(<nil>)")
                }
                document = value
                return
            }
            let found = try withParent(of: path, in: &document) { (container: inout JSONValue, key: String) throws(PatchError) in
                if case .array(var items) = container {
                    guard let index = arrayIndex(key, count: items.count, allowEnd: false) else {
                        throw PatchError("replace operation does not apply: doc is missing key: \(path): missing value")
                    }
                    items[index] = value
                    container = .array(items)
                } else {
                    container[key] = value
                }
            }
            if !found { throw PatchError("replace operation does not apply: doc is missing path: \(path): missing value") }
        case "move":
            guard let from = fields["from"]?.stringValue else { throw PatchError("move operation failed to decode from: operation, missing from field: missing value") }
            var moved: JSONValue = .null
            let foundFrom = try withParent(of: from, in: &document) { (container: inout JSONValue, key: String) throws(PatchError) in
                do throws(PatchError) {
                    moved = try get(key, in: container)
                    _ = try remove(key, from: &container)
                } catch {
                    throw PatchError("error in move for path: '\(key)': \(error.message)")
                }
            }
            if !foundFrom { throw PatchError("move operation does not apply: doc is missing from path: \(from): missing value") }
            guard let path = fields["path"]?.stringValue else { throw PatchError("move operation failed to decode path: operation missing path field: missing value") }
            try add(moved, at: path, in: &document, failure: "move operation does not apply: doc is missing destination path: \(path): missing value",
                    wrap: "error in move for path: '\(path)': ")
        case "copy":
            guard let from = fields["from"]?.stringValue else { throw PatchError("copy operation failed to decode from: operation, missing from field: missing value") }
            var copied: JSONValue = .null
            let foundFrom = try withParent(of: from, in: &document) { (container: inout JSONValue, key: String) throws(PatchError) in
                do throws(PatchError) {
                    copied = try get(key, in: container)
                } catch {
                    throw PatchError("error in copy for from: '\(from)': \(error.message)")
                }
            }
            if !foundFrom { throw PatchError("copy operation does not apply: doc is missing from path: \(from): missing value") }
            guard let path = fields["path"]?.stringValue else { throw PatchError("copy operation failed to decode path: missing value") }
            try add(copied, at: path, in: &document, failure: "copy operation does not apply: doc is missing destination path: \(path): missing value",
                    wrap: "error while adding value during copy: ")
        case "test":
            guard let path = fields["path"]?.stringValue else { throw PatchError("test operation failed to decode path: operation missing path field: missing value") }
            if path.isEmpty {
                if !sameJSON(document, value) { throw PatchError("testing value \(path) failed: test failed") }
                return
            }
            var actual: JSONValue?
            let found = try withParent(of: path, in: &document) { (container: inout JSONValue, key: String) throws(PatchError) in
                do throws(PatchError) {
                    actual = try get(key, in: container)
                } catch {
                    throw PatchError("error in test for path: '\(path)': \(error.message)")
                }
            }
            if !found { throw PatchError("test operation does not apply: is missing path: \(path): missing value") }
            if !sameJSON(actual ?? .null, value) { throw PatchError("testing value \(path) failed: test failed") }
        default:
            throw PatchError("Unexpected kind: \(kind)")
        }
    }

    /// Equality for `test`, as the library compares documents: structurally, with an integer
    /// never equal to a fractional number (`1` is not `1.0`).
    static func sameJSON(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case let (.object(x), .object(y)):
            return x.count == y.count && x.allSatisfy { key, value in y[key].map { sameJSON(value, $0) } ?? false }
        case let (.array(x), .array(y)):
            return x.count == y.count && zip(x, y).allSatisfy(sameJSON)
        default:
            return a.typeName == b.typeName && a == b
        }
    }

    private static func add(_ value: JSONValue, at path: String, in document: inout JSONValue,
                            failure: String, wrap: String) throws(PatchError) {
        let found = try withParent(of: path, in: &document) { (container: inout JSONValue, key: String) throws(PatchError) in
            if case .array(var items) = container {
                guard key == "-" || Int(key) != nil else {
                    throw PatchError(wrap + "value was not a proper array index: '\(key)': strconv.Atoi: parsing \(GoFormatting.quote(key)): invalid syntax")
                }
                guard let index = arrayIndex(key, count: items.count, allowEnd: true) else {
                    throw PatchError(wrap + "Unable to access invalid index: \(key): invalid index referenced")
                }
                items.insert(value, at: index)
                container = .array(items)
            } else {
                container[key] = value
            }
        }
        if !found { throw PatchError(failure) }
    }

    /// An index into an array of `count` items: a decimal (negative counts from the end), or `-`
    /// for the end when adding.
    private static func arrayIndex(_ key: String, count: Int, allowEnd: Bool) -> Int? {
        if key == "-" { return allowEnd ? count : nil }
        guard var index = Int(key) else { return nil }
        let limit = allowEnd ? count + 1 : count
        if index < 0 {
            guard index >= -limit else { return nil }
            index += limit
        }
        return index < limit ? index : nil
    }

    private static func get(_ key: String, in container: JSONValue) throws(PatchError) -> JSONValue {
        switch container {
        case .array(let items):
            guard let index = arrayIndex(key, count: items.count, allowEnd: false) else {
                throw PatchError("Unable to access invalid index: \(key): invalid index referenced")
            }
            return items[index]
        default:
            return container[key] ?? .null
        }
    }

    private static func remove(_ key: String, from container: inout JSONValue) throws(PatchError) -> JSONValue {
        switch container {
        case .array(var items):
            guard let index = arrayIndex(key, count: items.count, allowEnd: false) else {
                throw PatchError("Unable to access invalid index: \(key): invalid index referenced")
            }
            let removed = items.remove(at: index)
            container = .array(items)
            return removed
        case .object(var members):
            guard let removed = members.removeValue(forKey: key) else {
                throw PatchError("Unable to remove nonexistent key: \(key): missing value")
            }
            container = .object(members)
            return removed
        default:
            throw PatchError("Unable to remove nonexistent key: \(key): missing value")
        }
    }

    /// Finds the object or array that holds the last token of `pointer` and lets `body` change it.
    /// Returns false when that container does not exist (the library's "doc is missing path").
    private static func withParent(of pointer: String, in document: inout JSONValue,
                                   _ body: (inout JSONValue, String) throws(PatchError) -> Void) throws(PatchError) -> Bool {
        guard let tokens = JSONPointer.tokens(pointer), let last = tokens.last else { return false }
        return try descend(&document, tokens[..<(tokens.count - 1)], last: last, body)
    }

    private static func descend(_ node: inout JSONValue, _ parents: ArraySlice<String>, last: String,
                                _ body: (inout JSONValue, String) throws(PatchError) -> Void) throws(PatchError) -> Bool {
        guard let token = parents.first else {
            switch node {
            case .object, .array:
                try body(&node, last)
                return true
            default:
                return false
            }
        }
        switch node {
        case .object(var members):
            guard var child = members.removeValue(forKey: token), !child.isNull else { return false }
            let found: Bool
            do {
                found = try descend(&child, parents.dropFirst(), last: last, body)
            } catch {
                members[token] = child
                node = .object(members)
                throw error
            }
            members[token] = child
            node = .object(members)
            return found
        case .array(var items):
            guard let index = arrayIndex(token, count: items.count, allowEnd: false), !items[index].isNull else { return false }
            var child = items[index]
            items[index] = .null
            let found: Bool
            do {
                found = try descend(&child, parents.dropFirst(), last: last, body)
            } catch {
                items[index] = child
                node = .array(items)
                throw error
            }
            items[index] = child
            node = .array(items)
            return found
        default:
            return false
        }
    }
}
