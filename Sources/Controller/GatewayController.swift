import ControllerRuntime
import Foundation
import KubeClient
import KubeModel
import Logging
import NIOCore
import NIOPosix
import OpsServer
import PrometheusText
import Synchronization
import Translator
import WorkloadCA

/// The Gateway API and Ingress controller: watches what the API server serves, translates it,
/// and writes Deployments, Services and statuses back. Runs until its task is cancelled.
///
/// Works the same against a real kube-apiserver and `causeway dev`; it reads and writes only
/// through the API, with the RBAC the chart grants.
public final class GatewayController: Sendable {
    public let registry = DataPlaneRegistry()
    public let configs = ConfigStore()
    let client: KubeClient
    let options: ControllerOptions
    let logger: Logger
    let metrics = ControllerMetrics()
    let injectorMetrics = InjectorMetrics()
    let meshAuthority: MeshAuthority
    private let state = Mutex<(caches: ClusterCaches?, opsPort: Int?, configPort: Int?)>((nil, nil, nil))

    public init(client: KubeClient, options: ControllerOptions, logger: Logger = Logger(label: "causeway.controller")) {
        self.client = client
        self.options = options
        self.logger = logger
        meshAuthority = MeshAuthority(metrics: metrics)
    }

    /// The port `/metrics`, `/healthz` and `/readyz` are served on, once started.
    public var opsPort: Int? { state.withLock { $0.opsPort } }
    /// The port of the configuration server, once started.
    public var configPort: Int? { state.withLock { $0.configPort } }

    /// Whether every cache has synced (what `/readyz` answers).
    public var isReady: Bool {
        guard let caches = state.withLock({ $0.caches }) else { return false }
        return caches.all.allSatisfy(\.hasSynced)
    }

