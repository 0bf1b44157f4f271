import KubeModel

/// Merging an applied configuration into the live object (structured-merge-diff's Merge):
/// objects member by member, keyed lists and sets element by element, atomic values replaced.
enum ApplyMerge {
    static func merge(_ live: JSONValue?, _ config: JSONValue?, shape: ApplyShape) -> JSONValue? {
        guard let config else { return live }
        guard let live else { return config }
        switch (live, config) {
        case (.object(let left), .object(let right)):
            if shape.isAtomicObject { return config }
            var result = left
            for (name, value) in right {
                result[name] = merge(left[name], value, shape: shape.member(name))
            }
            return .object(result)
        case (.array(let left), .array(let right)):
            if shape.isAtomicList { return config }
            return .array(mergeItems(left, right, shape: shape))
        default:
            return config
        }
    }

    /// Keeps live-only elements where they were and the configuration's elements in its order,
    /// the way structured-merge-diff interleaves them.
    private static func mergeItems(_ left: [JSONValue], _ right: [JSONValue], shape: ApplyShape) -> [JSONValue] {
        let leftElements = left.enumerated().map { shape.element($0.element, at: $0.offset) }
        let rightElements = right.enumerated().map { shape.element($0.element, at: $0.offset) }
        var leftByElement: [PathElement: JSONValue] = [:]
        for (element, item) in zip(leftElements, left) where leftByElement[element] == nil { leftByElement[element] = item }
        var rightByElement: [PathElement: JSONValue] = [:]
        for (element, item) in zip(rightElements, right) where rightByElement[element] == nil { rightByElement[element] = item }

        var shared = rightElements.filter { leftByElement[$0] != nil }[...]
        var merged: Set<PathElement> = []
        var out: [JSONValue] = []
        var l = 0
        var r = 0
        func mergeItem(_ element: PathElement) -> JSONValue? {
            merge(leftByElement[element], rightByElement[element], shape: shape.item)
        }
        while l < leftElements.count || r < rightElements.count {
            if l < leftElements.count && r < rightElements.count {
                let element = leftElements[l]
                if element == rightElements[r] {
                    merged.insert(element)
                    if let item = mergeItem(element) { out.append(item) }
                    l += 1
                    r += 1
                    if shared.first == element { shared = shared.dropFirst() }
                    continue
                }
                if rightByElement[element] != nil, let next = shared.first, next != element {
                    l += 1
                    continue
                }
            }
            if l < leftElements.count {
                let element = leftElements[l]
                if rightByElement[element] == nil {
                    out.append(left[l])
                    l += 1
                    continue
                } else if merged.contains(element) {
                    l += 1
                    continue
                }
            }
            if r < rightElements.count {
                let element = rightElements[r]
                merged.insert(element)
                if let item = mergeItem(element) { out.append(item) }
                r += 1
                if shared.first == element { shared = shared.dropFirst() }
            }
        }
        return out
    }
}

/// Removing what a manager applied before and no longer applies, unless someone else owns it
/// (structured-merge-diff's prune: remove the last applied set, add back owned and unmanaged
/// items).
enum ApplyPrune {
    /// `previous` is the manager's last applied set; `owned` the union of every manager's current
    /// set (including the new applied set). Returns nil when nothing of `value` survives.
    static func prune(_ value: JSONValue, previous: FieldSet, owned: FieldSet, shape: ApplyShape) -> JSONValue {
        switch value {
        case .object(let members):
            var result: [String: JSONValue] = [:]
            for (name, member) in members {
                let element = PathElement.field(name)
                if let kept = keep(member, element: element, previous: previous, owned: owned, shape: shape.member(name)) {
                    result[name] = kept
                }
            }
            return .object(result)
        case .array(let items):
            var result: [JSONValue] = []
            for (index, item) in items.enumerated() {
                let element = shape.element(item, at: index)
                if let kept = keep(item, element: element, previous: previous, owned: owned, shape: shape.item) {
                    result.append(kept)
                }
            }
            return .array(result)
        default:
            return value
        }
    }

    private static func keep(_ value: JSONValue, element: PathElement, previous: FieldSet, owned: FieldSet,
                             shape: ApplyShape) -> JSONValue? {
        let wasApplied = previous.members.contains(element) || previous.children[element] != nil
        // Not applied before: nobody is taking it away.
        guard wasApplied else { return value }
        if owned.members.contains(element) { return value }
        guard let previousChild = previous.children[element] else { return nil }
        let ownedChild = owned.children[element] ?? FieldSet()
        switch value {
        case .object(let members):
            let pruned = prune(value, previous: previousChild, owned: ownedChild, shape: shape)
            // The object goes when everything the manager had in it went and nothing else is left.
            if pruned.objectValue?.isEmpty == true && !members.isEmpty { return nil }
            if pruned.objectValue?.isEmpty == true && ownedChild.isEmpty { return nil }
            // A keyed list item that stays (another manager owns part of it) keeps its key fields:
            // they are its identity, whoever applied them.
            if element.kind == .key, case .object(var kept) = pruned,
               let keyFields = try? JSONValue(parsing: String(element.text.dropFirst(2))).objectValue {
                for name in keyFields.keys { kept[name] = members[name] }
                return .object(kept)
            }
            return pruned
        case .array:
            let pruned = prune(value, previous: previousChild, owned: ownedChild, shape: shape)
            return pruned.arrayValue?.isEmpty == true && ownedChild.isEmpty ? nil : pruned
        default:
            return nil
        }
    }
}
