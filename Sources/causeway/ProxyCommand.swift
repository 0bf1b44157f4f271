import ArgumentParser
import Dispatch
import Logging
import NIOCore
import NIOPosix
import Proxy
import ProxyConfig
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `causeway proxy`: serves a ProxyConfig file and reloads it when it changes.
struct ProxyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proxy",
        abstract: "Run the Causeway data plane from a ProxyConfig file (JSON or YAML), reloading it on change."
    )

    @Option(help: "Path of the ProxyConfig file (.json, or YAML otherwise).")
    var config: String

    @Option(help: "Port of the admin endpoint (/metrics, /ready, /config); 0 picks a free port.")
    var adminPort: Int = 9901

    @Option(help: "Address the admin endpoint binds to.")
    var adminAddress: String = "127.0.0.1"

    @Option(help: "Event loop threads (default: one per CPU core).")
    var threads: Int = System.coreCount

    @Option(help: "Access log destination: stdout, stderr or off.")
    var accessLog: String = "stdout"

    @Option(help: "How often to check the config file for changes, in milliseconds.")
    var reloadIntervalMs: Int64 = 1000

    @Option(help: "How long to let requests in flight finish on SIGTERM, in seconds.")
    var drainTimeout: Int = 30

    func validate() throws {
        guard ["stdout", "stderr", "off"].contains(accessLog) else {
            throw ValidationError("--access-log must be stdout, stderr or off, got \"\(accessLog)\"")
        }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        guard reloadIntervalMs >= 10 else { throw ValidationError("--reload-interval-ms must be at least 10") }
    }

    func run() async throws {
        let logger = Logger(label: "causeway.proxy")
        let initialBytes = try ProxyConfigFile.readBytes(path: config)
        let initial = try ProxyConfigFile.decode(initialBytes, path: config)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        let fd: Int32? = accessLog == "stdout" ? 1 : accessLog == "stderr" ? 2 : nil
        let server = try await ProxyServer.start(config: initial, group: group, options: .init(accessLogFileDescriptor: fd))
        let admin = try await AdminServer.start(host: adminAddress, port: adminPort, proxy: server, group: group)
        let watcher = ConfigFileWatcher(path: config, server: server, initialContent: initialBytes, logger: logger)
        watcher.start(on: group.next(), every: .milliseconds(reloadIntervalMs))
        let ports = initial.listeners.map { "\($0.name)=\(server.boundPort(listener: $0.name).map(String.init) ?? "?")" }
        logger.info("proxy serving", metadata: [
            "version": "\(initial.version)", "listeners": "\(ports.joined(separator: ","))", "admin_port": "\(admin.port ?? 0)",
        ])

        let signal = await Self.waitForTermination()
        logger.info("draining", metadata: ["signal": "\(signal)", "timeout_seconds": "\(drainTimeout)"])
        watcher.stop()
        await server.drain(timeout: .seconds(drainTimeout))
        await admin.stop()
        try await group.shutdownGracefully()
    }

    /// Suspends until SIGTERM or SIGINT arrives; returns the signal number.
    private static func waitForTermination() async -> Int32 {
        await withCheckedContinuation { continuation in
            let queue = DispatchQueue(label: "causeway.signals")
            let once = SignalOnce(continuation)
            for number in [SIGTERM, SIGINT] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                source.setEventHandler { once.fire(number) }
                source.resume()
                once.keep(source)
            }
        }
    }
}

/// Resumes the waiting task for the first signal only; later signals are ignored.
private final class SignalOnce: Sendable {
    private let state: Mutex<(CheckedContinuation<Int32, Never>?, [any DispatchSourceSignal])>

    init(_ continuation: CheckedContinuation<Int32, Never>) { state = Mutex((continuation, [])) }

    func keep(_ source: any DispatchSourceSignal) { state.withLock { $0.1.append(source) } }

    func fire(_ number: Int32) {
        let continuation = state.withLock { value -> CheckedContinuation<Int32, Never>? in
            defer { value.0 = nil }
            return value.0
        }
        continuation?.resume(returning: number)
    }
}
