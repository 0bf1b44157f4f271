import KubeModel

/// One entry of `metadata.managedFields`: who owns which fields, through which operation.
public struct ManagedFieldsEntry: Sendable, Equatable {
    public enum Operation: String, Sendable { case apply = "Apply", update = "Update" }

    public var manager: String
    public var operation: Operation
    public var apiVersion: String
    public var time: String?
    public var subresource: String?
    var fields: FieldSet

    init(manager: String, operation: Operation, apiVersion: String, time: String?, subresource: String?, fields: FieldSet) {
        self.manager = manager
        self.operation = operation
        self.apiVersion = apiVersion
        self.time = time
        self.subresource = subresource
        self.fields = fields
    }

    /// The owned fields in the `fieldsV1` format.
    public var fieldsV1: JSONValue { fields.fieldsV1 }

    /// Entries are told apart by manager, operation and subresource, and for updates by
    /// apiVersion too (an applier keeps one entry across versions).
    var identity: String {
        "\(manager)\u{0}\(operation.rawValue)\u{0}\(subresource ?? "")\u{0}\(operation == .update ? apiVersion : "")"
    }

    /// How conflict messages name the manager: `"kubectl"`, or `"x" using apps/v1` for updaters.
    var displayName: String {
        guard operation == .update else { return GoFormatting.quote(manager) }
        if let subresource, !subresource.isEmpty {
            return "\(GoFormatting.quote(manager)) with subresource \(GoFormatting.quote(subresource)) using \(apiVersion)"
        }
        return "\(GoFormatting.quote(manager)) using \(apiVersion)"
    }

    var json: JSONValue {
        var object: [String: JSONValue] = [
            "manager": .string(manager), "operation": .string(operation.rawValue), "apiVersion": .string(apiVersion),
            "fieldsType": "FieldsV1", "fieldsV1": fields.fieldsV1,
        ]
        if let time { object["time"] = .string(time) }
        if let subresource, !subresource.isEmpty { object["subresource"] = .string(subresource) }
        return .object(object)
    }

    init?(json: JSONValue) {
        guard case .object(let object) = json,
              let operation = object["operation"]?.stringValue.flatMap(Operation.init(rawValue:)) else { return nil }
        self.manager = object["manager"]?.stringValue ?? ""
        self.operation = operation
        self.apiVersion = object["apiVersion"]?.stringValue ?? ""
        self.time = object["time"]?.stringValue
        self.subresource = object["subresource"]?.stringValue
        self.fields = FieldSet(fieldsV1: object["fieldsV1"] ?? .object([:]))
    }
}

/// Reading and writing `metadata.managedFields`.
public enum ManagedFields {
    /// The entries of an object, or nil when it has no `managedFields` member at all.
    public static func entries(of object: JSONValue) -> [ManagedFieldsEntry]? {
        guard let list = object[path: ["metadata", "managedFields"]], !list.isNull else { return nil }
        return (list.arrayValue ?? []).compactMap(ManagedFieldsEntry.init(json:))
    }

    /// The entries a write starts from, as the API server picks them: a subresource write keeps
    /// the stored ones; a request carrying exactly one empty entry (`[{}]`) resets them; a
    /// request carrying entries sets them; otherwise the stored ones stay.
    static func entriesForWrite(old: JSONValue?, new: JSONValue, subresource: String?) -> [ManagedFieldsEntry] {
        let stored = old.flatMap(entries(of:)) ?? []
        if let subresource, !subresource.isEmpty { return stored }
        if let list = new[path: ["metadata", "managedFields"]]?.arrayValue, list.count == 1, list[0] == .object([:]) {
            return []
        }
        let requested = entries(of: new) ?? []
        return requested.isEmpty ? stored : requested
    }

