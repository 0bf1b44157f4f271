/// The Gateway API kinds (`gateway.networking.k8s.io`), as Swift values with the API's field names.
///
/// They live in this namespace because the data plane's model (`ProxyConfig`) reuses the API's
/// names for its own, narrower types (`HTTPRoute`, `Listener`, ...), and the translator reads both.
public enum GatewayAPI {
    public static let group = "gateway.networking.k8s.io"
}

/// A Kubernetes object with a typed `spec`: what an informer's JSON decodes into.
public protocol KubeObject: Codable, Hashable, Sendable {
    var metadata: ObjectMeta { get }
}
