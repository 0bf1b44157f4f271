import Foundation
import APIMachinery
import KubeModel
import Yams

/// Applies a file of manifests (YAML documents or JSON) with server-side apply, the way
/// `kubectl apply --server-side` would, so `causeway dev --apply` can seed a cluster.
public struct ManifestApplier: Sendable {
    let server: APIServer

    public init(server: APIServer) {
        self.server = server
    }

    /// Returns one `kind/name created|configured|unchanged` line per object.
    public func apply(file: URL) throws -> [String] {
        let text = try String(contentsOf: file, encoding: .utf8)
        var lines: [String] = []
        for document in try Yams.compose_all(yaml: text) {
            let object = try JSONValue(yaml: document)
            guard case .object = object else { continue }
            lines.append(try apply(object))
        }
        return lines
    }

    /// Creates the object unless one of that name exists; an existing object is left exactly as
    /// it is (`kind/name unchanged (exists)`).
    public func create(_ object: JSONValue) throws -> String {
        let apiVersion = object["apiVersion"]?.stringValue ?? ""
        let kind = object["kind"]?.stringValue ?? ""
        let gvk = GroupVersionKind(apiVersion: apiVersion, kind: kind)
        guard let definition = server.registry.lookup(group: gvk.group, version: gvk.version, kind: kind) else {
            throw APIStatus(message: "no matches for kind \"\(kind)\" in version \"\(apiVersion)\"", reason: "NotFound", code: 404)
        }
        let name = ObjectMetaRules.name(object) ?? ""
        let namespace = definition.namespaced ? (object[path: ["metadata", "namespace"]]?.stringValue ?? "default") : nil
        if (try? server.get(definition, namespace: namespace, name: name)) != nil {
            return "\(definition.qualifiedResource)/\(name) unchanged (exists)"
        }
        _ = try server.create(definition, namespace: namespace, body: object, options: WriteOptions(fieldManager: "causeway-dev"))
        return "\(definition.qualifiedResource)/\(name) created"
    }

    public func apply(_ object: JSONValue) throws -> String {
        let apiVersion = object["apiVersion"]?.stringValue ?? ""
        let kind = object["kind"]?.stringValue ?? ""
        let gvk = GroupVersionKind(apiVersion: apiVersion, kind: kind)
        guard let definition = server.registry.lookup(group: gvk.group, version: gvk.version, kind: kind) else {
            throw APIStatus(message: "no matches for kind \"\(kind)\" in version \"\(apiVersion)\"", reason: "NotFound", code: 404)
        }
        let name = ObjectMetaRules.name(object) ?? ""
        let namespace = definition.namespaced ? (object[path: ["metadata", "namespace"]]?.stringValue ?? "default") : nil
        let before = try? server.get(definition, namespace: namespace, name: name)
        var options = WriteOptions(fieldManager: "causeway-dev")
        options.force = true
        let result = try server.patch(definition, namespace: namespace, name: name, type: .apply, body: object.serialized(),
                                      subresource: nil, options: options)
        let verb = before == nil ? "created" : (before?[path: ["metadata", "resourceVersion"]] == result.object[path: ["metadata", "resourceVersion"]] ? "unchanged" : "configured")
        return "\(definition.qualifiedResource)/\(name) \(verb)"
    }
}
