import KubeModel
import APIMachinery

/// The `scale` subresource (`autoscaling/v1` Scale) of workloads and of CRDs that declare one:
/// what `kubectl scale` and autoscalers read and write instead of the whole object.
extension APIServer {
    func serveScale(_ info: RequestInfo, _ definition: ResourceDefinition, _ request: APIRequest) throws(APIStatus) -> APIResponse {
        let name = info.name ?? ""
        switch info.verb {
        case .get:
            try ReadOptions(getQuery: request.query).checkReached(store.currentRevision)
            return .json(200, scaleView(of: try get(definition, namespace: info.namespace, name: name), definition))
        case .update:
            let options = try WriteOptions(.update, query: request.query, userAgent: request.headers["user-agent"])
            let body = try BodyDecoding.decode(request.body, contentType: request.headers["content-type"])
            return .json(200, try writeScale(body, definition, namespace: info.namespace, name: name, options: options))
        case .patch:
            guard let type = PatchType(contentType: request.headers["content-type"]) else {
                throw APIErrors.unsupportedMediaType(request.headers["content-type"] ?? "")
            }
            let options = try WriteOptions(.patch, query: request.query, userAgent: request.headers["user-agent"], isApply: type == .apply)
            let current = scaleView(of: try get(definition, namespace: info.namespace, name: name), definition)
            let patched = try patchedScale(current, type: type, body: request.body, definition, name: name)
            return .json(200, try writeScale(patched, definition, namespace: info.namespace, name: name, options: options))
        default:
            throw APIErrors.methodNotAllowed()
        }
    }

    /// The Scale of an object: desired replicas, observed replicas and the pods' selector.
    func scaleView(of object: JSONValue, _ definition: ResourceDefinition) -> JSONValue {
        guard let paths = definition.scale else { return .null }
        var metadata: [String: JSONValue] = [:]
        for field in ["name", "namespace", "uid", "resourceVersion", "creationTimestamp"] {
            if let value = object[path: ["metadata", field]] { metadata[field] = value }
        }
        var status: [String: JSONValue] = ["replicas": .int(object[path: paths.statusReplicas]?.intValue ?? 0)]
        if let path = paths.labelSelector, let value = object[path: path] {
            let selector = paths.selectorIsStructured ? ((try? LabelSelector(json: value))?.description ?? "") : (value.stringValue ?? "")
            if !selector.isEmpty { status["selector"] = .string(selector) }
        }
        return ["kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": .object(metadata),
                "spec": ["replicas": .int(object[path: paths.specReplicas]?.intValue ?? 0)],
                "status": .object(status)]
    }

    /// Applies a Scale to its object: only the desired replica count changes; a resourceVersion
    /// in the Scale is a precondition on the object, as the real registry treats it.
    private func writeScale(_ scale: JSONValue, _ definition: ResourceDefinition, namespace: String?, name: String,
                            options: WriteOptions) throws(APIStatus) -> JSONValue {
        guard let paths = definition.scale else { throw APIErrors.unknownPath }
        if let kind = scale["kind"]?.stringValue, kind != "Scale" {
            throw APIErrors.badRequest("expected Scale, got \(kind)")
        }
        if let bodyName = ObjectMetaRules.name(scale), bodyName != name {
            throw APIErrors.badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
        }
        let replicas = scale[path: ["spec", "replicas"]] ?? .int(0)
        var errors: [FieldError] = []
        if let count = replicas.intValue {
            if count < 0 { errors.append(.invalid("spec.replicas", replicas, "must be greater than or equal to 0")) }
        } else {
            errors.append(.invalid("spec.replicas", replicas, "must be an integer"))
        }
        guard errors.isEmpty else { throw APIErrors.invalid(group: "autoscaling", kind: "Scale", name: name, errors) }
        var object = try get(definition, namespace: namespace, name: name)
        object[path: paths.specReplicas] = .int(replicas.intValue ?? 0)
        object[path: ["metadata", "resourceVersion"]] = scale[path: ["metadata", "resourceVersion"]]?.stringValue.map { .string($0) }
        let result = try update(definition, namespace: namespace, name: name, body: object, subresource: nil, options: options)
        return scaleView(of: result.object, definition)
    }

    private func patchedScale(_ current: JSONValue, type: PatchType, body: [UInt8], _ definition: ResourceDefinition,
                              name: String) throws(APIStatus) -> JSONValue {
        let document = try patchDocument(type, body)
        switch type {
        case .merge, .apply:
            // Scale has no lists, so an apply of it merges like a merge patch.
            return JSONMergePatch.apply(document, to: current)
        case .strategic:
            do throws(PatchError) { return try StrategicMergePatch.apply(document, to: current, strategies: .none) } catch {
                throw Self.patchFailure(error, definition, name: name)
            }
        case .json:
            do throws(PatchError) { return try JSONPatch.apply(document, to: current) } catch {
                throw Self.patchFailure(error, definition, name: name)
            }
        }
    }
}
