import KubeModel

/// Where a node stands for ratcheting (CRDValidationRatcheting): the node's old value when it
/// correlates with one, else the nearest correlated ancestor. An error found at a node whose
/// value — or whose nearest correlated ancestor's value — equals the old one is not new, so the
/// API server lets it stand rather than refusing an update that did not touch it.
struct RatchetingCorrelation {
    struct Pair {
        let new: JSONValue
        let old: JSONValue
    }

    var current: Pair?
    var nearestParent: Pair?

    static func root(_ object: JSONValue, old: JSONValue?) -> RatchetingCorrelation {
        RatchetingCorrelation(current: old.map { Pair(new: object, old: $0) }, nearestParent: nil)
    }

    var shouldRatchet: Bool {
        if let current { return current.new == current.old }
        if let nearestParent { return nearestParent.new == nearestParent.old }
        return false
    }

    func key(_ field: String, isRoot: Bool) -> RatchetingCorrelation {
        guard let current else { return self }
        // apiVersion and kind of the resource are the same in old and new after conversion.
        if isRoot && (field == "apiVersion" || field == "kind") { return RatchetingCorrelation() }
        let pair: Pair?
        if let new = current.new[field], let old = current.old[field] {
            pair = Pair(new: new, old: old)
        } else {
            pair = nil
        }
        return RatchetingCorrelation(current: pair, nearestParent: current)
    }

    func index(_ item: JSONValue, old: JSONValue?) -> RatchetingCorrelation {
        guard let current else { return self }
        return RatchetingCorrelation(current: old.map { Pair(new: item, old: $0) }, nearestParent: current)
    }
}
