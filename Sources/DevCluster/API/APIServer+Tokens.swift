import Foundation
import KubeModel

extension APIServer {
    /// The audience of tokens requested without one, and of TokenReviews that name none: the
    /// service-account issuer, as kube-apiserver defaults `--api-audiences` to.
    static let apiAudience = "https://kubernetes.default.svc.cluster.local"

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
            // As the real server: no audiences asked for means the API server's own; a token without
            // audiences (the admin token, like a static token) counts as one for the API server only.
            let requested = body[path: ["spec", "audiences"]]?.arrayValue?.compactMap(\.stringValue) ?? []
            let wanted = requested.isEmpty ? [Self.apiAudience] : requested
            let held = identity.audiences.isEmpty ? [Self.apiAudience] : identity.audiences
            let audiences = wanted.filter(held.contains)
            if audiences.isEmpty {
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
        let requestedAudiences = body[path: ["spec", "audiences"]]?.arrayValue?.compactMap(\.stringValue) ?? []
        let audiences = requestedAudiences.isEmpty ? [Self.apiAudience] : requestedAudiences
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