    /// Writes entries in the API server's order: Apply before Update, then by time, manager,
    /// apiVersion and subresource. No entries removes the member.
    public static func setting(_ entries: [ManagedFieldsEntry], on object: JSONValue) -> JSONValue {
        var result = object
        var metadata = result["metadata"]?.objectValue ?? [:]
        let sorted = entries.sorted { a, b in
            if a.operation != b.operation { return a.operation.rawValue < b.operation.rawValue }
            if (a.time ?? "") != (b.time ?? "") { return (a.time ?? "") < (b.time ?? "") }
            if a.manager != b.manager { return a.manager < b.manager }
            if a.apiVersion != b.apiVersion { return a.apiVersion < b.apiVersion }
            return (a.subresource ?? "") < (b.subresource ?? "")
        }
        if sorted.isEmpty {
            metadata.removeValue(forKey: "managedFields")
        } else {
            metadata["managedFields"] = .array(sorted.map(\.json))
        }
        result["metadata"] = .object(metadata)
        return result
    }

    /// At most this many Update entries are kept; older ones are folded together.
    static let maxUpdateManagers = 10

    /// Folds the oldest Update entries into one `ancient-changes` entry per apiVersion once there
    /// are more than `maxUpdateManagers`, as the API server does.
    static func capped(_ entries: [ManagedFieldsEntry]) -> [ManagedFieldsEntry] {
        let updaters = entries.indices.filter { entries[$0].operation == .update }
        guard updaters.count > maxUpdateManagers else { return entries }
        var result = entries.map(Optional.some)
        let oldestFirst = updaters.sorted { a, b in
            let (x, y) = (entries[a], entries[b])
            if (x.time ?? "") != (y.time ?? "") { return (x.time ?? "") < (y.time ?? "") }
            return x.manager < y.manager
        }
        var firstByVersion: [String: Int] = [:]
        var bucketByVersion: [String: Int] = [:]
        var count = updaters.count
        for index in oldestFirst where count > maxUpdateManagers {
            let entry = entries[index]
            guard let first = firstByVersion[entry.apiVersion] else {
                firstByVersion[entry.apiVersion] = index
                continue
            }
            let bucket = bucketByVersion[entry.apiVersion] ?? first
            if bucketByVersion[entry.apiVersion] == nil {
                result[bucket]?.manager = "ancient-changes"
                result[bucket]?.subresource = nil
                bucketByVersion[entry.apiVersion] = bucket
            }
            let bucketFields = result[bucket]?.fields ?? FieldSet()
            result[bucket]?.fields = bucketFields.union(entry.fields)
            result[bucket]?.time = entry.time
            result[index] = nil
            count -= 1
        }
        return result.compactMap { $0 }
    }

    /// Fields nobody is said to own: identity and bookkeeping the server sets itself.
    static let untracked: FieldSet = {
        var set = FieldSet()
        for path in [["apiVersion"], ["kind"], ["metadata"], ["metadata", "name"], ["metadata", "namespace"],
                     ["metadata", "creationTimestamp"], ["metadata", "selfLink"], ["metadata", "uid"],
                     ["metadata", "clusterName"], ["metadata", "generation"], ["metadata", "managedFields"],
                     ["metadata", "resourceVersion"], ["metadata", "deletionTimestamp"], ["metadata", "deletionGracePeriodSeconds"]] {
            set.insert(path.map(PathElement.field)[...])
        }
        return set
    }()

    /// Drops the untracked fields from a set; `metadata` itself only as a member, its other
    /// children stay.
    static func stripped(_ set: FieldSet, ignoring ignored: FieldSet = FieldSet()) -> FieldSet {
        var result = set
        let metadata = PathElement.field("metadata")
        result.members.subtract([.field("apiVersion"), .field("kind"), metadata])
        result.children.removeValue(forKey: .field("apiVersion"))
        result.children.removeValue(forKey: .field("kind"))
        if var meta = result.children[metadata] {
            let dropped = untracked.children[metadata]!.members
            meta.members.subtract(dropped)
            for element in dropped { meta.children.removeValue(forKey: element) }
            result.children[metadata] = meta.isEmpty ? nil : meta
        }
        return result.removingSubtrees(ignored)
    }

    /// An object without its managed fields, for comparing versions.
    static func withoutManagedFields(_ object: JSONValue) -> JSONValue {
        guard case .object(var members) = object, case .object(var metadata)? = members["metadata"] else { return object }
        metadata.removeValue(forKey: "managedFields")
        members["metadata"] = .object(metadata)
        return .object(members)
    }
}
