import ArgumentParser
import Foundation
import Controller
import DevCluster
import KubeClient
import Logging
import NIOCore
import NIOPosix

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

    @Flag(inversion: .prefixedNo, help: "Install Causeway's CRDs and default classes and run the controller.")
    var controller = true

    @Option(help: "Causeway's Manifests directory (default: ./Manifests or the one installed with the binary).")
    var manifests: String?

    @Option(help: "Log level of the controller: trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    func run() async throws {
        var configuration = DevCluster.Configuration()
        configuration.host = host
        configuration.port = port
        configuration.tls = !insecureHTTP
        configuration.dataDirectory = dataDir.map { URL(fileURLWithPath: $0) }
        let started = ContinuousClock.now
        let cluster = try await DevCluster.start(configuration)
        let kubeconfigURL = URL(fileURLWithPath: kubeconfig)
        try cluster.writeKubeconfig(to: kubeconfigURL)
        let elapsed = ContinuousClock.now - started
        var controllerTask: Task<Void, any Error>?
        var controllerEngine: CurlEngine?
        if controller {
            let installed = try DevControlPlane.install(into: cluster, manifests: try DevControlPlane.locateManifests(manifests))
            Console.line("causeway dev: installed \(installed.filter { $0.hasSuffix(" created") }.count) objects (Gateway API CRDs only where absent)")
            var config = try KubeConfigFile(path: kubeconfigURL.path).clientConfig()
            config.qps = 500
            config.burst = 1000
            config.userAgent = "causeway-controller (dev)"
            var logger = Logger(label: "causeway.controller")
            logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
            let options = ControllerOptions(namespace: DevControlPlane.namespace, identity: "causeway-dev", leaderElection: false,
                                            opsHost: host, opsPort: 0)
            // An engine of its own, closed on shutdown: the API server in this process would otherwise
            // wait for the idle connections of a shared one to close.
            let engine = CurlEngine()
            controllerEngine = engine
            let client = KubeClient(config: config, transport: CurlTransport(engine: engine), logger: logger)
            let gatewayController = GatewayController(client: client, options: options, logger: logger)
            controllerTask = Task { try await gatewayController.run() }
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
        controllerTask?.cancel()
        _ = try? await controllerTask?.value
        controllerEngine?.shutdown()
        await cluster.stop()
    }
}
