import ArgumentParser
import Foundation
import DevCluster
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
        for path in apply {
            let summary = try ManifestApplier(server: cluster.apiServer).apply(file: URL(fileURLWithPath: path))
            for line in summary { Console.line(line) }
        }
        Console.line("causeway dev: API server listening on \(cluster.url) (ready in \(elapsed.formatted(.units(allowed: [.milliseconds]))))")
        Console.line("causeway dev: kubeconfig written to \(kubeconfigURL.path)")
        Console.line("causeway dev: try  kubectl --kubeconfig \(kubeconfigURL.path) get namespaces")
        await ShutdownSignal.wait()
        Console.line("causeway dev: shutting down")
        await cluster.stop()
    }
}
