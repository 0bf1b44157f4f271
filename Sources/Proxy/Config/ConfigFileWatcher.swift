import Logging
import NIOCore
import ProxyConfig
import Synchronization

/// Polls a config file on a NIO scheduled task and applies it when its content changes.
/// A file that fails to parse or validate is logged and skipped; the proxy keeps serving the
/// last good config, and the same bad content is not retried until it changes again.
public final class ConfigFileWatcher: Sendable {
    private let path: String
    private let server: ProxyServer
    private let logger: Logger
    /// The content last applied or refused, so an unchanged file is not parsed again.
    private let lastSeen = Mutex<[UInt8]?>(nil)
    private let task = Mutex<RepeatedTask?>(nil)

    /// `initialContent` is the content the server was started with, so it is not re-applied.
    public init(path: String, server: ProxyServer, initialContent: [UInt8]?, logger: Logger) {
        self.path = path
        self.server = server
        self.logger = logger
        lastSeen.withLock { $0 = initialContent }
    }

    public func start(on eventLoop: any EventLoop, every interval: TimeAmount) {
        let repeated = eventLoop.scheduleRepeatedAsyncTask(initialDelay: interval, delay: interval) { [self] _ in
            let promise = eventLoop.makePromise(of: Void.self)
            promise.completeWithTask { await self.check() }
            return promise.futureResult
        }
        task.withLock { $0 = repeated }
    }

    public func stop() {
        task.withLock { $0?.cancel(); $0 = nil }
    }

    /// Reads the file once; applies it if the content changed. Returns whether a new config was applied.
    @discardableResult
    public func check() async -> Bool {
        guard let bytes = try? FileBytes.read(path) else {
            logger.warning("config file unreadable; keeping the active config", metadata: ["path": "\(path)"])
            return false
        }
        if lastSeen.withLock({ $0 }) == bytes { return false }
        lastSeen.withLock { $0 = bytes }
        let config: ProxyConfig
        do {
            config = try ProxyConfigFile.decode(bytes, path: path)
        } catch {
            server.recordRejectedConfig()
            logger.error("config rejected; keeping the active config", metadata: [
                "path": "\(path)", "active_version": "\(server.activeConfig.version)", "error": "\(error)",
            ])
            return false
        }
        do {
            try await server.apply(config)
            logger.info("config applied", metadata: ["version": "\(config.version)", "path": "\(path)"])
            return true
        } catch {
            logger.error("config rejected; keeping the active config", metadata: [
                "path": "\(path)", "active_version": "\(server.activeConfig.version)", "error": "\(error)",
            ])
            return false
        }
    }
}
