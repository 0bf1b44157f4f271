import Foundation
import KubeModel
import APIMachinery

extension APIServer {
    /// The label and field selectors of a request as one predicate.
    func predicate(_ definition: ResourceDefinition, query: [String: String], name: String? = nil) throws(APIStatus) -> @Sendable (JSONValue) -> Bool {
        var labels: LabelSelector?
        if let text = query["labelSelector"], !text.isEmpty {
            do { labels = try LabelSelector(parsing: text) } catch {
                throw APIErrors.badRequest("unable to parse requirement: \(error.message)")
            }
        }
        var fields: FieldSelector?
        var fieldText = query["fieldSelector"] ?? ""
        if let name { fieldText = fieldText.isEmpty ? "metadata.name=\(name)" : "\(fieldText),metadata.name=\(name)" }
        if !fieldText.isEmpty {
            do { fields = try FieldSelector(parsing: fieldText) } catch {
                throw APIErrors.badRequest("invalid field selector: \(error.message)")
            }
        }
        if let fields {
            do {
                try FieldLabels.validate(fields, group: definition.group, kind: definition.kind, namespaced: definition.namespaced,
                                         isCustomResource: definition.isCustom)
            } catch {
                throw APIErrors.badRequest(error.message)
            }
        }
        return { [labels, fields] object in
            if let labels, !labels.matches(ObjectMetaRules.labels(object)) { return false }
            if let fields, !fields.matches(FieldLabels.fields(of: object, group: definition.group, kind: definition.kind)) { return false }
            return true
        }
    }

    /// GET of a collection, with selectors and `limit`/`continue` paging.
    func list(_ definition: ResourceDefinition, namespace: String?, query: [String: String]) throws(APIStatus) -> JSONValue {
        let read = try ReadOptions(listQuery: query, watch: false)
        let matches = try predicate(definition, query: query)
        let scope = definition.namespaced ? namespace : nil
        var start: ObjectKey?
        var consistency = read.consistency
        if let token = query["continue"], !token.isEmpty {
            guard let decoded = ContinueToken(token) else {
                throw APIErrors.badRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)")
            }
            start = decoded.after
            // Later pages show the collection as the first page saw it.
            consistency = .exact(decoded.revision)
        }
        let (all, listRevision) = try listedItems(definition.storageKey, namespace: scope, consistency: consistency,
                                                  continuing: start != nil)
        let limit = query["limit"].flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil }
        var items: [JSONValue] = []
        var lastKey: ObjectKey?
        var remaining = 0
        for (key, object) in all {
            if let start, !(start < key) { continue }
            guard matches(object) else { continue }
            if let limit, items.count >= limit {
                remaining += 1
                continue
            }
            items.append(present(object, as: definition))
            lastKey = key
        }
        var meta: [String: JSONValue] = ["resourceVersion": .string(String(listRevision))]
        if remaining > 0, let lastKey {
            meta["continue"] = .string(ContinueToken(revision: listRevision, after: lastKey).encoded)
            meta["remainingItemCount"] = .int(Int64(remaining))
        }
        return ["kind": .string(definition.listKind), "apiVersion": .string(definition.apiVersion),
                "metadata": .object(meta), "items": .array(items)]
    }
}

extension APIServer {
    /// The items a LIST reads: the current ones, or those at an `Exact` revision (or the first
    /// page's, for a `continue`), rebuilt from the event history — 410 once that history is gone,
    /// as etcd answers after a compaction.
    private func listedItems(_ key: StorageKey, namespace: String?, consistency: ReadOptions.Consistency,
                             continuing: Bool) throws(APIStatus) -> (items: [(ObjectKey, JSONValue)], revision: UInt64) {
        let current = store.list(key, namespace: namespace)
        try ReadOptions(consistency: consistency).checkReached(current.revision)
        guard case .exact(let revision) = consistency, revision != current.revision else { return current }
        guard let past = store.list(key, namespace: namespace, at: revision) else {
            throw APIErrors.gone(continuing ? Self.expiredContinue : "The resourceVersion for the provided list is too old.")
        }
        return (past, revision)
    }

    static let expiredContinue = "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list."
}

/// Opaque paging state: the list's revision and the last key returned.
struct ContinueToken {
    var revision: UInt64
    var after: ObjectKey

    init(revision: UInt64, after: ObjectKey) {
        self.revision = revision
        self.after = after
    }

    init?(_ token: String) {
        guard let data = Data(base64Encoded: token),
              let value = try? JSONValue(parsing: Array(data)),
              let rv = value["rv"]?.intValue, let start = value["start"]?.stringValue else { return nil }
        let parts = start.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 else { return nil }
        revision = UInt64(rv)
        after = ObjectKey(namespace: parts[0], name: parts[1])
    }

    var encoded: String {
        let value: JSONValue = ["v": "meta.k8s.io/v1", "rv": .int(Int64(revision)), "start": .string("\(after.namespace)/\(after.name)")]
        return Data(value.serialized()).base64EncodedString()
    }
}
