import Injection
import KubeClient
import KubeModel
import Logging
import NIOCore
import NIOHTTP1
import Webhook

/// `/inject` on the configuration server's port: the webhook's endpoint with the namespace's
/// labels from the controller's cache. The API server's namespaceSelector chose the namespace
/// with the labels it has now; the cache can lag a label added a moment ago, so a cached
/// "not in the mesh" is checked with the API server before it leaves a pod without a sidecar.
final class InjectorService: Sendable {
    let endpoint: InjectionEndpoint
    let client: KubeClient
    /// The labels of a namespace in the controller's cache; nil when the cache has not synced or
    /// does not have it (then the selector's choice stands).
    let cachedLabels: @Sendable (String) -> [String: String]?

    init(endpoint: InjectionEndpoint, client: KubeClient, cachedLabels: @escaping @Sendable (String) -> [String: String]?) {
        self.endpoint = endpoint
        self.client = client
        self.cachedLabels = cachedLabels
    }

    static func handles(_ path: String) -> Bool { path == InjectionWebhook.path }

    func answer(method: HTTPMethod, body: ByteBuffer) async -> WebhookAnswer {
        await endpoint.answer(method: method.rawValue, body: body.readableBytesView) { namespace in
            await labels(of: namespace)
        }
    }

    private func labels(of namespace: String) async -> [String: String]? {
        guard let cached = cachedLabels(namespace) else { return nil }
        if cached[MeshConventions.meshLabel] == MeshConventions.meshLabelEnabled { return cached }
        // A list by name, not a GET: the controller's RBAC reads only with list and watch.
        let fresh = try? await client.resource(.namespaces).list(options: ListOptions(fieldSelector: "metadata.name=\(namespace)"))
        return fresh?.items.first?.metaLabels ?? cached
    }
}
