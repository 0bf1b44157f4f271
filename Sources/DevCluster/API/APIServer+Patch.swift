import Foundation
import KubeModel
import APIMachinery

extension APIServer {
    enum PatchType: String {
        case json = "application/json-patch+json"
        case merge = "application/merge-patch+json"
        case strategic = "application/strategic-merge-patch+json"
        case apply = "application/apply-patch+yaml"

        init?(contentType: String?) {
            guard let base = contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() else {
                return nil
            }
            if base == "application/apply-patch+json" { self = .apply; return }
            self.init(rawValue: base)
        }
    }

    /// PATCH of an object or its `status`, in any of the four patch formats.
    func patch(_ definition: ResourceDefinition, namespace: String?, name: String, type: PatchType, body: [UInt8],
               subresource: String?, options: WriteOptions) throws(APIStatus) -> WriteResult {
        let document = try patchDocument(type, body)
        if type == .strategic, definition.isCustom {
            throw APIStatus(message: "strategic merge patch is not supported for custom resources; use merge or JSON patch",
                            reason: "UnsupportedMediaType", code: 415)
        }
        var applied = document
        if type == .apply {
            applied = try checkTypeMeta(document, definition)
            if let bodyName = ObjectMetaRules.name(applied), bodyName != name {
                throw APIErrors.badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
            }
            applied[path: ["metadata", "name"]] = .string(name)
            try placeInNamespace(&applied, definition, namespace: namespace)
        }
        var warnings: [String] = []
        var created = false
        var result: JSONValue?
        let key = objectKey(definition, namespace: namespace, name: name)
        if type == .apply, store.get(definition.storageKey, key) == nil {
            try requireLiveNamespace(definition, namespace: namespace, name: name)
        }
        let (stored, event) = try store.mutate(definition.storageKey, key) { (current: JSONValue?) throws(APIStatus) -> ObjectStore.Mutation in
            let next: JSONValue
            if type == .apply {
                let merged: JSONValue
                do throws(ApplyConflict) {
                    merged = try ServerSideApply.apply(applied, to: current.map { present($0, as: definition) },
                                                       manager: options.fieldManager, force: options.force,
                                                       strategies: definition.patchStrategies, now: now,
                                                       subresource: subresource,
                                                       ignoredFields: ignoredFields(definition, subresource: subresource))
                } catch {
                    throw error.status
                }
                created = current == nil
                next = try admit(definition, new: merged, old: current, subresource: subresource, options: options,
                                 warnings: &warnings, recordOwnership: false)
            } else {
                guard let current else { throw APIErrors.notFound(definition, name: name) }
                let base = present(current, as: definition)
                let patched: JSONValue
                switch type {
                case .merge: patched = JSONMergePatch.apply(document, to: base)
                case .json:
                    do throws(PatchError) { patched = try JSONPatch.apply(document, to: base) } catch {
                        throw Self.patchFailure(error, definition, name: name)
                    }
                case .strategic:
                    do throws(PatchError) { patched = try StrategicMergePatch.apply(document, to: base, strategies: definition.patchStrategies) } catch {
                        throw Self.patchFailure(error, definition, name: name)
                    }
                case .apply: patched = base
                }
                let checked = try checkTypeMeta(patched, definition)
                let requested = checked[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""
                if !requested.isEmpty, requested != current[path: ["metadata", "resourceVersion"]]?.stringValue {
                    throw APIErrors.conflict(definition, name: name)
                }
                // A patch may not rename the object (or move it): the real server's checkName.
                let patchedName = ObjectMetaRules.name(checked) ?? ""
                guard patchedName == name else {
                    throw APIErrors.badRequest("the name of the object (\(patchedName)) does not match the name on the URL (\(name))")
                }
                if definition.namespaced, let namespace, let patchedNamespace = checked[path: ["metadata", "namespace"]]?.stringValue,
                   patchedNamespace != namespace {
                    throw APIErrors.badRequest("the namespace of the object (\(patchedNamespace)) does not match the namespace on the URL (\(namespace))")
                }
                next = try admit(definition, new: checked, old: current, subresource: subresource, options: options, warnings: &warnings)
            }
            result = next
            if let current { return try allocatingServiceAddresses(definition, decideWrite(next, current: current, dryRun: options.dryRun), old: current) }
            return options.dryRun ? .unchanged : try allocatingServiceAddresses(definition, .put(next), old: nil)
        }
        afterCommit(event)
        let object = options.dryRun ? (result ?? applied) : (stored ?? result ?? applied)
        return WriteResult(object: present(object, as: definition), created: created, warnings: warnings)
    }

    /// The patch body: YAML (or JSON) for an apply, JSON for the other three types.
    func patchDocument(_ type: PatchType, _ body: [UInt8]) throws(APIStatus) -> JSONValue {
        if type == .apply { return try BodyDecoding.decode(body, contentType: "application/yaml") }
        do { return try JSONValue(parsing: body) } catch {
            throw APIErrors.badRequest("error decoding patch: \(error.description)")
        }
    }

    /// A patch that cannot be read is the client's malformed request (400); one that reads but
    /// cannot apply to this object is unprocessable (422), as the API server answers.
    static func patchFailure(_ error: PatchError, _ definition: ResourceDefinition, name: String) -> APIStatus {
        if error.isMalformed { return APIErrors.badRequest(error.message) }
        return APIStatus(message: "\(definition.qualifiedResource) \"\(name)\" is invalid: \(error.message)", reason: "Invalid",
                         details: .init(name: name, group: definition.group.isEmpty ? nil : definition.group, kind: definition.kind),
                         code: 422)
    }
}
