import Foundation
import KubeModel

extension APIServer {
    /// TokenReview (authentication.k8s.io/v1): says whether a token DevCluster issued is valid and whose it is.
    func answerVirtual(_ definition: ResourceDefinition, body: JSONValue) throws(APIStatus) -> JSONValue {
        guard definition.resource == "tokenreviews" else { throw APIErrors.methodNotAllowed() }
        _ = try checkTypeMeta(body, definition)
        guard let token = body[path: ["spec", "token"]]?.stringValue, !token.isEmpty else {
            throw APIErrors.invalid(definition, name: "", [.init(kind: .required, field: "spec.token", badValue: nil, detail: "")])
        }
        var review = body
        review["metadata"] = ["creationTimestamp": .null]
        if let identity = tokens.identity(for: token, now: clock()) {
            let requested = body[path: ["spec", "audiences"]]?.arrayValue?.compactMap(\.stringValue) ?? []
            let audiences = requested.isEmpty ? identity.audiences : requested.filter { identity.audiences.isEmpty || identity.audiences.contains($0) }
            if !requested.isEmpty, audiences.isEmpty {
                review["status"] = ["authenticated": false, "error": "token audiences are invalid"]
            } else {
                review["status"] = ["authenticated": true,
                                    "user": ["username": .string(identity.username), "uid": .string(identity.uid),
                                             "groups": .array(identity.groups.map { .string($0) })],
                                    "audiences": .array(audiences.map { .string($0) })]
            }
        } else {
            review["status"] = ["authenticated": false, "error": "invalid bearer token"]
        }
        return review
    }

    /// TokenRequest (`serviceaccounts/NAME/token`): a bearer token for a service account, for its
    /// audiences and lifetime (default one hour, as the real server).
    func requestToken(namespace: String, serviceAccount: String, body: JSONValue) throws(APIStatus) -> JSONValue {
        guard let definition = registry.lookup(group: "", version: "v1", resource: "serviceaccounts") else { throw APIErrors.unknownPath }
        let account = try get(definition, namespace: namespace, name: serviceAccount)
        let seconds = body[path: ["spec", "expirationSeconds"]]?.intValue ?? 3600
        guard seconds >= 600 else {
            throw APIErrors.invalid(definition, name: serviceAccount, [.init(kind: .invalid, field: "spec.expirationSeconds",
                                                                              badValue: .int(seconds), detail: "may not specify a duration less than 10 minutes")])
        }
        let audiences = body[path: ["spec", "audiences"]]?.arrayValue?.compactMap(\.stringValue) ?? []
        let expires = clock().addingTimeInterval(TimeInterval(seconds))
        let token = tokens.issue(for: "system:serviceaccount:\(namespace):\(serviceAccount)",
                                 groups: ["system:serviceaccounts", "system:serviceaccounts:\(namespace)", "system:authenticated"],
                                 audiences: audiences, expires: expires)
        return ["kind": "TokenRequest", "apiVersion": "authentication.k8s.io/v1",
                "metadata": ["name": .string(serviceAccount), "namespace": .string(namespace), "creationTimestamp": .null,
                             "uid": account[path: ["metadata", "uid"]] ?? .null],
                "spec": ["audiences": .array(audiences.map { .string($0) }), "expirationSeconds": .int(seconds), "boundObjectRef": .null],
                "status": ["token": .string(token), "expirationTimestamp": .string(ObjectMetaRules.timestamp(expires))]]
    }

    /// `namespaces/NAME/finalize`: the namespace controller's way to clear `spec.finalizers`.
    func finalizeNamespace(name: String, body: JSONValue) throws(APIStatus) -> JSONValue {
        guard let definition = registry.lookup(group: "", version: "v1", resource: "namespaces") else { throw APIErrors.unknownPath }
        let finalizers = body[path: ["spec", "finalizers"]] ?? .array([])
        let (stored, event) = try store.mutate(definition.storageKey, ObjectKey(namespace: "", name: name)) { (current: JSONValue?) throws(APIStatus) -> ObjectStore.Mutation in
            guard var current else { throw APIErrors.notFound(definition, name: name) }
            if current[path: ["spec", "finalizers"]] == finalizers { return .unchanged }
            current[path: ["spec", "finalizers"]] = finalizers
            if ObjectMetaRules.isDeleting(current), ObjectMetaRules.finalizers(current).isEmpty, !Self.waitsForSpecFinalizers(current) {
                return .delete
            }
            return .put(current)
        }
        afterCommit(event)
        return stored ?? .null
    }
}
