import ArgumentParser
import Foundation
import Injection
import Logging
import NIOCore
import NIOPosix
import ProcessSupport
import Translator
import Webhook

/// `causeway webhook`: the sidecar injector on its own HTTPS port, for clusters that run the
/// webhook apart from the controller (the controller serves the same `/inject` on its
/// configuration port). The certificate and key files are read again when they change.
struct WebhookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhook",
        abstract: "Serve the sidecar-injection webhook (POST /inject, AdmissionReview v1) over HTTPS.")

    @Option(help: "PEM certificate (chain) the webhook serves; reloaded when it changes.")
    var tlsCertFile: String?

    @Option(help: "PEM private key of the certificate; reloaded when it changes.")
    var tlsKeyFile: String?

    @Flag(help: "Serve plain HTTP instead (local tests only: the API server calls webhooks over HTTPS).")
    var plainHttp = false

    @Option(help: "Address to listen on.")
    var address: String = "0.0.0.0"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port: Int = 9443

    @Option(help: "The control plane's namespace (never injected).")
    var namespace: String = ProcessInfo.processInfo.environment["POD_NAMESPACE"] ?? "causeway-system"

    @Option(help: "Where sidecars reach the control plane (default: https://causeway-controller.<namespace>.svc:15010).")
    var controlPlaneUrl: String?

    @Option(help: "The Causeway image sidecars run (default: CAUSEWAY_PROXY_IMAGE, else the controller's default proxy image).")
    var proxyImage: String = ProcessInfo.processInfo.environment["CAUSEWAY_PROXY_IMAGE"] ?? InfrastructureSettings().image

    @OptionGroup var sidecar: SidecarOptions

    @Option(help: "How often to check the certificate files for changes, in milliseconds.")
    var certificateCheckIntervalMs: Int = 2000

    @Option(help: "Event-loop threads (default: one per core).")
    var threads: Int = System.coreCount

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    func validate() throws {
        guard plainHttp || (tlsCertFile != nil && tlsKeyFile != nil) else {
            throw ValidationError("--tls-cert-file and --tls-key-file are required (the API server calls webhooks over HTTPS)")
        }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        guard certificateCheckIntervalMs >= 10 else { throw ValidationError("--certificate-check-interval-ms must be at least 10") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level: unknown level \"\(logLevel)\"") }
    }

    func run() async throws {
        ParentWatch.startIfRequested()
        var logger = Logger(label: "causeway.webhook")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        var settings = InjectionSettings()
        settings.image = proxyImage
        settings.controlPlaneNamespace = namespace
        settings.controlPlaneURL = controlPlaneUrl ?? "https://causeway-controller.\(namespace).svc:15010"
        sidecar.apply(to: &settings)
        let certificates: CertificateReloader?
        if plainHttp {
            certificates = nil
        } else if let tlsCertFile, let tlsKeyFile {
            do {
                certificates = try CertificateReloader(certificatePath: tlsCertFile, keyPath: tlsKeyFile)
            } catch {
                throw ValidationError("cannot serve with \(tlsCertFile) and \(tlsKeyFile): \(error)")
            }
        } else {
            certificates = nil
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        let server = WebhookServer(endpoint: InjectionEndpoint(webhook: InjectionWebhook(settings: settings), logger: logger),
                                   certificates: certificates, logger: logger)
        let bound = try await server.bind(host: address, port: port, group: group)
        logger.info("serving sidecar injection", metadata: [
            "port": "\(bound)", "path": "\(InjectionWebhook.path)", "tls": "\(!plainHttp)", "image": "\(settings.image)",
            "nativeSidecars": "\(settings.nativeSidecars)",
        ])
        let task = Task { await server.run(certificateCheckInterval: .milliseconds(certificateCheckIntervalMs)) }
        await ShutdownSignal.wait()
        logger.info("shutting down")
        task.cancel()
        await task.value
        try await group.shutdownGracefully()
    }
}

/// How injected sidecars look, the same flags for `causeway controller` and `causeway webhook`.
struct SidecarOptions: ParsableArguments {
    @Option(help: "The image of injected sidecars (default: --proxy-image).")
    var sidecarImage: String?

    @Flag(inversion: .prefixedNo,
          help: "Inject the proxy as a native sidecar (an init container with restartPolicy: Always, Kubernetes 1.29+), so apps start after it and Jobs complete; with --no-native-sidecars, a classic sidecar container.")
    var nativeSidecars = true

    @Option(help: "CPU request of injected sidecars (pods override it with causeway.dev/proxy-cpu).")
    var sidecarCpuRequest: String = InjectionSettings().proxyCPURequest

    @Option(help: "Memory request of injected sidecars (causeway.dev/proxy-memory).")
    var sidecarMemoryRequest: String = InjectionSettings().proxyMemoryRequest

    @Option(help: "CPU limit of injected sidecars; \"none\" sets no limit (causeway.dev/proxy-cpu-limit).")
    var sidecarCpuLimit: String = InjectionSettings().proxyCPULimit ?? Self.noLimit

    @Option(help: "Memory limit of injected sidecars; \"none\" sets no limit (causeway.dev/proxy-memory-limit).")
    var sidecarMemoryLimit: String = InjectionSettings().proxyMemoryLimit ?? Self.noLimit

    static let noLimit = "none"

    @Option(help: "Log level of injected sidecars (causeway.dev/log-level).")
    var sidecarLogLevel: String = InjectionSettings().logLevel

    func validate() throws {
        guard Logger.Level(rawValue: sidecarLogLevel) != nil else {
            throw ValidationError("--sidecar-log-level: unknown level \"\(sidecarLogLevel)\"")
        }
        for (flag, value) in [("--sidecar-cpu-request", sidecarCpuRequest), ("--sidecar-memory-request", sidecarMemoryRequest)]
        where value.isEmpty {
            throw ValidationError("\(flag) must not be empty")
        }
    }

    private static func limit(_ value: String) -> String? { value.isEmpty || value == noLimit ? nil : value }

    /// Everything but the image, whose default differs by command.
    func apply(to settings: inout InjectionSettings) {
        if let sidecarImage { settings.image = sidecarImage }
        settings.nativeSidecars = nativeSidecars
        settings.proxyCPURequest = sidecarCpuRequest
        settings.proxyMemoryRequest = sidecarMemoryRequest
        settings.proxyCPULimit = Self.limit(sidecarCpuLimit)
        settings.proxyMemoryLimit = Self.limit(sidecarMemoryLimit)
        settings.logLevel = sidecarLogLevel
    }
}
