import ArgumentParser
import Controller
import DevCluster
import Foundation
import KubeClient
import Logging
import NIOCore
import NIOPosix
import ProcessSupport
import Translator

/// `causeway dev`: the whole control plane on one machine, against an embedded API server
/// that `kubectl` talks to as to a real cluster.
struct DevCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev",
        abstract: "Run Causeway locally against an embedded Kubernetes-compatible API server.")

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 6443

    @Option(help: "Where to write the kubeconfig.")
    var kubeconfig = ".causeway/kubeconfig"

    @Option(help: "Keep objects in this directory across restarts (default: in memory only).")
    var dataDir: String?

    @Flag(help: "Serve plain HTTP instead of HTTPS (no authentication).")
    var insecureHTTP = false

    @Option(parsing: .upToNextOption, help: "Manifests (YAML or JSON files) to apply once the server is up.")
    var apply: [String] = []

    @Flag(inversion: .prefixedNo, help: "Install Causeway's CRDs and default classes and run the controller (the kubelet for Causeway's own workloads runs either way).")
    var controller = true

    @Option(help: "Causeway's Manifests directory (default: ./Manifests or the one installed with the binary).")
    var manifests: String?

    @Option(help: "Log level of the controller: trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    @Option(help: "Shift Gateway listener ports by this much (default: 0 as root, else 8000, since ports below 1024 need root).")
    var portOffset: Int?

    func run() async throws {
        ParentWatch.startIfRequested()
        var configuration = DevCluster.Configuration()
        configuration.host = host
        configuration.port = port
        configuration.tls = !insecureHTTP
        configuration.dataDirectory = dataDir.map { URL(fileURLWithPath: $0) }
        // Pods get addresses of a range made local on this machine when running as root; otherwise
        // loopback ones, which the API server then has to accept in EndpointSlices (dev only).
        let pool = PodAddressPool.best()
        configuration.allowLoopbackEndpoints = pool.range == .loopback
        let offset = portOffset ?? (getuid() == 0 ? 0 : 8000)
        let started = ContinuousClock.now
        let cluster = try await DevCluster.start(configuration)
        let kubeconfigURL = URL(fileURLWithPath: kubeconfig)
        try cluster.writeKubeconfig(to: kubeconfigURL)
        let elapsed = ContinuousClock.now - started
        var controllerTask: Task<Void, any Error>?
        var controllerEngine: CurlEngine?
        var kubelet: DevKubelet?
        if controller {
            let installed = try DevControlPlane.install(into: cluster, manifests: try DevControlPlane.locateManifests(manifests))
            Console.line("causeway dev: installed \(installed.filter { $0.hasSuffix(" created") }.count) objects (Gateway API CRDs only where absent)")
            var config = try KubeConfigFile(path: kubeconfigURL.path).clientConfig()
            config.qps = 500
            config.burst = 1000
            config.userAgent = "causeway-controller (dev)"
            var logger = Logger(label: "causeway.controller")
            logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
            var infrastructure = InfrastructureSettings(image: "causeway:dev")
            infrastructure.controlPlaneURL = "https://127.0.0.1:{port}"
            let options = ControllerOptions(namespace: DevControlPlane.namespace, identity: "causeway-dev", leaderElection: false,
                                            infrastructure: infrastructure, opsHost: host, opsPort: 0,
                                            configHost: "127.0.0.1", configPort: 0)
            // An engine of its own, closed on shutdown: the API server in this process would otherwise
            // wait for the idle connections of a shared one to close.
            let engine = CurlEngine()
            controllerEngine = engine
            let client = KubeClient(config: config, transport: CurlTransport(engine: engine), logger: logger)
            let gatewayController = GatewayController(client: client, options: options, logger: logger)
            controllerTask = Task { try await gatewayController.run() }
        }
        do {
            let workDirectory = configuration.dataDirectory?.appendingPathComponent("kubelet")
                ?? FileManager.default.temporaryDirectory.appendingPathComponent("causeway-dev-\(getpid())")
            let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
            let devKubelet = DevKubelet(server: cluster.apiServer, configuration: .init(
                executable: executable, directory: workDirectory, pool: pool, portOffset: offset))
            devKubelet.start()
            kubelet = devKubelet
            DevGatewayAnnouncer(portOffset: offset).start(cluster)
            Console.line("causeway dev: pods get \(pool.range == .benchmarkingRange ? "addresses in 198.18.0.0/15 (made local on lo)" : "loopback addresses (127.1.x.y; not root, so EndpointSlices may hold loopback addresses here)")"
                + (offset != 0 ? "; Gateway ports are shifted by +\(offset) (not root: ports below 1024 need it)" : ""))
        }
        for path in apply {
            let summary = try ManifestApplier(server: cluster.apiServer).apply(file: URL(fileURLWithPath: path))
            for line in summary { Console.line(line) }
        }
        Console.line("causeway dev: API server listening on \(cluster.url) (ready in \(elapsed.formatted(.units(allowed: [.milliseconds]))))")
        Console.line("causeway dev: kubeconfig written to \(kubeconfigURL.path)")
        Console.line("causeway dev: try  kubectl --kubeconfig \(kubeconfigURL.path) get namespaces")
        await ShutdownSignal.wait()
        Console.line("causeway dev: shutting down")
        await kubelet?.stop()
        controllerTask?.cancel()
        _ = try? await controllerTask?.value
        controllerEngine?.shutdown()
        await cluster.stop()
    }
}
