import Foundation
import KubeModel
import APIMachinery

extension APIServer {
    struct DeleteOptions {
        enum Propagation: String { case orphan = "Orphan", background = "Background", foreground = "Foreground" }
        var propagation: Propagation?
        var preconditionUID: String?
        var preconditionResourceVersion: String?
        var dryRun = false

        init() {}

        /// From the `DeleteOptions` body and/or query parameters (both are accepted by the real server).
        init(body: JSONValue?, query: [String: String]) throws(APIStatus) {
            let policy = (body?["propagationPolicy"]?.stringValue ?? query["propagationPolicy"]).flatMap { $0.isEmpty ? nil : $0 }
            let orphan = body?["orphanDependents"]?.boolValue ?? query["orphanDependents"].map({ $0 == "true" })
            let dry = body?["dryRun"]?.arrayValue?.compactMap(\.stringValue) ?? query["dryRun"].map { [$0] } ?? []
            var errors: [FieldError] = []
            if orphan != nil, policy != nil {
                errors.append(.invalid("propagationPolicy", policy.map { .string($0) },
                                       "orphanDependents and deletionPropagation cannot be both set"))
            }
            if let policy, Propagation(rawValue: policy) == nil {
                errors.append(.notSupported("propagationPolicy", .string(policy), supported: ["Foreground", "Background", "Orphan", "nil"]))
            }
            errors += OptionsErrors.dryRun(dry.filter { !$0.isEmpty })
            guard errors.isEmpty else { throw OptionsErrors.invalid("DeleteOptions", errors) }
            if let policy {
                propagation = Propagation(rawValue: policy)
            } else if let orphan {
                propagation = orphan ? .orphan : .background
            }
            preconditionUID = body?[path: ["preconditions", "uid"]]?.stringValue
            preconditionResourceVersion = body?[path: ["preconditions", "resourceVersion"]]?.stringValue
            dryRun = dry.contains("All")
        }
    }

    /// DELETE of one object: immediate when nothing holds it, otherwise marked with
    /// `deletionTimestamp` until its finalizers are gone (the garbage collector and the
    /// namespace controller finish what propagation policies ask).
    static let undeletableNamespaces: Set<String> = ["default", "kube-system", "kube-public"]

    func delete(_ definition: ResourceDefinition, namespace: String?, name: String,
                options: DeleteOptions) throws(APIStatus) -> (object: JSONValue, removed: Bool) {
        if definition.group.isEmpty, definition.resource == "namespaces", Self.undeletableNamespaces.contains(name) {
            // The NamespaceLifecycle admission plugin's rule.
            throw APIErrors.forbidden(definition, name: name, "this namespace may not be deleted")
        }
        let key = objectKey(definition, namespace: namespace, name: name)
        var removed = false
        let stamp = now
        let (stored, event) = try store.mutate(definition.storageKey, key) { (current: JSONValue?) throws(APIStatus) -> ObjectStore.Mutation in
            guard let current else { throw APIErrors.notFound(definition, name: name) }
            if let uid = options.preconditionUID, uid != current[path: ["metadata", "uid"]]?.stringValue {
                throw APIErrors.conflict(definition, name: name,
                                         detail: "Precondition failed: UID in precondition: \(uid), UID in object meta: \(current[path: ["metadata", "uid"]]?.stringValue ?? "")")
            }
            if let rv = options.preconditionResourceVersion, rv != current[path: ["metadata", "resourceVersion"]]?.stringValue {
                throw APIErrors.conflict(definition, name: name,
                                         detail: "Precondition failed: ResourceVersion in precondition: \(rv), ResourceVersion in object meta: \(current[path: ["metadata", "resourceVersion"]]?.stringValue ?? "")")
            }
            if options.dryRun { return .unchanged }
            var object = current
            var finalizers = ObjectMetaRules.finalizers(object)
            switch options.propagation {
            case .foreground?: if !finalizers.contains("foregroundDeletion") { finalizers.append("foregroundDeletion") }
            case .orphan?: if !finalizers.contains("orphan") { finalizers.append("orphan") }
            default: break
            }
            let isNamespace = definition.group.isEmpty && definition.resource == "namespaces"
            if finalizers.isEmpty, !isNamespace {
                removed = true
                return .delete
            }
            if ObjectMetaRules.isDeleting(object), finalizers == ObjectMetaRules.finalizers(current) { return .unchanged }
            object[path: ["metadata", "finalizers"]] = finalizers.isEmpty ? nil : .array(finalizers.map { .string($0) })
            if !ObjectMetaRules.isDeleting(object) {
                object[path: ["metadata", "deletionTimestamp"]] = .string(stamp)
                object[path: ["metadata", "deletionGracePeriodSeconds"]] = .int(0)
                if let generation = object[path: ["metadata", "generation"]]?.intValue {
                    object[path: ["metadata", "generation"]] = .int(generation + 1)
                }
                if isNamespace { object[path: ["status", "phase"]] = "Terminating" }
            }
            return .put(object)
        }
        afterCommit(event)
        return (present(stored ?? .null, as: definition), removed)
    }

    /// DELETE of a collection: each selected object as if deleted one by one.
    func deleteCollection(_ definition: ResourceDefinition, namespace: String?, query: [String: String],
                          options: DeleteOptions) throws(APIStatus) -> JSONValue {
        let list = try self.list(definition, namespace: namespace, query: query.filter { $0.key != "limit" && $0.key != "continue" })
        var items: [JSONValue] = []
        for item in list["items"]?.arrayValue ?? [] {
            guard let name = ObjectMetaRules.name(item) else { continue }
            do {
                items.append(try delete(definition, namespace: item[path: ["metadata", "namespace"]]?.stringValue, name: name, options: options).object)
            } catch where error.code == 404 {
                continue
            }
        }
        return ["kind": .string(definition.listKind), "apiVersion": .string(definition.apiVersion),
                "metadata": ["resourceVersion": .string(String(store.currentRevision))], "items": .array(items)]
    }
}
