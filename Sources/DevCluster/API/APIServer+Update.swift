import Foundation
import KubeModel
import APIMachinery

extension APIServer {
    /// PUT to an object or its `status`.
    func update(_ definition: ResourceDefinition, namespace: String?, name: String, body: JSONValue,
                subresource: String?, options: WriteOptions) throws(APIStatus) -> WriteResult {
        var object = try checkTypeMeta(body, definition)
        if let bodyName = ObjectMetaRules.name(object), bodyName != name {
            throw APIErrors.badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
        }
        object[path: ["metadata", "name"]] = .string(name)
        try placeInNamespace(&object, definition, namespace: namespace)
        let requested = object[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""
        var warnings: [String] = []
        let key = objectKey(definition, namespace: namespace, name: name)
        var result: JSONValue?
        let (stored, event) = try store.mutate(definition.storageKey, key) { (current: JSONValue?) throws(APIStatus) -> ObjectStore.Mutation in
            guard let current else { throw APIErrors.notFound(definition, name: name) }
            if !requested.isEmpty, requested != current[path: ["metadata", "resourceVersion"]]?.stringValue {
                throw APIErrors.conflict(definition, name: name)
            }
            // A uid in the body is a precondition: the object must still be that one, not a namesake.
            let storedUID = current[path: ["metadata", "uid"]]?.stringValue ?? ""
            if let uid = object[path: ["metadata", "uid"]]?.stringValue, !uid.isEmpty, uid != storedUID {
                throw APIErrors.conflict(definition, name: name,
                                         detail: "Precondition failed: UID in precondition: \(uid), UID in object meta: \(storedUID)")
            }
            let next = try admit(definition, new: object, old: current, subresource: subresource, options: options, warnings: &warnings)
            result = next
            return try allocatingServiceAddresses(definition, decideWrite(next, current: current, dryRun: options.dryRun), old: current)
        }
        afterCommit(event)
        return WriteResult(object: present(options.dryRun ? (result ?? object) : (stored ?? result ?? object), as: definition),
                           created: false, warnings: warnings)
    }

    /// Store the new version, unless it changes nothing (no new resourceVersion, no event, as the
    /// real server skips no-op writes) or it releases the last finalizer of a deleted object.
    func decideWrite(_ next: JSONValue, current: JSONValue, dryRun: Bool) -> ObjectStore.Mutation {
        if dryRun || ObjectMetaRules.sameContent(next, current) { return .unchanged }
        if ObjectMetaRules.isDeleting(next), ObjectMetaRules.finalizers(next).isEmpty, !Self.waitsForSpecFinalizers(next) {
            return .delete
        }
        return .put(next)
    }

    /// Namespaces also wait for `spec.finalizers` (the namespace controller's "kubernetes").
    static func waitsForSpecFinalizers(_ object: JSONValue) -> Bool {
        guard object["kind"]?.stringValue == "Namespace" else { return false }
        return !(object[path: ["spec", "finalizers"]]?.arrayValue?.isEmpty ?? true)
    }
}