    public func run() async throws {
        let eventLoops = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var ops: OpsServer?
        if let port = options.opsPort {
            ops = try await OpsServer.start(host: options.opsHost, port: port, group: eventLoops) { [self] path in
                answer(path)
            }
            state.withLock { $0.opsPort = ops?.port }
            logger.info("serving /metrics, /healthz and /readyz", metadata: ["port": "\(ops?.port ?? 0)"])
        }
        var infrastructure = options.infrastructure
        var serverTask: Task<Void, any Error>?
        if let port = options.configPort {
            let authority = try await withRetries("loading the control-plane CA") {
                try await ControlPlaneAuthority.loadOrCreate(client: client, namespace: options.namespace, logger: logger)
            }
            infrastructure.trustBundle = authority.certificatePEM
            let identity = ServingIdentity(authority: authority, names: options.certificateNames)
            var caService: CAService?
            if options.meshCA {
                await startMeshAuthority()
                caService = CAService(authority: meshAuthority, authenticator: ProxyAuthenticator(client: client, audience: CAProtocol.audience),
                                      logger: logger)
            }
            let server = ConfigServer(
                configs: configs, registry: registry,
                authenticator: ProxyAuthenticator(client: client, audience: infrastructure.tokenAudience), caService: caService,
                tls: try identity.context(), metrics: metrics, logger: logger)
            let bound = try await server.bind(host: options.configHost, port: port, group: eventLoops)
            state.withLock { $0.configPort = bound }
            // A URL template with `{port}` names the port just bound (`causeway dev` binds port 0).
            infrastructure.controlPlaneURL = infrastructure.controlPlaneURL.replacingOccurrences(of: "{port}", with: String(bound))
            logger.info("serving proxy configurations", metadata: ["port": "\(bound)"])
            if options.sidecarInjection {
                server.serveInjection(injectorService(infrastructure: infrastructure, caches: { [self] in state.withLock { $0.caches } }))
            }
            let serverLogger = self.logger
            serverTask = Task {
                try await withThrowingDiscardingTaskGroup { group in
                    group.addTask { try await server.serve() }
                    group.addTask { await identity.renew(into: server, logger: serverLogger) }
                }
            }
        }
        let meshRefresh: Task<Void, Never>? = options.meshCA && options.configPort != nil ? Task { [self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(10))
                let spec = try? await client.resource(WatchedKind.meshConfigs.descriptor).get(MeshSettings.objectName)["spec"]
                try? await meshAuthority.refresh(client: client, namespace: options.namespace, settings: MeshSettings(spec: spec))
            }
        } : nil
        var backoff = Backoff()
        while !Task.isCancelled {
            let served: ServedKinds
            do {
                served = try await ServedKinds.discover(client)
                backoff.reset()
            } catch {
                if Task.isCancelled { break }
                let wait = backoff.next(random: SystemRandom())
                logger.warning("API discovery failed; retrying", metadata: ["error": "\(error)", "retryIn": "\(wait)"])
                try? await Task.sleep(for: wait)
                continue
            }
            logger.info("watching", metadata: ["gatewayAPI": "\(served.gatewayAPI.sorted { $0.key < $1.key }.map { "\($0.key)/\($0.value)" })"])
            await runOnce(served: served, infrastructure: infrastructure)
        }
        serverTask?.cancel()
        meshRefresh?.cancel()
        _ = try? await serverTask?.value
        await ops?.stop()
        try? await eventLoops.shutdownGracefully()
    }

    /// One generation of informers and workers, until cancelled or until the set of served
    /// Gateway API kinds changes (a CRD installed or removed), which needs new informers.
    private func runOnce(served: ServedKinds, infrastructure: InfrastructureSettings) async {
        let caches = ClusterCaches(client: client, served: served)
        state.withLock { $0.caches = caches }
        let queue = WorkQueue<ReconcileRequest>()
        let debounce = LeadingEdgeDebounce(window: options.debounce)
        let enqueue: @Sendable () -> Void = { queue.addAfter(SnapshotReconciler.key, debounce.delay()) }
        let builder = SnapshotBuilder(caches: caches, settings: options.translator, registry: registry, logger: logger)
        let events = EventRecorder(client: client, component: "causeway-controller", instance: options.identity,
                                   metrics: metrics, logger: logger)
        let propagator = EndpointPropagator(caches: caches, configs: configs, logger: logger)
        let reconciler = SnapshotReconciler(
            builder: builder,
            statusWriter: StatusWriter(client: client, caches: caches, controllerName: options.translator.controllerName,
                                       events: events, metrics: metrics, concurrency: options.writeConcurrency, logger: logger),
            applier: InfrastructureApplier(client: client, caches: caches, settings: infrastructure, metrics: metrics,
                                           logger: logger),
            configs: configs, propagator: propagator, caches: caches, metrics: metrics, events: events, logger: logger)
        let controller = Controller(name: "gateway-api", reconciler: reconciler, queue: queue, logger: logger)
        let statusWritten = [caches.gatewayClasses, caches.gateways, caches.httpRoutes, caches.grpcRoutes, caches.ingresses].compactMap { $0 }
        for informer in caches.all where informer !== caches.endpointSlices && informer !== caches.meshConfigs {
            let ignoreStatusOnly = statusWritten.contains { $0 === informer }
            informer.addEventHandler(EventHandler(
                onAdd: { _ in enqueue() },
                onUpdate: { old, new in if !(ignoreStatusOnly && StatusOnlyChange.matches(old: old, new: new)) { enqueue() } },
                onDelete: { _ in enqueue() }))
        }
        // Endpoints take the fast path: no translation, only the proxies that use the Service.
        caches.endpointSlices.addEventHandler(EventHandler(
            onAdd: { propagator.changed(slice: $0) }, onUpdate: { _, new in propagator.changed(slice: new) },
            onDelete: { propagator.changed(slice: $0) }))
        registry.onChange(enqueue)

        let rediscover = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        caches.crds.addEventHandler(EventHandler(
            onAdd: { if Self.isWatchedGroup($0) { rediscover.continuation.yield() } },
            onUpdate: { _, new in if Self.isWatchedGroup(new) { rediscover.continuation.yield() } },
            onDelete: { if Self.isWatchedGroup($0) { rediscover.continuation.yield() } }))

        var elector: LeaderElector?
        if options.leaderElection {
            let metrics = self.metrics
            elector = LeaderElector(
                config: LeaderElectionConfig(identity: options.identity),
                store: KubeLeaseStore(client: client, namespace: options.namespace, name: options.leaseName),
                onNewLeader: { [logger] leader in logger.info("leader is now \(leader)") })
            _ = metrics
        }
        let manager = Manager(leaderElector: elector, logger: logger)
        for informer in caches.all { manager.add(informer) }
        manager.add(LeaderDuties(metrics: metrics, client: client, namespace: options.namespace, pod: options.podName, logger: logger))
        manager.add(PropagatorRunnable(propagator: propagator))
        if options.meshCA && options.configPort != nil {
            manager.add(MeshIdentityController(client: client, namespace: options.namespace, caches: caches, authority: meshAuthority,
                                               events: events, logger: logger, tick: options.meshTick))
        }
        if options.sidecarInjection {
            addSidecarInjectionDuties(to: manager, caches: caches, controlPlaneCA: infrastructure.trustBundle)
        }
        manager.add(controller)

        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                let outcome = await manager.run()
                if outcome == .leadershipLost { self.logger.warning("lost leadership; campaigning again") }
            }
            group.addTask { [client, logger] in
                for await _ in rediscover.stream {
                    // Let a burst of CRD changes settle, then see whether what is served changed.
                    try? await Task.sleep(for: .seconds(1))
                    if Task.isCancelled { return }
                    guard let now = try? await ServedKinds.discover(client), now != served else { continue }
                    logger.info("the served Gateway API kinds changed; restarting the informers")
                    return
                }
            }
            await group.next()
            group.cancelAll()
        }
        rediscover.continuation.finish()
        queue.shutdown()
        state.withLock { $0.caches = nil }
    }

    private static func isWatchedGroup(_ crd: JSONValue) -> Bool {
        let group = crd[path: ["spec", "group"]]?.stringValue
        return group == WatchedKind.gatewayAPIGroup || group == "causeway.dev"
    }

    private func answer(_ path: String) -> OpsServer.Answer {
        switch path {
        case "/metrics":
            return .init(status: .ok, contentType: PrometheusText.contentType, body: metrics.render() + injectorMetrics.render())
        case "/healthz", "/livez":
            return .init(status: .ok, contentType: "text/plain", body: "ok\n")
        case "/readyz":
            return isReady
                ? .init(status: .ok, contentType: "text/plain", body: "ready\n")
                : .init(status: .serviceUnavailable, contentType: "text/plain", body: "caches not synced\n")
        default:
            return .init(status: .notFound, contentType: "text/plain", body: "try /metrics, /healthz, /readyz\n")
        }
    }
}

