import KubeModel

/// Strategic merge patch (`application/strategic-merge-patch+json`), as the API server applies
/// it to built-in kinds: objects merge, lists merge by key or as sets where the kind's
/// `PatchStrategies` say so (new elements first, then the rest in their old order, as
/// Kubernetes orders them), other lists are replaced, `null` deletes. Directives: `$patch:
/// replace | delete` on objects and list elements, `$retainKeys`,
/// `$deleteFromPrimitiveList/<field>` and `$setElementOrder/<field>`.
public enum StrategicMergePatch {
    public static func apply(_ patch: JSONValue, to original: JSONValue, strategies: PatchStrategies) throws(PatchError) -> JSONValue {
        let patchMembers: [String: JSONValue]
        switch patch {
        case .object(let members): patchMembers = members
        case .null: patchMembers = [:]
        // The API server decodes a patch body into a map first, and says so in Go's words.
        default: throw PatchError("json: cannot unmarshal \(patch.typeName == "boolean" ? "bool" : patch.typeName) into Go value of type map[string]interface {}", isMalformed: true)
        }
        var merger = StrategicMerger()
        return .object(try merger.mergeMap(original.objectValue ?? [:], patchMembers, strategies))
    }
}

struct StrategicMerger {
    static let directiveMarker = "$patch"
    static let retainKeysDirective = "$retainKeys"
    static let deleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList/"
    static let setElementOrderPrefix = "$setElementOrder/"

    mutating func mergeMap(_ originalIn: [String: JSONValue], _ patchIn: [String: JSONValue],
                           _ strategies: PatchStrategies?) throws(PatchError) -> [String: JSONValue] {
        var original = originalIn
        var patch = patchIn
        if let directive = patch[Self.directiveMarker] {
            switch directive {
            case "replace":
                patch.removeValue(forKey: Self.directiveMarker)
                return Self.removeDirectives(.object(patch))?.objectValue ?? [:]
            case "delete":
                return [:]
            default:
                throw PatchError("unknown patch type: \(GoFormatting.value(directive)) in map: \(GoFormatting.value(.object(patch)))")
            }
        }
        try applyRetainKeys(&original, &patch)
        try applySetElementOrder(&original, &patch, strategies)

        for key in patch.keys.sorted() {
            let patchValue = patch[key]!
            var field = key
            var isDeleteList = false
            if key.hasPrefix(Self.deleteFromPrimitiveListPrefix) {
                field = String(key.dropFirst(Self.deleteFromPrimitiveListPrefix.count))
                guard !field.isEmpty else { throw PatchError("invalid patch format of primitive list", isMalformed: true) }
                isDeleteList = true
            }
            if patchValue.isNull {
                original.removeValue(forKey: field)
                continue
            }
            guard let originalValue = original[field], Self.sameKind(originalValue, patchValue) else {
                // A new member, or one whose type changes: the patch value, minus directives (an
                // object carrying `$patch` disappears). Its `$retainKeys` must still be well formed.
                if case .object(var members) = patchValue {
                    var none: [String: JSONValue] = [:]
                    try applyRetainKeys(&none, &members)
                }
                if !isDeleteList { original[field] = Self.newValue(patchValue) }
                continue
            }
            let tags = strategies?.field(field) ?? PatchStrategies.Field()
            switch (originalValue, patchValue) {
            case (.object(let originalMembers), .object(let patchMembers)):
                if tags.strategy == .replace {
                    original[field] = Self.removeDirectives(patchValue) ?? .object([:])
                } else {
                    original[field] = .object(try mergeMap(originalMembers, patchMembers, tags.element))
                }
            case (.array(let originalItems), .array(let patchItems)):
                if tags.strategy.mergesLists || isDeleteList {
                    original[field] = .array(try mergeSlice(originalItems, patchItems, tags, field: field, isDeleteList: isDeleteList))
                } else {
                    original[field] = Self.removeDirectives(patchValue) ?? .array([])
                }
            default:
                original[field] = patchValue
            }
        }
        return original
    }

    // MARK: Lists

