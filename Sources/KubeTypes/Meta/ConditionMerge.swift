/// Puts freshly computed conditions on top of the ones an object already carries, the way
/// `meta.SetStatusCondition` does: `lastTransitionTime` moves only when a condition's status
/// changes, so "since when" stays meaningful and an unchanged status is an unchanged object.
public enum ConditionMerge {
    /// - Parameters:
    ///   - desired: the conditions as computed now (their `lastTransitionTime` is ignored).
    ///   - existing: the conditions currently stored.
    ///   - now: RFC 3339 time for conditions that are new or changed status.
    ///   - keepForeign: keep stored conditions whose types `desired` does not mention (written by
    ///     someone else); when false they are dropped.
    public static func merge(_ desired: [Condition], onto existing: [Condition], now: String, keepForeign: Bool = false) -> [Condition] {
        var result: [Condition] = []
        result.reserveCapacity(desired.count)
        for var condition in desired {
            if let old = existing[type: condition.type], old.status == condition.status, !old.lastTransitionTime.isEmpty {
                condition.lastTransitionTime = old.lastTransitionTime
            } else {
                condition.lastTransitionTime = now
            }
            result.append(condition)
        }
        if keepForeign {
            let mine = Set(desired.map(\.type))
            result.append(contentsOf: existing.filter { !mine.contains($0.type) })
        }
        return result
    }
}
