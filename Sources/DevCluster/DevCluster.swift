import Foundation
import NIOCore
import NIOPosix
import KubeModel

/// An embedded Kubernetes-compatible API server: what `causeway dev` runs and the tests start.
///
/// ```swift
/// let cluster = try await DevCluster.start(.init())        // 127.0.0.1, a free port, TLS, in memory
/// try cluster.writeKubeconfig(to: path)                    // then: kubectl --kubeconfig path get ns
/// await cluster.stop()
/// ```
public final class DevCluster: Sendable {
    public struct Configuration: Sendable {
        public var host = "127.0.0.1"
        /// 0 picks a free port.
        public var port = 0
        /// Serve HTTPS with the DevCluster CA (the default); false serves plain HTTP.
        public var tls = true
        /// Keep objects (and the PKI) in this directory across restarts; nil keeps them in memory.
        public var dataDirectory: URL?
        public var eventLogCapacity = 100_000
        /// About how many bytes of events the log keeps for resuming watches (see `ObjectStore`).
        public var eventLogByteLimit = 64 * 1024 * 1024
        public var bookmarkIntervalSeconds: Int64 = 60
        /// Dev-only: EndpointSlices may hold loopback addresses (a real API server refuses them).
        public var allowLoopbackEndpoints = false
        /// Per-connection bounds: watch buffering and how long a request may take to arrive.
        public var connectionLimits = ConnectionLimits()
        public init() {}
    }

    public let apiServer: APIServer
    public let server: DevClusterServer
    public let pki: DevClusterPKI?
    public let adminToken: String
    private let group: MultiThreadedEventLoopGroup
    private let ownsGroup: Bool

    private init(apiServer: APIServer, server: DevClusterServer, pki: DevClusterPKI?, adminToken: String,
                 group: MultiThreadedEventLoopGroup, ownsGroup: Bool) {
        self.apiServer = apiServer
        self.server = server
        self.pki = pki
        self.adminToken = adminToken
        self.group = group
        self.ownsGroup = ownsGroup
    }

    public var url: String { server.url }
    public var store: ObjectStore { apiServer.store }

    public static func start(_ configuration: Configuration, group: MultiThreadedEventLoopGroup? = nil) async throws -> DevCluster {
        let journal = try configuration.dataDirectory.map { try FileJournal(directory: $0.appendingPathComponent("objects")) }
        return try await start(configuration, journal: journal, group: group)
    }

    /// With a given journal (tests pass one that fails, as on a full disk).
    static func start(_ configuration: Configuration, journal: (any StoreJournal)?,
                      group: MultiThreadedEventLoopGroup? = nil) async throws -> DevCluster {
        let store = try ObjectStore(eventLogCapacity: configuration.eventLogCapacity,
                                    eventLogByteLimit: configuration.eventLogByteLimit, journal: journal)
        var options = APIServer.Options()
        options.bookmarkIntervalSeconds = configuration.bookmarkIntervalSeconds
        options.allowLoopbackEndpoints = configuration.allowLoopbackEndpoints
        let apiServer = APIServer(store: store, options: options)
        let crds = CRDController(server: apiServer)
        crds.start()
        BuiltInControllers.start(apiServer)
        try Bootstrap.ensureSystemNamespaces(apiServer)
        let adminToken = try Bootstrap.adminToken(apiServer, directory: configuration.dataDirectory)

        let pki = configuration.tls
            ? try DevClusterPKI.loadOrCreate(directory: configuration.dataDirectory?.appendingPathComponent("pki"),
                                             hosts: [configuration.host, "localhost", "127.0.0.1"])
            : nil
        let eventLoops = group ?? MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
        let server = try await DevClusterServer.bind(host: configuration.host, port: configuration.port, apiServer: apiServer,
                                                     pki: pki, requireAuthentication: configuration.tls,
                                                     limits: configuration.connectionLimits, group: eventLoops)
        return DevCluster(apiServer: apiServer, server: server, pki: pki, adminToken: adminToken,
                          group: eventLoops, ownsGroup: group == nil)
    }

    public func stop() async {
        await server.close()
        // What was committed reaches the disk before a restart reads it back.
        store.flushJournal()
        if ownsGroup { try? await group.shutdownGracefully() }
    }

    /// A kubeconfig for this cluster: context `causeway-dev` authenticates with the admin client
    /// certificate, `causeway-dev-token` with the admin bearer token.
    public func kubeconfig() -> String {
        Kubeconfig.render(server: url, pki: pki, token: adminToken)
    }

    public func writeKubeconfig(to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try kubeconfig().write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
    }
}
