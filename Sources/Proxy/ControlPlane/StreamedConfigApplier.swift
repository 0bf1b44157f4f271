import Logging
import NIOCore
import ProxyConfig

/// Applies what the control plane streams, one message at a time: a full configuration, or new
/// endpoints for the configuration in force. Every version gets an answer: applied, or refused
/// with the reason — and a refused version never replaces the last good one.
public actor StreamedConfigApplier {
    let runtime: ProxyRuntime
    let binding: LocalBinding
    let group: any EventLoopGroup
    let options: ProxyServer.Options
    let proxyKey: String
    let pod: String
    let logger: Logger
    /// The configuration in force, as received (before `binding`), for endpoint updates.
    private var current: ProxyConfig?

    public init(runtime: ProxyRuntime, binding: LocalBinding, group: any EventLoopGroup, options: ProxyServer.Options,
                proxyKey: String, pod: String, logger: Logger) {
        self.runtime = runtime
        self.binding = binding
        self.group = group
        self.options = options
        self.proxyKey = proxyKey
        self.pod = pod
        self.logger = logger
    }

    public func handle(_ message: ConfigStreamMessage) async -> ConfigAck? {
        let candidate: ProxyConfig
        switch message {
        case .ping:
            return nil
        case .config(let config):
            candidate = config
        case .endpoints(let update):
            guard let base = current, let updated = base.applying(update) else {
                logger.warning("endpoint update for a version this proxy does not run", metadata: [
                    "base": "\(update.baseVersion)", "running": "\(current?.version ?? "none")",
                ])
                return ConfigAck(proxyKey: proxyKey, pod: pod, version: update.version, accepted: false,
                                 error: "endpoint update based on \(update.baseVersion), but this proxy runs \(current?.version ?? "nothing")")
            }
            candidate = updated
        }
        do {
            let bound = binding.apply(to: candidate)
            if let server = runtime.server {
                try await server.apply(bound)
            } else {
                runtime.started(try await ProxyServer.start(config: bound, group: group, options: options))
            }
            current = candidate
            logger.info("configuration applied", metadata: ["version": "\(candidate.version)"])
            return ConfigAck(proxyKey: proxyKey, pod: pod, version: candidate.version, accepted: true)
        } catch {
            logger.error("configuration refused; keeping the one in force", metadata: [
                "version": "\(candidate.version)", "running": "\(current?.version ?? "none")", "error": "\(error)",
            ])
            return ConfigAck(proxyKey: proxyKey, pod: pod, version: candidate.version, accepted: false, error: "\(error)")
        }
    }
}
