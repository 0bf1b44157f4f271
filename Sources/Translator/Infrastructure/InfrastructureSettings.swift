/// How the controller runs data planes: the image and how proxies reach the control plane.
public struct InfrastructureSettings: Sendable, Hashable {
    /// The Causeway image; proxies run `causeway proxy` from it.
    public var image: String
    public var imagePullPolicy: String
    /// Where proxies fetch their configuration (`https://host:port`).
    public var controlPlaneURL: String
    /// The ConfigMap (in each data plane's namespace) holding the CA bundle that signs the
    /// control plane's serving certificate.
    public var trustBundleConfigMap: String
    /// Audience of the service-account token a proxy presents to the control plane.
    public var tokenAudience: String
    /// Port of the proxy's health and metrics endpoint.
    public var healthPort: Int32
    /// The CA bundle (PEM) proxies trust for the control plane, published in each data plane's
    /// namespace; nil publishes nothing.
    public var trustBundle: String?

    public init(image: String = "ghcr.io/causeway-dev/causeway:latest", imagePullPolicy: String = "IfNotPresent",
                controlPlaneURL: String = "https://causeway-controller.causeway-system.svc:15010",
                trustBundleConfigMap: String = "causeway-control-plane-ca", tokenAudience: String = "causeway-control-plane",
                healthPort: Int32 = 15021) {
        self.image = image
        self.imagePullPolicy = imagePullPolicy
        self.controlPlaneURL = controlPlaneURL
        self.trustBundleConfigMap = trustBundleConfigMap
        self.tokenAudience = tokenAudience
        self.healthPort = healthPort
    }
}
