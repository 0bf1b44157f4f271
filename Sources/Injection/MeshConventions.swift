/// The names and numbers every part of the mesh agrees on (the capture init container, the
/// sidecar proxy, the webhook and the control plane): one place, so they cannot drift apart.
public enum MeshConventions {
    /// Namespace label that opts every pod of the namespace into the mesh.
    public static let meshLabel = "causeway.dev/mesh"
    public static let meshLabelEnabled = "enabled"
    /// Pod annotation; `"false"` keeps one pod out of a meshed namespace.
    public static let injectAnnotation = "causeway.dev/inject"
    /// Pod annotation the injector adds; its value is the injector's version.
    public static let injectedAnnotation = "causeway.dev/injected"

    /// Namespaces whose pods are never injected, whatever their labels say: the cluster's own
    /// components must start even when the mesh cannot (the control plane's namespace is added
    /// from the settings).
    public static let systemNamespaces: Set<String> = ["kube-system", "kube-public", "kube-node-lease"]

    public static let initContainerName = "causeway-init"
    public static let proxyContainerName = "causeway-proxy"

    /// The proxy's UID and GID; capture exempts this UID's traffic, so the proxy's own
    /// connections are not sent back to itself.
    public static let proxyUID: Int64 = 15337

    public static let outboundCapturePort: Int64 = 15001
    public static let inboundCapturePort: Int64 = 15006
    /// The proxy's health endpoint: `/ready`, `/live` and `/app-health/<container>/<kind>`.
    public static let healthPort: Int64 = 15021
    /// The proxy's admin endpoint (loopback only).
    public static let adminPort: Int64 = 15000

    /// Where the image installs the binary (Dockerfile: `COPY --from=build /staging/ /usr/local/`).
    public static let binaryPath = "/usr/local/bin/causeway"

    /// Audiences of the projected service-account tokens the proxy presents.
    public static let controlPlaneTokenAudience = "causeway-control-plane"
    public static let caTokenAudience = "causeway-ca"
}
