import KubeModel

/// The RFC 6902 operations that turn one JSON value into another, as small as the change:
/// members are added, replaced or removed one by one, and array items are matched (containers,
/// volumes and env vars by `name`, other items by value) so that an item inserted at the front
/// is one `add` at index 0 rather than a rewrite of the whole list. The operations apply in
/// order, so each path addresses the document as the operations before it left it.
///
/// Why not replace whole lists: when several mutating webhooks handle a pod, a patch that
/// rewrites `/spec/containers` carries the original containers along and would undo anything
/// another change made to them; an insertion touches nothing else.
enum JSONDiff {
    static func diff(_ from: JSONValue, _ to: JSONValue, path: String, into operations: inout [JSONValue]) {
        // Most of a pod is unchanged: one comparison skips a whole subtree.
        if from == to { return }
        switch (from, to) {
        case let (.object(old), .object(new)):
            for key in old.keys.sorted() where new[key] == nil {
                operations.append(["op": "remove", "path": .string(path + "/" + escape(key))])
            }
            for key in new.keys.sorted() {
                let memberPath = path + "/" + escape(key)
                if let before = old[key] {
                    diff(before, new[key]!, path: memberPath, into: &operations)
                } else {
                    operations.append(["op": "add", "path": .string(memberPath), "value": new[key]!])
                }
            }
        case let (.array(old), .array(new)):
            diffArrays(old, new, path: path, into: &operations)
        default:
            // `==` tells 1 from "1" but not 1 from 1.0, which JSON treats as one number too.
            if from != to {
                operations.append(["op": "replace", "path": .string(path), "value": to])
            }
        }
    }

    /// Walks the longest common subsequence of the two arrays (items matched by identity),
    /// removing old items that have no partner, adding new ones, and diffing partners in place.
    private static func diffArrays(_ old: [JSONValue], _ new: [JSONValue], path: String, into operations: inout [JSONValue]) {
        let pairs = matches(old.map(identity), new.map(identity))
        var oldIndex = 0, newIndex = 0, position = 0
        for (matchedOld, matchedNew) in pairs + [(old.count, new.count)] {
            while oldIndex < matchedOld {
                operations.append(["op": "remove", "path": .string("\(path)/\(position)")])
                oldIndex += 1
            }
            while newIndex < matchedNew {
                operations.append(["op": "add", "path": .string("\(path)/\(position)"), "value": new[newIndex]])
                newIndex += 1
                position += 1
            }
            guard matchedOld < old.count else { break }
            diff(old[matchedOld], new[matchedNew], path: "\(path)/\(position)", into: &operations)
            oldIndex += 1
            newIndex += 1
            position += 1
        }
    }

    /// What makes two items "the same item": a `name` for objects that have one, else the value.
    private static func identity(_ item: JSONValue) -> JSONValue {
        if case .object(let members) = item, let name = members["name"], case .string = name { return ["name": name] }
        return item
    }

    /// Index pairs of a longest common subsequence, in order (dynamic programming; the lists of
    /// a pod are short).
    private static func matches(_ a: [JSONValue], _ b: [JSONValue]) -> [(Int, Int)] {
        if a.isEmpty || b.isEmpty { return [] }
        var lengths = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                lengths[i][j] = a[i] == b[j] ? lengths[i + 1][j + 1] + 1 : max(lengths[i + 1][j], lengths[i][j + 1])
            }
        }
        var result: [(Int, Int)] = []
        var i = 0, j = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] {
                result.append((i, j))
                i += 1
                j += 1
            } else if lengths[i + 1][j] >= lengths[i][j + 1] {
                i += 1
            } else {
                j += 1
            }
        }
        return result
    }

    /// An RFC 6901 reference token: `~` → `~0`, `/` → `~1` (annotation keys contain `/`).
    static func escape(_ key: String) -> String {
        guard key.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return key }
        return key.replacing("~", with: "~0").replacing("/", with: "~1")
    }
}
