import KubeModel

/// The map-level directives of strategic merge patch: `$retainKeys` and
/// `$setElementOrder/<field>` (`$deleteFromPrimitiveList/<field>` is handled with the lists).
extension StrategicMerger {
    func applyRetainKeys(_ original: inout [String: JSONValue], _ patch: inout [String: JSONValue]) throws(PatchError) {
        guard let retain = patch.removeValue(forKey: Self.retainKeysDirective) else { return }
        guard case .array(let keys) = retain else { throw PatchError("invalid patch format of retainKeys", isMalformed: true) }
        let allowed = Set(keys.compactMap(\.stringValue))
        for (key, value) in patch where !value.isNull && !key.hasPrefix(Self.deleteFromPrimitiveListPrefix)
            && !key.hasPrefix(Self.setElementOrderPrefix) && !allowed.contains(key) {
            throw PatchError("invalid patch format of retainKeys", isMalformed: true)
        }
        original = original.filter { allowed.contains($0.key) }
    }

    mutating func applySetElementOrder(_ original: inout [String: JSONValue], _ patch: inout [String: JSONValue],
                                               _ strategies: PatchStrategies?) throws(PatchError) {
        for key in patch.keys.sorted() where key.hasPrefix(Self.setElementOrderPrefix) {
            let orderValue = patch.removeValue(forKey: key)!
            let field = String(key.dropFirst(Self.setElementOrderPrefix.count))
            guard !field.isEmpty else { throw PatchError("invalid patch format of setElementOrder list", isMalformed: true) }
            guard case .array(let order) = orderValue else {
                throw PatchError("expected a slice, but received a \(Self.goKind(orderValue))")
            }
            let tags = strategies?.field(field) ?? PatchStrategies.Field()
            let mergeKey = tags.mergeKey
            let originalList = original[field]
            let patchList = patch[field]
            var originalItems: [JSONValue] = []
            var patchItems: [JSONValue] = []
            if let originalList {
                guard case .array(let items) = originalList else { throw PatchError("expected a slice, but received a \(Self.goKind(originalList))") }
                originalItems = items
            }
            if let patchList {
                guard case .array(let items) = patchList else { throw PatchError("expected a slice, but received a \(Self.goKind(patchList))") }
                patchItems = items
            }
            try Self.checkOrder(patchItems, order: order, mergeKey: mergeKey)
            var merged: [JSONValue]
            switch (originalList != nil, patchList != nil) {
            case (true, false): merged = originalItems
            case (false, true):
                guard let cleaned = Self.removeDirectives(.array(patchItems))?.arrayValue else { continue }
                merged = cleaned
            case (true, true):
                if tags.strategy.mergesLists {
                    merged = try mergeSlice(originalItems, patchItems, tags, field: field, isDeleteList: false)
                } else {
                    merged = patchItems
                }
            case (false, false): continue
            }
            let elementKey = (merged.first?.objectValue != nil) ? mergeKey : nil
            let (inOrder, serverOnly) = try Self.partition(merged, by: order, mergeKey: elementKey)
            original[field] = .array(try Self.normalizeOrder(inOrder, serverOnly, patchOrder: order, serverOrder: originalItems, mergeKey: elementKey))
            patch.removeValue(forKey: field)
        }
    }

    /// The patch list's elements must appear in the `$setElementOrder` list in the same order.
    private static func checkOrder(_ patchItems: [JSONValue], order: [JSONValue], mergeKey: String?) throws(PatchError) {
        guard !order.isEmpty, !patchItems.isEmpty else { return }
        let items = mergeKey == nil ? patchItems : patchItems.filter { $0[directiveMarker] != "delete" }
        var patchIndex = 0
        var orderIndex = 0
        while patchIndex < items.count && orderIndex < order.count {
            if items[patchIndex][directiveMarker] != nil { patchIndex += 1; continue }
            let same: Bool
            if let mergeKey {
                guard let left = items[patchIndex][mergeKey] else { throw noMergeKey(items[patchIndex], mergeKey) }
                guard let right = order[orderIndex][mergeKey] else { throw noMergeKey(order[orderIndex], mergeKey) }
                same = goEqual(left, right)
            } else {
                same = goEqual(items[patchIndex], order[orderIndex])
            }
            if same { patchIndex += 1 }
            orderIndex += 1
        }
        if patchIndex < items.count && orderIndex >= order.count {
            throw PatchError("The order in patch list:\n\(GoFormatting.value(.array(patchItems)))\n doesn't match $setElementOrder list:\n\(GoFormatting.value(.array(order)))\n")
        }
    }
}
