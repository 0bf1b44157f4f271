import KubeModel

/// The two calls an informer needs: list everything, then watch from the list's resourceVersion.
/// Tests substitute an in-memory one.
public protocol ListerWatcher: Sendable {
    /// A complete, consistent list (all pages), each item passed through `transform` as it is decoded.
    func list(transform: ObjectTransform) async throws -> ObjectList
    /// A watch from `resourceVersion`; bookmarks requested; ends when the server closes it.
    func watch(resourceVersion: String, timeoutSeconds: Int) async throws -> AsyncThrowingStream<WatchEvent, any Error>
}

/// A lister-watcher over a real resource.
public struct ResourceListerWatcher: ListerWatcher {
    public let resource: DynamicResourceClient
    public let namespace: String?
    public let labelSelector: String?
    public let fieldSelector: String?
    /// Page size of lists; nil (the default) lists in one response. Only an etcd-backed API server
    /// serves every page from one snapshot; a server that pages over live state (DevCluster does)
    /// would hand the informer objects newer than the list's resourceVersion, which the watch then
    /// replays. One unpaged list is one consistent snapshot everywhere — and is what client-go's
    /// first list (resourceVersion "0", from the watch cache) gets anyway.
    public var pageSize: Int?

    public init(resource: DynamicResourceClient, namespace: String?, labelSelector: String?, fieldSelector: String?) {
        self.resource = resource
        self.namespace = namespace
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
    }

    public func list(transform: ObjectTransform) async throws -> ObjectList {
        try await resource.listAll(namespace: namespace, options: ListOptions(labelSelector: labelSelector, fieldSelector: fieldSelector, limit: pageSize),
                                   transform: transform)
    }

    public func watch(resourceVersion: String, timeoutSeconds: Int) async throws -> AsyncThrowingStream<WatchEvent, any Error> {
        try await resource.watch(namespace: namespace, options: ListOptions(
            labelSelector: labelSelector, fieldSelector: fieldSelector, resourceVersion: resourceVersion,
            allowWatchBookmarks: true, timeoutSeconds: timeoutSeconds))
    }
}
