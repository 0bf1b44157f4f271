import KubeModel

/// The outcome of a controller's write: done, nothing to do, the object is gone (or replaced by
/// another with the same name), or refused by the API rules.
enum ControllerWriteOutcome {
    case written
    case unchanged
    case gone
    case failed(APIStatus)
}

extension APIServer {
    /// Rewrites a stored object through the update verb, so the write follows every API rule:
    /// reads the object, lets `change` decide its next version (nil: nothing to do), PUTs it with
    /// the resourceVersion it read, and starts over when someone wrote in between (409).
    /// With `uid`, only that incarnation of the object is touched.
    @discardableResult
    func rewrite(_ location: ObjectLocation, uid: String?, manager: String, subresource: String? = nil, attempts: Int = 5,
                 _ change: (JSONValue) -> JSONValue?) -> ControllerWriteOutcome {
        guard let definition = registry.anyVersion(of: location.storageKey) else { return .gone }
        let namespace = location.objectKey.namespace.isEmpty ? nil : location.objectKey.namespace
        var lastConflict: APIStatus?
        for _ in 0..<attempts {
            guard let current = store.get(location.storageKey, location.objectKey) else { return .gone }
            if let uid, current[path: ["metadata", "uid"]]?.stringValue != uid { return .gone }
            guard var next = change(current) else { return .unchanged }
            next["apiVersion"] = .string(definition.apiVersion)
            next[path: ["metadata", "resourceVersion"]] = current[path: ["metadata", "resourceVersion"]]
            do {
                _ = try update(definition, namespace: namespace, name: location.objectKey.name, body: next,
                               subresource: subresource, options: WriteOptions(fieldManager: manager))
                return .written
            } catch where error.code == 409 {
                lastConflict = error
            } catch where error.code == 404 {
                return .gone
            } catch {
                return .failed(error)
            }
        }
        return .failed(lastConflict ?? APIErrors.internalError("\(location) could not be written"))
    }
}