    mutating func mergeSlice(_ originalIn: [JSONValue], _ patchIn: [JSONValue], _ tags: PatchStrategies.Field,
                                     field: String, isDeleteList: Bool) throws(PatchError) -> [JSONValue] {
        var original = originalIn
        var patch = patchIn
        if original.isEmpty && patch.isEmpty { return original }
        let elementKind = try Self.elementKind(original, patch)
        var merged: [JSONValue]
        let mergeKey = tags.mergeKey
        if elementKind != "object" {
            if isDeleteList {
                return original.filter { item in !patch.contains(item) }
            }
            merged = Self.uniqued(original + patch)
        } else {
            guard let mergeKey else { throw PatchError("cannot merge lists without merge key for \(field)") }
            (original, patch) = try Self.applySpecialElements(original, patch, mergeKey: mergeKey)
            merged = original
            for item in patch {
                let members = item.objectValue ?? [:]
                guard let keyValue = members[mergeKey] else { throw Self.noMergeKey(item, mergeKey) }
                if let index = merged.firstIndex(where: { $0[mergeKey].map { Self.goEqual($0, keyValue) } ?? false }) {
                    merged[index] = .object(try mergeMap(merged[index].objectValue ?? [:], members, tags.element))
                } else {
                    merged.append(item)
                }
            }
        }
        let (patchItems, serverOnly) = try Self.partition(merged, by: patch, mergeKey: elementKind == "object" ? mergeKey : nil)
        return try Self.normalizeOrder(patchItems, serverOnly, patchOrder: patch, serverOrder: original,
                                       mergeKey: elementKind == "object" ? mergeKey : nil)
    }

    /// `{"$patch": "delete", key: v}` removes matching elements; `{"$patch": "replace"}` makes the
    /// rest of the patch list the whole list.
    private static func applySpecialElements(_ originalIn: [JSONValue], _ patch: [JSONValue],
                                             mergeKey: String) throws(PatchError) -> ([JSONValue], [JSONValue]) {
        var original = originalIn
        var plain: [JSONValue] = []
        var replace = false
        for item in patch {
            guard let directive = item[directiveMarker] else {
                plain.append(item)
                continue
            }
            switch directive {
            case "delete":
                guard let keyValue = item[mergeKey] else { throw noMergeKey(item, mergeKey) }
                original.removeAll { $0[mergeKey].map { goEqual($0, keyValue) } ?? false }
            case "replace":
                replace = true
            case "merge":
                throw PatchError("merging lists cannot yet be specified in the patch")
            default:
                throw PatchError("unknown patch type: \(GoFormatting.value(directive)) in map: \(GoFormatting.value(item))")
            }
        }
        return replace ? (plain, []) : (original, plain)
    }

    /// Splits `merged` into the elements named in `list` and the ones only the server had.
    static func partition(_ merged: [JSONValue], by list: [JSONValue],
                                  mergeKey: String?) throws(PatchError) -> ([JSONValue], [JSONValue]) {
        var inPatch: [JSONValue] = []
        var serverOnly: [JSONValue] = []
        for item in merged {
            if let mergeKey {
                guard let keyValue = item[mergeKey] else { throw noMergeKey(item, mergeKey) }
                if list.contains(where: { $0[mergeKey].map { goEqual($0, keyValue) } ?? false }) {
                    inPatch.append(item)
                } else {
                    serverOnly.append(item)
                }
            } else if list.contains(where: { goEqual($0, item) }) {
                inPatch.append(item)
            } else {
                serverOnly.append(item)
            }
        }
        return (inPatch, serverOnly)
    }

    private static func position(of item: JSONValue, in list: [JSONValue], mergeKey: String?) -> Int? {
        let key = mergeKey.map { item[$0] ?? .null } ?? item
        return list.firstIndex { candidate in
            let candidateKey = mergeKey.map { candidate[$0] ?? .null } ?? candidate
            return goEqual(candidateKey, key)
        }
    }

    /// Patch elements in patch order, server-only elements in server order, interleaved the way
    /// Kubernetes does: a server element goes first only when both are known to the server and
    /// it came earlier there, so brand-new elements lead.
    static func normalizeOrder(_ patchItems: [JSONValue], _ serverOnly: [JSONValue], patchOrder: [JSONValue],
                                       serverOrder: [JSONValue], mergeKey: String?) throws(PatchError) -> [JSONValue] {
        if let mergeKey {
            for item in patchItems + serverOnly + patchOrder + serverOrder where item[mergeKey] == nil {
                throw noMergeKey(item, mergeKey)
            }
        }
        let right = stableSorted(patchItems, by: patchOrder, mergeKey: mergeKey)
        let left = stableSorted(serverOnly, by: serverOrder, mergeKey: mergeKey)
        var result: [JSONValue] = []
        result.reserveCapacity(left.count + right.count)
        var i = 0
        var j = 0
        while i < left.count || j < right.count {
            if i >= left.count {
                result.append(right[j]); j += 1
            } else if j >= right.count {
                result.append(left[i]); i += 1
            } else if let li = position(of: left[i], in: serverOrder, mergeKey: mergeKey),
                      let ri = position(of: right[j], in: serverOrder, mergeKey: mergeKey), li < ri {
                result.append(left[i]); i += 1
            } else {
                result.append(right[j]); j += 1
            }
        }
        return result
    }

