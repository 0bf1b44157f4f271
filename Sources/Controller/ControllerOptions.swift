import Injection
import Translator

/// How one controller process runs.
public struct ControllerOptions: Sendable {
    /// The namespace the controller runs in: its Lease, its Ingress data planes.
    public var namespace: String
    /// Unique per replica (the pod name in a cluster), for leader election and Events.
    public var identity: String
    /// This replica's pod (from the downward API), labelled while it leads; nil outside a cluster.
    public var podName: String?
    /// Run the reconcilers only while holding the Lease (needed when several replicas run).
    public var leaderElection: Bool
    public var leaseName: String
    public var translator: TranslatorSettings
    public var infrastructure: InfrastructureSettings
    /// Address of `/metrics`, `/healthz` and `/readyz`; port 0 picks a free one, nil turns it off.
    public var opsHost: String
    public var opsPort: Int?
    /// Status and apply writes in flight at once.
    public var writeConcurrency: Int
    /// The window in which changes following another are merged into one reconcile (a change
    /// after a quiet spell is reconciled at once).
    public var debounce: Duration
    /// Where proxies fetch their configuration; nil serves no configuration.
    public var configHost: String
    public var configPort: Int?
    /// Names and addresses the configuration server's certificate is valid for, besides the
    /// in-cluster Service names.
    public var servingNames: [String]
    /// Run the mesh CA (served on the configuration server's port).
    public var meshCA: Bool
    /// How often the leader advances the mesh CA's rotation and republishes the bundle.
    public var meshTick: Duration
    /// Sidecar injection: `/inject` on the configuration server's port, the `caBundle` of
    /// MutatingWebhookConfiguration `causeway-sidecar-injector`, and the report of pods in meshed
    /// namespaces that run without a sidecar.
    public var sidecarInjection = true
    /// What injected pods get. Its image (unless `sidecarImage` is set), pull policy, control-plane
    /// URL and namespace are taken from `infrastructure` and `namespace`, as gateways get them.
    public var injection = InjectionSettings()
    public var sidecarImage: String?

    public init(namespace: String = "causeway-system", identity: String, leaderElection: Bool = true,
                leaseName: String = "causeway-controller", translator: TranslatorSettings = TranslatorSettings(),
                infrastructure: InfrastructureSettings = InfrastructureSettings(), opsHost: String = "0.0.0.0",
                opsPort: Int? = 8081, writeConcurrency: Int = 16, debounce: Duration = .milliseconds(50),
                configHost: String = "0.0.0.0", configPort: Int? = 15010, servingNames: [String] = [], podName: String? = nil,
                meshCA: Bool = true, meshTick: Duration = .seconds(1)) {
        self.meshCA = meshCA
        self.meshTick = meshTick
        self.podName = podName
        self.namespace = namespace
        self.identity = identity
        self.leaderElection = leaderElection
        self.leaseName = leaseName
        var translator = translator
        translator.controllerNamespace = namespace
        self.translator = translator
        self.infrastructure = infrastructure
        self.opsHost = opsHost
        self.opsPort = opsPort
        self.writeConcurrency = writeConcurrency
        self.debounce = debounce
        self.configHost = configHost
        self.configPort = configPort
        self.servingNames = servingNames
    }

    /// The names in the configuration server's certificate.
    var certificateNames: [String] {
        ["causeway-controller.\(namespace).svc", "causeway-controller.\(namespace).svc.cluster.local", "localhost", "127.0.0.1"]
            + servingNames
    }
}
