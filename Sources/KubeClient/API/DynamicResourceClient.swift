import KubeModel

/// Verbs on one resource, objects as `JSONValue` (client-go's dynamic client).
public struct DynamicResourceClient: Sendable {
    public let client: KubeClient
    public let descriptor: ResourceDescriptor

    /// The namespace to use: the one given, else the object's, else the config's default.
    private func namespace(_ explicit: String?, object: JSONValue? = nil) -> String? {
        guard descriptor.namespaced else { return nil }
        return explicit ?? object?.metaNamespace ?? client.config.namespace
    }

    /// Reads one object (`NotFound` if absent).
    public func get(_ name: String, namespace: String? = nil) async throws -> JSONValue {
        try await client.sendJSON(method: "GET", path: descriptor.path(namespace: self.namespace(namespace), name: name))
    }

    /// One page. `namespace: nil` lists across all namespaces; `transform` trims each item as it is decoded.
    public func list(namespace: String? = nil, options: ListOptions = ListOptions(),
                     transform: ObjectTransform = .identity) async throws -> ObjectList {
        let response = try await client.send(method: "GET", path: descriptor.path(namespace: namespace), query: options.queryItems)
        let bytes = try await response.collectBody()
        return try ListDecoder.decode(bytes, descriptor: descriptor, transform: transform)
    }

    /// Every page, following `continue` tokens; the result carries the first page's resourceVersion.
    public func listAll(namespace: String? = nil, options: ListOptions = ListOptions(),
                        transform: ObjectTransform = .identity) async throws -> ObjectList {
        var options = options
        var page = try await list(namespace: namespace, options: options, transform: transform)
        var result = page
        while let token = page.continueToken {
            options.continueToken = token
            // A continued list must not also pin a resourceVersion: the token carries it.
            options.resourceVersion = nil
            options.resourceVersionMatch = nil
            page = try await list(namespace: namespace, options: options, transform: transform)
            result.items.append(contentsOf: page.items)
        }
        result.continueToken = nil
        result.remainingItemCount = nil
        return result
    }

    /// Creates an object (`AlreadyExists` if the name is taken); returns it as stored.
    public func create(_ object: JSONValue, namespace: String? = nil, options: WriteOptions = WriteOptions()) async throws -> JSONValue {
        try await client.sendJSON(method: "POST", path: descriptor.path(namespace: self.namespace(namespace, object: object)),
                                  query: options.queryItems, body: prepared(object))
    }

    /// Replaces the object; its `metadata.resourceVersion` makes this a compare-and-swap (409 Conflict if stale).
    public func update(_ object: JSONValue, options: WriteOptions = WriteOptions()) async throws -> JSONValue {
        try await client.sendJSON(method: "PUT", path: try objectPath(object, subresource: nil),
                                  query: options.queryItems, body: prepared(object))
    }

    /// Replaces only `status`, through the status subresource.
    public func updateStatus(_ object: JSONValue, options: WriteOptions = WriteOptions()) async throws -> JSONValue {
        try await client.sendJSON(method: "PUT", path: try objectPath(object, subresource: "status"),
                                  query: options.queryItems, body: prepared(object))
    }

    /// Deletes an object; returns what the server answered (the object when finalizers delay it, or a Status).
    @discardableResult
    public func delete(_ name: String, namespace: String? = nil, options: DeleteOptions = DeleteOptions()) async throws -> JSONValue {
        var body: [String: JSONValue] = ["apiVersion": "v1", "kind": "DeleteOptions"]
        var preconditions: [String: JSONValue] = [:]
        if let uid = options.preconditionUID { preconditions["uid"] = .string(uid) }
        if let rv = options.preconditionResourceVersion { preconditions["resourceVersion"] = .string(rv) }
        if !preconditions.isEmpty { body["preconditions"] = .object(preconditions) }
        if let policy = options.propagationPolicy { body["propagationPolicy"] = .string(policy.rawValue) }
        if let grace = options.gracePeriodSeconds { body["gracePeriodSeconds"] = .int(Int64(grace)) }
        if options.dryRun { body["dryRun"] = ["All"] }
        return try await client.sendJSON(method: "DELETE", path: descriptor.path(namespace: self.namespace(namespace), name: name),
                                         body: .object(body))
    }

    /// Patches an object (or its `status` with `subresource: "status"`).
    public func patch(_ name: String, namespace: String? = nil, kind: PatchKind, patch: JSONValue,
                      subresource: String? = nil, options: WriteOptions = WriteOptions()) async throws -> JSONValue {
        var query = options.queryItems
        if case .apply(let manager, let force) = kind {
            query.removeAll { $0.0 == "fieldManager" }
            query.append(("fieldManager", manager))
            if force { query.append(("force", "true")) }
        }
        // JSON is valid YAML, so an apply patch is sent as JSON under the apply-patch+yaml type.
        let body = kind == .json ? patch : prepared(patch)
        return try await client.sendJSON(method: "PATCH",
                                         path: descriptor.path(namespace: self.namespace(namespace, object: patch), name: name, subresource: subresource),
                                         query: query, body: body, contentType: kind.contentType)
    }

    /// Opens one watch; the stream ends when the server closes it. See `Reflector` for a watch that survives that.
    public func watch(namespace: String? = nil, options: ListOptions = ListOptions()) async throws -> AsyncThrowingStream<WatchEvent, any Error> {
        var query = options.queryItems
        query.append(("watch", "true"))
        if options.allowWatchBookmarks { query.append(("allowWatchBookmarks", "true")) }
        let response = try await client.send(method: "GET", path: descriptor.path(namespace: namespace), query: query, streaming: true)
        return WatchEventDecoder.events(from: response.body)
    }

    private func objectPath(_ object: JSONValue, subresource: String?) throws -> String {
        guard let name = object.metaName, !name.isEmpty else {
            throw KubeClientError("cannot update a \(descriptor.kind) without metadata.name")
        }
        return descriptor.path(namespace: namespace(nil, object: object), name: name, subresource: subresource)
    }

    /// Fills in `apiVersion` and `kind` when the caller left them out.
    private func prepared(_ object: JSONValue) -> JSONValue {
        guard case .object(var fields) = object else { return object }
        if fields["apiVersion"] == nil { fields["apiVersion"] = .string(descriptor.apiVersion) }
        if fields["kind"] == nil { fields["kind"] = .string(descriptor.kind) }
        return .object(fields)
    }
}

extension DynamicResourceClient {
    /// A lister-watcher over this resource for informers, in one namespace (or all when nil).
    public func listerWatcher(namespace: String? = nil, labelSelector: String? = nil, fieldSelector: String? = nil) -> ResourceListerWatcher {
        ResourceListerWatcher(resource: self, namespace: namespace, labelSelector: labelSelector, fieldSelector: fieldSelector)
    }
}
