import ArgumentParser
import Foundation
import Logging
import NIOCore
import NIOPosix
import OpsServer
import ProcessSupport
import Proxy
import ProxyConfig

/// The data plane's options and its run, configured from a file (reloaded on change) or streamed
/// from the control plane: the whole of `causeway-proxy`, and `causeway proxy`.
public struct ProxyOptions: ParsableArguments {
    public static let abstract = "Run the Causeway data plane from a ProxyConfig file or from the control plane."

    public init() {}

    @Option(help: "Path of a ProxyConfig file (.json, or YAML otherwise); reloaded when it changes.")
    var config: String?

    @Option(help: "The control plane's configuration server (https://host:port); the proxy streams its configuration from it.")
    var controlPlane: String?

    @Option(help: "Which data plane this proxy belongs to (gateway/NAMESPACE/NAME or ingress/CLASS); with --control-plane.")
    var proxyKey: String?

    @Option(help: "This proxy's name in acknowledgements (default: POD_NAME, else the host name).")
    var pod: String = ProcessInfo.processInfo.environment["POD_NAME"] ?? ProcessInfo.processInfo.hostName

    @Option(help: "File with the service-account token presented to the control plane.")
    var tokenFile: String?

    @Option(help: "PEM bundle of the CA that signs the control plane's certificate.")
    var caFile: String?

    @Option(help: "Port of the admin endpoint (/metrics, /ready, /config); 0 picks a free port.")
    var adminPort: Int = 9901

    @Option(help: "Address the admin endpoint binds to (it shows private keys: keep it on loopback).")
    var adminAddress: String = Self.environmentAddresses.first ?? "127.0.0.1"

    @Option(help: "Port of the health endpoint on all addresses (/ready, /live, /metrics), for kubelet probes.")
    var healthPort: Int?

    @Option(parsing: .upToNextOption, help: "Bind every listener on these addresses instead of the configured one (default: CAUSEWAY_BIND_ADDRESSES).")
    var bindAddress: [String] = Self.environmentAddresses

    @Option(help: "Add this to every listener port, to run without the privilege low ports need (default: CAUSEWAY_PORT_OFFSET).")
    var portOffset: Int = Int(ProcessInfo.processInfo.environment["CAUSEWAY_PORT_OFFSET"] ?? "") ?? 0

    @Flag(help: "Bind listeners with SO_REUSEPORT, so several proxies on one host share an address (CAUSEWAY_REUSE_PORT=1).")
    var reusePort = false

    static func environment(_ name: String) -> String? {
        ProcessInfo.processInfo.environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `causeway dev` runs every proxy in one network namespace and tells each where to listen.
    static var environmentAddresses: [String] {
        (ProcessInfo.processInfo.environment["CAUSEWAY_BIND_ADDRESSES"] ?? "").split(separator: ",").map(String.init)
    }

    @Option(help: "Event loop threads (default: one per CPU core).")
    var threads: Int = System.coreCount

    @Option(help: "Access log destination: stdout, stderr or off.")
    var accessLog: String = "stdout"

    @Option(help: "How often to check the config file for changes, in milliseconds.")
    var reloadIntervalMs: Int64 = 1000

    @Option(help: "How long to let requests in flight finish on SIGTERM, in seconds.")
    var drainTimeout: Int = 30

    @Flag(help: "Get a SPIFFE workload certificate from the mesh CA and renew it, for mesh listeners and mesh backends (mtls).")
    var meshIdentity = false

    @Option(help: "The mesh CA's URL (default: --control-plane).")
    var caAddress: String?

    @Option(help: "The mesh's SPIFFE trust domain.")
    var trustDomain: String = "cluster.local"

    @Option(help: "This workload's namespace (default: POD_NAMESPACE).")
    var namespace: String?

    @Option(help: "This workload's service account (default: SERVICE_ACCOUNT).")
    var serviceAccount: String?

    @Option(help: "Token for audience causeway-ca presented to the mesh CA (default: --token-file).")
    var caTokenFile: String?

    @Option(help: "Workload certificate lifetime to ask the CA for, in seconds (default: the CA's).")
    var certificateLifetime: Int?

    @Option(help: "How often to fetch the mesh trust bundle, in milliseconds (root rotations arrive this way).")
    var trustBundlePollIntervalMs: Int64 = 30_000

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    @Option(help: "gateway (serve the configured listeners) or sidecar (also take the pod's traffic that `causeway init` redirects; implies --mesh-identity).")
    var mode: String = "gateway"

    @Option(help: "The downward API's file of this pod's labels, for selector-scoped MeshTLSPolicies (sidecar mode).")
    var podLabelsFile: String?

    private var isSidecar: Bool { mode == "sidecar" }

    public func validate() throws {
        guard ["gateway", "sidecar"].contains(mode) else { throw ValidationError("--mode must be gateway or sidecar, got \"\(mode)\"") }
        if meshIdentity || isSidecar {
            guard caAddress ?? controlPlane != nil else { throw ValidationError("--mesh-identity needs --ca-address or --control-plane") }
            guard (namespace ?? Self.environment("POD_NAMESPACE")) != nil, (serviceAccount ?? Self.environment("SERVICE_ACCOUNT")) != nil else {
                throw ValidationError("--mesh-identity needs --namespace and --service-account (or POD_NAMESPACE and SERVICE_ACCOUNT)")
            }
            guard trustBundlePollIntervalMs >= 10 else { throw ValidationError("--trust-bundle-poll-interval-ms must be at least 10") }
        }
        guard ["stdout", "stderr", "off"].contains(accessLog) else {
            throw ValidationError("--access-log must be stdout, stderr or off, got \"\(accessLog)\"")
        }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        guard reloadIntervalMs >= 10 else { throw ValidationError("--reload-interval-ms must be at least 10") }
        guard (config == nil) != (controlPlane == nil) else { throw ValidationError("give exactly one of --config and --control-plane") }
        if controlPlane != nil, proxyKey == nil { throw ValidationError("--control-plane needs --proxy-key") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level: unknown level \"\(logLevel)\"") }
    }

