import ArgumentParser
import Controller
import Foundation
import KubeClient
import Logging
import ProcessSupport
import Translator

/// `causeway controller`: the Gateway API and Ingress controller, against the cluster of a
/// kubeconfig or the one it runs in.
struct ControllerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "controller",
        abstract: "Run the Gateway API and Ingress controller.")

    @Option(help: "Kubeconfig to use (default: KUBECONFIG, ~/.kube/config, then the in-cluster service account).")
    var kubeconfig: String?

    @Option(help: "Kubeconfig context to use.")
    var context: String?

    @Option(help: "Namespace the controller runs in (its Lease and the Ingress data planes live here).")
    var namespace: String = ProcessInfo.processInfo.environment["POD_NAMESPACE"] ?? "causeway-system"

    @Option(help: "This replica's name for leader election and Events (default: POD_NAME, else the host name).")
    var identity: String = ProcessInfo.processInfo.environment["POD_NAME"] ?? ProcessInfo.processInfo.hostName

    @Flag(inversion: .prefixedNo, help: "Reconcile only while holding the Lease, so several replicas are safe.")
    var leaderElect = true

    @Option(help: "Address of /metrics, /healthz and /readyz.")
    var opsAddress: String = "0.0.0.0"

    @Option(help: "Port of /metrics, /healthz and /readyz (0 picks a free one).")
    var opsPort: Int = 8081

    @Option(help: "Address of the configuration server proxies stream from.")
    var configAddress: String = "0.0.0.0"

    @Option(help: "Port of the configuration server (0 picks a free one).")
    var configPort: Int = 15010

    @Option(parsing: .upToNextOption, help: "Extra names and addresses for the configuration server's certificate.")
    var servingName: [String] = []

    @Option(help: "The Causeway image the data-plane pods run.")
    var proxyImage: String = ProcessInfo.processInfo.environment["CAUSEWAY_PROXY_IMAGE"] ?? InfrastructureSettings().image

    @Option(help: "Where data-plane proxies reach the controller's configuration server.")
    var controlPlaneUrl: String?

    // High on purpose: 10,000 routes need 10,000 status writes, and the API server's own priority
    // and fairness is what protects it; this limit only stops a runaway loop.
    @Option(help: "Requests per second to the API server (sustained).")
    var kubeApiQps: Double = 2000

    @Option(help: "Requests to the API server in a burst.")
    var kubeApiBurst: Int = 4000

    @Flag(inversion: .prefixedNo, help: "Run the mesh CA: sign workload certificates on the configuration server's port and publish the trust bundle.")
    var meshCa = true

    @Option(help: "How often the leader advances the mesh CA's root rotation and republishes the trust bundle, in milliseconds.")
    var meshIntervalMs: Int = 1000

    @Flag(inversion: .prefixedNo, help: "Inject sidecars: answer POST /inject (AdmissionReview v1) on the configuration server's port, keep the caBundle of MutatingWebhookConfiguration causeway-sidecar-injector, and report pods of meshed namespaces that run without a sidecar.")
    var sidecarInjection = true

    @OptionGroup var sidecar: SidecarOptions

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    func validate() throws {
        guard meshIntervalMs >= 10 else { throw ValidationError("--mesh-interval-ms must be at least 10") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level: unknown level \"\(logLevel)\"") }
    }

    func run() async throws {
        ParentWatch.startIfRequested()
        var logger = Logger(label: "causeway.controller")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        var config: ClientConfig
        if let kubeconfig {
            config = try KubeConfigFile(path: kubeconfig).clientConfig(context: context)
        } else {
            config = try ClientConfig.load(context: context)
        }
        config.qps = kubeApiQps
        config.burst = kubeApiBurst
        config.userAgent = "causeway-controller"
        var infrastructure = InfrastructureSettings(image: proxyImage)
        infrastructure.controlPlaneURL = controlPlaneUrl ?? "https://causeway-controller.\(namespace).svc:\(configPort == 0 ? "{port}" : String(configPort))"
        var options = ControllerOptions(
            namespace: namespace, identity: identity, leaderElection: leaderElect, infrastructure: infrastructure,
            opsHost: opsAddress, opsPort: opsPort, configHost: configAddress, configPort: configPort, servingNames: servingName,
            podName: ProcessInfo.processInfo.environment["POD_NAME"], meshCA: meshCa, meshTick: .milliseconds(meshIntervalMs))
        options.sidecarInjection = sidecarInjection
        options.sidecarImage = sidecar.sidecarImage
        sidecar.apply(to: &options.injection)
        let controller = GatewayController(client: KubeClient(config: config, logger: logger), options: options, logger: logger)
        logger.info("starting", metadata: ["namespace": "\(namespace)", "identity": "\(identity)", "server": "\(config.server)"])
        let task = Task { try await controller.run() }
        await ShutdownSignal.wait()
        logger.info("shutting down")
        task.cancel()
        _ = try? await task.value
    }
}
