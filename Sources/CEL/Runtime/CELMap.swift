import KubeModel

/// A CEL map or object: built entries, or a JSON object whose members convert on access.
public struct CELMap: Sendable {
    enum Storage: Sendable {
        case entries([(key: CELValue, value: CELValue)])
        case json([String: JSONValue], value: CELType)
        case object([String: JSONValue], ObjectType)
    }

    let storage: Storage

    init(entries: [(key: CELValue, value: CELValue)]) {
        storage = .entries(entries)
    }

    init(json: [String: JSONValue], value: CELType) {
        storage = .json(json, value: value)
    }

    init(json: [String: JSONValue], object: ObjectType) {
        storage = .object(json, object)
    }

    var object: ObjectType? {
        if case .object(_, let type) = storage { return type }
        return nil
    }

    var count: Int {
        switch storage {
        case .entries(let entries): return entries.count
        case .json(let members, _), .object(let members, _): return members.count
        }
    }

    /// Keys in a stable order (JSON members sorted, built maps in insertion order).
    var keys: [CELValue] {
        switch storage {
        case .entries(let entries): return entries.map(\.key)
        case .json(let members, _), .object(let members, _): return members.keys.sorted().map { .string($0) }
        }
    }

    /// The value at `key`; numeric keys match across int, uint and double as cel-go does.
    func value(for key: CELValue) -> CELValue? {
        switch storage {
        case .entries(let entries):
            return entries.first { CELValue.equal($0.key, key) }?.value
        case .json(let members, let type):
            guard case .string(let name) = key, let member = members[name] else { return nil }
            return CELValue(json: member, type: type)
        case .object(let members, let object):
            guard case .string(let name) = key, let member = members[object.jsonName(name)] else { return nil }
            return CELValue(json: member, type: object.fields[name] ?? .dyn)
        }
    }

    func contains(_ key: CELValue) -> Bool {
        switch storage {
        case .entries: return value(for: key) != nil
        case .json(let members, _):
            guard case .string(let name) = key else { return false }
            return members[name] != nil
        case .object(let members, let object):
            guard case .string(let name) = key else { return false }
            return members[object.jsonName(name)] != nil
        }
    }
}
