import KubeModel

/// One step of a managed-fields path (structured-merge-diff's PathElement): a member `f:name`,
/// an element of a keyed list `k:{"name":"x"}`, an element of a set `v:"x"`, or a position
/// `i:0`. Its `fieldsV1` text is its identity.
struct PathElement: Hashable, Comparable, Sendable {
    enum Kind: Int, Sendable { case field = 0, key, value, index }

    let kind: Kind
    /// The `fieldsV1` spelling: `f:name`, `k:{...}`, `v:...`, `i:3`.
    let text: String

    static func field(_ name: String) -> PathElement { PathElement(kind: .field, text: "f:" + name) }
    static func key(_ fields: [String: JSONValue]) -> PathElement { PathElement(kind: .key, text: "k:" + GoFormatting.json(.object(fields))) }
    static func value(_ value: JSONValue) -> PathElement { PathElement(kind: .value, text: "v:" + GoFormatting.json(value)) }
    static func index(_ index: Int) -> PathElement { PathElement(kind: .index, text: "i:\(index)") }

    /// Reads a `fieldsV1` key; nil for `.` and for anything unknown.
    init?(fieldsV1 text: String) {
        switch text.prefix(2) {
        case "f:": kind = .field
        case "k:": kind = .key
        case "v:": kind = .value
        case "i:": kind = .index
        default: return nil
        }
        // Keys and values are re-serialized so that equal values compare equal.
        if kind == .key || kind == .value, let parsed = try? JSONValue(parsing: String(text.dropFirst(2))) {
            self.text = String(text.prefix(2)) + GoFormatting.json(parsed)
        } else {
            self.text = text
        }
    }

    private init(kind: Kind, text: String) {
        self.kind = kind
        self.text = text
    }

    var fieldName: String? { kind == .field ? String(text.dropFirst(2)) : nil }

    /// The element as Kubernetes prints it in conflict messages: `.name`, `[name="x"]`, `[="x"]`, `[0]`.
    var display: String {
        let body = String(text.dropFirst(2))
        switch kind {
        case .field: return "." + body
        case .index: return "[" + body + "]"
        case .value: return "[=" + body + "]"
        case .key:
            guard let fields = (try? JSONValue(parsing: body))?.objectValue else { return "[" + body + "]" }
            return "[" + fields.keys.sorted().map { "\($0)=\(GoFormatting.json(fields[$0]!))" }.joined(separator: ",") + "]"
        }
    }

    /// structured-merge-diff orders fields, then keys, then values, then indices.
    static func < (a: PathElement, b: PathElement) -> Bool {
        a.kind != b.kind ? a.kind.rawValue < b.kind.rawValue : a.text < b.text
    }
}

/// A set of paths as a tree: `members` end here, `children` continue. A path both ends here and
/// continues when its node is owned itself (the `.` of `fieldsV1`).
struct FieldSet: Equatable, Sendable {
    var members: Set<PathElement> = []
    var children: [PathElement: FieldSet] = [:]

    var isEmpty: Bool { members.isEmpty && children.isEmpty }

    mutating func insert(_ path: ArraySlice<PathElement>) {
        guard let first = path.first else { return }
        if path.count == 1 {
            members.insert(first)
        } else {
            children[first, default: FieldSet()].insert(path.dropFirst())
        }
    }

    func contains(_ path: ArraySlice<PathElement>) -> Bool {
        guard let first = path.first else { return false }
        if path.count == 1 { return members.contains(first) }
        return children[first]?.contains(path.dropFirst()) ?? false
    }

    func union(_ other: FieldSet) -> FieldSet {
        var result = self
        result.members.formUnion(other.members)
        for (element, child) in other.children {
            result.children[element] = (result.children[element] ?? FieldSet()).union(child)
        }
        return result
    }

    func difference(_ other: FieldSet) -> FieldSet {
        var result = FieldSet(members: members.subtracting(other.members), children: [:])
        for (element, child) in children {
            let remaining = other.children[element].map { child.difference($0) } ?? child
            if !remaining.isEmpty { result.children[element] = remaining }
        }
        return result
    }

    func intersection(_ other: FieldSet) -> FieldSet {
        var result = FieldSet(members: members.intersection(other.members), children: [:])
        for (element, child) in children {
            guard let otherChild = other.children[element] else { continue }
            let common = child.intersection(otherChild)
            if !common.isEmpty { result.children[element] = common }
        }
        return result
    }

    /// Removes whole subtrees: every path that starts with a path in `prefixes`.
    func removingSubtrees(_ prefixes: FieldSet) -> FieldSet {
        var result = FieldSet(members: members.subtracting(prefixes.members), children: [:])
        for (element, child) in children where !prefixes.members.contains(element) {
            let remaining = prefixes.children[element].map { child.removingSubtrees($0) } ?? child
            if !remaining.isEmpty { result.children[element] = remaining }
        }
        return result
    }

    /// Every path in the set, in structured-merge-diff's order.
    func paths(prefix: [PathElement] = []) -> [[PathElement]] {
        var result: [[PathElement]] = []
        for element in Set(members).union(children.keys).sorted() {
            if members.contains(element) { result.append(prefix + [element]) }
            if let child = children[element] { result.append(contentsOf: child.paths(prefix: prefix + [element])) }
        }
        return result
    }

    static func display(_ path: [PathElement]) -> String { path.map(\.display).joined() }

    // MARK: fieldsV1

    var fieldsV1: JSONValue {
        var object: [String: JSONValue] = [:]
        for element in members where children[element] == nil {
            object[element.text] = .object([:])
        }
        for (element, child) in children {
            var nested = child.fieldsV1.objectValue ?? [:]
            if members.contains(element) { nested["."] = .object([:]) }
            object[element.text] = .object(nested)
        }
        return .object(object)
    }

    init() {}

    init(members: Set<PathElement>, children: [PathElement: FieldSet]) {
        self.members = members
        self.children = children
    }

    /// Reads `fieldsV1`; unknown keys are skipped.
    init(fieldsV1 json: JSONValue) {
        for (key, value) in json.objectValue ?? [:] {
            guard let element = PathElement(fieldsV1: key) else { continue }
            let nested = value.objectValue ?? [:]
            if nested.isEmpty || nested["."] != nil { members.insert(element) }
            let child = FieldSet(fieldsV1: value)
            if !child.isEmpty { children[element] = child }
        }
    }
}
