import KubeModel

/// The shape knowledge server-side apply needs at one node: how its lists merge and which of
/// its objects are atomic, read from `PatchStrategies`.
struct ApplyShape {
    let tags: PatchStrategies.Field

    static func root(_ strategies: PatchStrategies) -> ApplyShape {
        ApplyShape(tags: PatchStrategies.Field(element: strategies))
    }

    var isAtomicObject: Bool { tags.isAtomic || tags.strategy == .replace }
    var isAtomicList: Bool { !tags.strategy.mergesLists }

    func member(_ name: String) -> ApplyShape {
        ApplyShape(tags: tags.element?.field(name) ?? PatchStrategies.Field())
    }

    /// List elements share the member strategies of the list's element type.
    var item: ApplyShape { ApplyShape(tags: PatchStrategies.Field(element: tags.element)) }

    /// Key fields that Kubernetes' schemas default when an element omits them.
    private static let keyDefaults: [String: JSONValue] = ["protocol": "TCP"]

    /// How an element of this (non-atomic) list is named: by its key fields, by its value, or
    /// by position when it has no key at all.
    func element(_ item: JSONValue, at index: Int) -> PathElement {
        if tags.mergeKeys.isEmpty {
            return item.objectValue == nil && item.arrayValue == nil ? .value(item) : .index(index)
        }
        guard case .object(let members) = item else { return .index(index) }
        var key: [String: JSONValue] = [:]
        for name in tags.mergeKeys {
            if let value = members[name] ?? Self.keyDefaults[name] { key[name] = value }
        }
        return key.isEmpty ? .index(index) : .key(key)
    }
}

/// The fields an applied configuration sets (structured-merge-diff's ToFieldSet): every scalar,
/// every list element (as a member, so keyed elements carry `.`), atomic lists and objects as
/// a whole, and objects only when empty or null.
enum ApplyFieldSetBuilder {
    static func fieldSet(of value: JSONValue, shape: ApplyShape) -> FieldSet {
        var set = FieldSet()
        build(value, shape: shape, path: [], into: &set)
        return set
    }

    private static func build(_ value: JSONValue, shape: ApplyShape, path: [PathElement], into set: inout FieldSet) {
        switch value {
        case .object(let members):
            if shape.isAtomicObject {
                set.insert(path[...])
                return
            }
            for (name, member) in members {
                let childPath = path + [.field(name)]
                build(member, shape: shape.member(name), path: childPath, into: &set)
                if member.isNull || member.objectValue?.isEmpty == true { set.insert(childPath[...]) }
            }
        case .array(let items):
            if shape.isAtomicList {
                set.insert(path[...])
                return
            }
            for (index, item) in items.enumerated() {
                let childPath = path + [shape.element(item, at: index)]
                build(item, shape: shape.item, path: childPath, into: &set)
                set.insert(childPath[...])
            }
        default:
            set.insert(path[...])
        }
    }
}

/// What changed between two versions of an object, path by path (structured-merge-diff's
/// Compare): scalars and atomic values as leaves, objects and list elements that appear or
/// disappear as nodes too.
struct ApplyComparison {
    var added = FieldSet()
    var modified = FieldSet()
    var removed = FieldSet()

    init(from old: JSONValue?, to new: JSONValue?, shape: ApplyShape) {
        compare(old, new, shape: shape, path: [])
    }

    var changed: FieldSet { added.union(modified) }

    private mutating func leaf(_ old: JSONValue?, _ new: JSONValue?, path: [PathElement]) {
        guard !path.isEmpty else { return }
        switch (old, new) {
        case (nil, .some): added.insert(path[...])
        case (.some, nil): removed.insert(path[...])
        case let (a?, b?) where a != b:
            modified.insert(path[...])
        default: break
        }
    }

    private mutating func node(_ old: JSONValue?, _ new: JSONValue?, path: [PathElement]) {
        guard !path.isEmpty else { return }
        if old == nil && new != nil { added.insert(path[...]) }
        if old != nil && new == nil { removed.insert(path[...]) }
    }

    private mutating func compare(_ old: JSONValue?, _ new: JSONValue?, shape: ApplyShape, path: [PathElement]) {
        if old == nil && new == nil { return }
        let oldKind = old.map { $0.isNull ? "null" : $0.typeName }
        let newKind = new.map { $0.isNull ? "null" : $0.typeName }
        let isObject = (oldKind == "object" || oldKind == nil || oldKind == "null") && (newKind == "object" || newKind == nil || newKind == "null")
            && (oldKind == "object" || newKind == "object")
        let isArray = (oldKind == "array" || oldKind == nil || oldKind == "null") && (newKind == "array" || newKind == nil || newKind == "null")
            && (oldKind == "array" || newKind == "array")
        if isObject {
            let left = old?.objectValue ?? [:]
            let right = new?.objectValue ?? [:]
            if shape.isAtomicObject || (left.isEmpty && right.isEmpty) {
                leaf(old, new, path: path)
                return
            }
            for name in Set(left.keys).union(right.keys) {
                compare(left[name], right[name], shape: shape.member(name), path: path + [.field(name)])
            }
            node(old, new, path: path)
        } else if isArray {
            let left = old?.arrayValue ?? []
            let right = new?.arrayValue ?? []
            if shape.isAtomicList || (left.isEmpty && right.isEmpty) {
                leaf(old, new, path: path)
                return
            }
            var leftItems: [PathElement: JSONValue] = [:]
            var order: [PathElement] = []
            for (index, item) in left.enumerated() {
                let element = shape.element(item, at: index)
                if leftItems[element] == nil { leftItems[element] = item; order.append(element) }
            }
            var rightItems: [PathElement: JSONValue] = [:]
            for (index, item) in right.enumerated() {
                let element = shape.element(item, at: index)
                if rightItems[element] == nil { rightItems[element] = item; if leftItems[element] == nil { order.append(element) } }
            }
            for element in order {
                compare(leftItems[element], rightItems[element], shape: shape.item, path: path + [element])
            }
            node(old, new, path: path)
        } else {
            leaf(old, new, path: path)
        }
    }
}