    public func run() async throws {
        ParentWatch.startIfRequested()
        var logger = Logger(label: "causeway.proxy")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        let fd: Int32? = accessLog == "stdout" ? 1 : accessLog == "stderr" ? 2 : nil
        var identityTask: Task<Void, Never>?
        var identity: WorkloadIdentity?
        if meshIdentity || isSidecar, let url = caAddress ?? controlPlane,
           let namespace = namespace ?? Self.environment("POD_NAMESPACE"),
           let serviceAccount = serviceAccount ?? Self.environment("SERVICE_ACCOUNT") {
            let workload = WorkloadIdentity(trustDomain: trustDomain)
            let client = try WorkloadCertificateClient(
                settings: .init(url: url, caFile: caFile, tokenFile: caTokenFile ?? tokenFile, namespace: namespace,
                                serviceAccount: serviceAccount, pod: pod, lifetime: certificateLifetime.map(TimeInterval.init),
                                bundlePollInterval: .milliseconds(trustBundlePollIntervalMs)),
                identity: workload, group: group, logger: logger)
            identityTask = Task { await client.run() }
            identity = workload
        }
        var podLabels: [String: String] = [:]
        if let podLabelsFile {
            // The kubelet writes the file before any container starts; a missing one is a mistake.
            podLabels = PodLabels.parse(try String(contentsOfFile: podLabelsFile, encoding: .utf8))
        }
        let options = ProxyServer.Options(
            accessLogFileDescriptor: fd, reusePort: reusePort || ProcessInfo.processInfo.environment["CAUSEWAY_REUSE_PORT"] == "1",
            identity: identity, podLabels: podLabels)
        let binding = LocalBinding(addresses: bindAddress, portOffset: portOffset)
        var appProbes: AppProbes?
        if let json = ProcessInfo.processInfo.environment["CAUSEWAY_APP_PROBES"], !json.isEmpty {
            do {
                appProbes = try AppProbes(json: json)
            } catch {
                throw ValidationError("CAUSEWAY_APP_PROBES is not the injector's JSON: \(error)")
            }
        }
        let runtime = ProxyRuntime(appProbes: appProbes, group: group)
        var health: OpsServer?
        if let healthPort {
            health = try await OpsServer.start(host: bindAddress.first ?? "0.0.0.0", port: healthPort, group: group) { path in
                await runtime.healthAnswer(path)
            }
        }
        var background: Task<Void, Never>?
        var watcher: ConfigFileWatcher?
        if let config {
            let initialBytes = try ProxyConfigFile.readBytes(path: config)
            let initial = try ProxyConfigFile.decode(initialBytes, path: config)
            let server = try await ProxyServer.start(config: binding.apply(to: initial), group: group, options: options)
            runtime.started(server)
            let fileWatcher = ConfigFileWatcher(path: config, server: server, initialContent: initialBytes, logger: logger)
            fileWatcher.start(on: group.next(), every: .milliseconds(reloadIntervalMs))
            watcher = fileWatcher
            let ports = initial.listeners.map { "\($0.name)=\(server.boundPort(listener: $0.name).map(String.init) ?? "?")" }
            logger.info("proxy serving", metadata: ["version": "\(initial.version)", "listeners": "\(ports.joined(separator: ","))"])
        } else if let controlPlane, let proxyKey {
            let client = try ControlPlaneClient(
                settings: .init(url: controlPlane, proxyKey: proxyKey, pod: pod, tokenFile: tokenFile, caFile: caFile),
                group: group, logger: logger)
            let applier = StreamedConfigApplier(runtime: runtime, binding: binding, group: group, options: options,
                                                proxyKey: proxyKey, pod: pod, logger: logger)
            logger.info("streaming configuration", metadata: ["controlPlane": "\(controlPlane)", "proxyKey": "\(proxyKey)", "pod": "\(pod)"])
            background = Task { await client.run { message in await applier.handle(message) } }
        }
        let adminAddress = self.adminAddress, adminPort = self.adminPort
        let admin = Task { () -> OpsServer? in
            guard let server = await runtime.waitForServer() else { return nil }
            return try? await AdminServer.start(host: adminAddress, port: adminPort, proxy: server, group: group)
        }

        let signal = await ShutdownSignal.wait()
        logger.info("draining", metadata: ["signal": "\(signal)", "timeout_seconds": "\(drainTimeout)"])
        watcher?.stop()
        background?.cancel()
        identityTask?.cancel()
        runtime.startDraining()
        await runtime.server?.drain(timeout: .seconds(drainTimeout))
        await admin.value?.stop()
        await health?.stop()
        try await group.shutdownGracefully()
    }
}