    private static func stableSorted(_ items: [JSONValue], by order: [JSONValue], mergeKey: String?) -> [JSONValue] {
        // Elements `$patch: delete` go last, as Kubernetes keeps them out of the sort.
        let keep = items.filter { $0[directiveMarker] == nil }
        let deletes = items.filter { $0[directiveMarker] != nil }
        let sorted = keep.enumerated().sorted { a, b in
            let pa = position(of: a.element, in: order, mergeKey: mergeKey) ?? Int.max
            let pb = position(of: b.element, in: order, mergeKey: mergeKey) ?? Int.max
            return pa != pb ? pa < pb : a.offset < b.offset
        }.map(\.element)
        return sorted + deletes
    }

    // MARK: Helpers

    /// A value from the patch stored where nothing was: nulls inside dropped, directives removed.
    static func newValue(_ value: JSONValue) -> JSONValue? {
        removeDirectives(discardingNulls(value))
    }

    static func discardingNulls(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members): return .object(members.filter { !$0.value.isNull }.mapValues(discardingNulls))
        case .array(let items): return .array(items.map(discardingNulls))
        default: return value
        }
    }

    /// Drops maps carrying `$patch` and every `$`-directive member, which the API server's typed
    /// decoding would drop too.
    static func removeDirectives(_ value: JSONValue) -> JSONValue? {
        switch value {
        case .object(let members):
            if members[directiveMarker] != nil { return nil }
            var result: [String: JSONValue] = [:]
            for (key, member) in members where !isDirectiveKey(key) {
                if let cleaned = removeDirectives(member) { result[key] = cleaned }
            }
            return .object(result)
        case .array(let items):
            return .array(items.compactMap(removeDirectives))
        default:
            return value
        }
    }

    static func isDirectiveKey(_ key: String) -> Bool {
        key == directiveMarker || key == retainKeysDirective || key.hasPrefix(deleteFromPrimitiveListPrefix) || key.hasPrefix(setElementOrderPrefix)
    }

    /// Go compares decoded JSON values with `==`: an integer never equals a fractional number.
    static func goEqual(_ a: JSONValue, _ b: JSONValue) -> Bool {
        a.typeName == b.typeName && a == b
    }

    /// Go's reflect types of decoded JSON: map, slice, string, int64, float64, bool.
    static func sameKind(_ a: JSONValue, _ b: JSONValue) -> Bool { a.typeName == b.typeName }

    static func goKind(_ value: JSONValue) -> String {
        switch value {
        case .object: return "map"
        case .array: return "slice"
        case .string: return "string"
        case .int: return "int64"
        case .double: return "float64"
        case .bool: return "bool"
        case .null: return "invalid"
        }
    }

    private static func elementKind(_ lists: [JSONValue]...) throws(PatchError) -> String {
        var kind: String?
        for list in lists {
            for item in list {
                let current = item.typeName
                if kind == nil {
                    if current == "array" { throw PatchError("lists of lists are not supported") }
                    kind = current
                } else if kind != current {
                    // Go prints the slice of lists with its own brackets around them.
                    throw PatchError("list element types are not identical: [\(lists.map { GoFormatting.value(.array($0)) }.joined(separator: " "))]")
                }
            }
        }
        guard let kind else { throw PatchError("no elements in any of the given slices") }
        return kind
    }

    private static func uniqued(_ items: [JSONValue]) -> [JSONValue] {
        var result: [JSONValue] = []
        for item in items where !result.contains(where: { goEqual($0, item) }) {
            result.append(item)
        }
        return result
    }

    static func noMergeKey(_ item: JSONValue, _ key: String) -> PatchError {
        PatchError("map: \(GoFormatting.value(item)) does not contain declared merge key: \(key)")
    }
}