/// What the leader does besides reconciling: say so in a gauge and in its pod's label, which
/// the `causeway-controller` Service selects, so proxies stream from the leader — the only
/// replica with configurations and the one whose acknowledgements decide `Programmed`.
private struct LeaderDuties: Runnable {
    static let label = "causeway.dev/leader"
    let metrics: ControllerMetrics
    let client: KubeClient
    let namespace: String
    let pod: String?
    let logger: Logger
    var name: String { "leader-duties" }

    func run() async {
        // Runnables run only while leading (or always, without election).
        metrics.leader.set(1)
        await setLabel(.string("true"))
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(3600))
        }
        metrics.leader.set(0)
        await Task { await setLabel(.null) }.value
    }

    private func setLabel(_ value: JSONValue) async {
        guard let pod else { return }
        do {
            _ = try await client.resource(.pods).patch(pod, namespace: namespace, kind: .merge,
                                                       patch: ["metadata": ["labels": [Self.label: value]]])
        } catch {
            logger.warning("could not label the leader's pod; proxies may reach a standby replica", metadata: ["pod": "\(pod)", "error": "\(error)"])
        }
    }
}

private struct PropagatorRunnable: Runnable {
    let propagator: EndpointPropagator
    var name: String { "endpoint-propagator" }
    func run() async {
        await withTaskCancellationHandler { await propagator.run() } onCancel: { propagator.stop() }
    }
}

extension GatewayController {
    /// Loads the mesh CA the leader stored, so a replica can sign as soon as its endpoint opens.
    /// At a cluster's first start there is none yet: the leader's `MeshIdentityController`
    /// generates it (only the leader does) and installs it here within one tick.
    func startMeshAuthority() async {
        let spec = try? await client.resource(WatchedKind.meshConfigs.descriptor).get(MeshSettings.objectName)["spec"]
        do {
            try await meshAuthority.refresh(client: client, namespace: options.namespace, settings: MeshSettings(spec: spec))
        } catch {
            logger.warning("could not read the mesh CA yet; the CA endpoint answers 503 until it is loaded", metadata: ["error": "\(error)"])
        }
    }

    /// Retries a step the controller cannot start without, with backoff, until cancelled.
    func withRetries<T: Sendable>(_ what: String, _ body: () async throws -> T) async throws -> T {
        var backoff = Backoff()
        while true {
            do {
                return try await body()
            } catch {
                try Task.checkCancellation()
                let wait = backoff.next(random: SystemRandom())
                logger.warning("\(what) failed; retrying", metadata: ["error": "\(error)", "retryIn": "\(wait)"])
                try await Task.sleep(for: wait)
            }
        }
    }
}
