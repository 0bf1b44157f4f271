import Foundation
import KubeModel
import APIMachinery

extension APIServer {
    struct WriteResult {
        var object: JSONValue
        var created: Bool
        var warnings: [String]
    }

    /// POST to a collection.
    func create(_ definition: ResourceDefinition, namespace: String?, body: JSONValue,
                options: WriteOptions) throws(APIStatus) -> WriteResult {
        var object = try checkTypeMeta(body, definition)
        try placeInNamespace(&object, definition, namespace: namespace)
        // The storage layer's refusal, which reaches clients as a reason-less 500 (kubectl prints
        // "Error from server: resourceVersion should not be set on objects to be created").
        if let version = object[path: ["metadata", "resourceVersion"]]?.stringValue, !version.isEmpty, version != "0" {
            throw APIStatus(message: "resourceVersion should not be set on objects to be created", reason: nil, code: 500)
        }
        if ObjectMetaRules.name(object)?.isEmpty ?? true,
           let prefix = object[path: ["metadata", "generateName"]]?.stringValue, !prefix.isEmpty {
            object[path: ["metadata", "name"]] = .string(prefix + Self.randomSuffix())
        }
        let name = ObjectMetaRules.name(object) ?? ""
        try requireLiveNamespace(definition, namespace: namespace, name: name)
        var warnings: [String] = []
        object = try admit(definition, new: object, old: nil, subresource: nil, options: options, warnings: &warnings)
        if options.dryRun { return WriteResult(object: present(object, as: definition), created: true, warnings: warnings) }
        let key = objectKey(definition, namespace: namespace, name: name)
        let (stored, event) = try store.mutate(definition.storageKey, key) { (current: JSONValue?) throws(APIStatus) -> ObjectStore.Mutation in
            if current != nil { throw APIErrors.alreadyExists(definition, name: name) }
            return try allocatingServiceAddresses(definition, .put(object), old: nil)
        }
        afterCommit(event)
        return WriteResult(object: present(stored ?? object, as: definition), created: true, warnings: warnings)
    }

    static func randomSuffix() -> String {
        // The real server's alphabet: consonants and digits that make no words.
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String((0..<5).map { _ in alphabet.randomElement()! })
    }

    /// `apiVersion` and `kind` in the body must name the endpoint's resource.
    func checkTypeMeta(_ body: JSONValue, _ definition: ResourceDefinition) throws(APIStatus) -> JSONValue {
        guard case .object = body else {
            throw APIErrors.badRequest("the object provided is unrecognized (must be of type \(definition.kind))")
        }
        var object = body
        // As kube-apiserver's decoder: what the body leaves out comes from the URL.
        let apiVersion = body["apiVersion"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? definition.apiVersion
        let kind = body["kind"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? definition.kind
        object["kind"] = .string(kind)
        if kind != definition.kind {
            throw APIErrors.badRequest("\(kind) in version \"\(definition.version)\" cannot be handled as a \(definition.kind): the kind in the data (\(kind)) does not match the expected kind (\(definition.kind))")
        }
        if apiVersion != definition.apiVersion {
            throw APIErrors.badRequest("the API version in the data (\(apiVersion)) does not match the expected API version (\(definition.apiVersion))")
        }
        object["apiVersion"] = .string(definition.apiVersion)
        return object
    }

    /// The namespace in the body, if any, must be the request's; cluster-scoped objects have none.
    func placeInNamespace(_ object: inout JSONValue, _ definition: ResourceDefinition, namespace: String?) throws(APIStatus) {
        let bodyNamespace = object[path: ["metadata", "namespace"]]?.stringValue ?? ""
        if definition.namespaced {
            guard let namespace, !namespace.isEmpty else {
                throw APIErrors.badRequest("the server could not find the requested resource: a namespace is required for \(definition.qualifiedResource)")
            }
            if !bodyNamespace.isEmpty, bodyNamespace != namespace {
                throw APIErrors.badRequest("the namespace of the provided object does not match the namespace sent on the request")
            }
            object[path: ["metadata", "namespace"]] = .string(namespace)
        } else if object[path: ["metadata", "namespace"]] != nil {
            object[path: ["metadata", "namespace"]] = nil
        }
    }

    func requireLiveNamespace(_ definition: ResourceDefinition, namespace: String?, name: String) throws(APIStatus) {
        guard definition.namespaced, let namespace else { return }
        let namespaces = StorageKey(group: "", resource: "namespaces")
        guard let object = store.get(namespaces, ObjectKey(namespace: "", name: namespace)) else {
            throw APIErrors.namespaceNotFound(namespace)
        }
        if ObjectMetaRules.isDeleting(object) {
            throw APIErrors.namespaceTerminating(namespace, definition, name: name)
        }
    }
}
