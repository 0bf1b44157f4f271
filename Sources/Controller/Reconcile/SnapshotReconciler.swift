import ControllerRuntime
import Foundation
import KubeClient
import KubeModel
import Logging
import Synchronization
import Translator

/// The controller's one reconciler. Its key is the whole snapshot, not an object: Gateway API
/// resources refer to each other in every direction, so every change is answered by translating
/// everything again (cheap, pure) and writing only what differs (`StatusWriter`,
/// `InfrastructureApplier`, `ConfigStore` all compare first).
final class SnapshotReconciler: Reconciler {
    static let key = ReconcileRequest(namespace: nil, name: "snapshot")

    let builder: SnapshotBuilder
    let statusWriter: StatusWriter
    let applier: InfrastructureApplier
    let configs: ConfigStore
    let propagator: EndpointPropagator
    let caches: ClusterCaches
    let metrics: ControllerMetrics
    let events: EventRecorder
    let logger: Logger
    /// Ingress warnings already reported, so each is posted once, when it first appears.
    private let reportedWarnings = Mutex<[String: [String]]>([:])

    init(builder: SnapshotBuilder, statusWriter: StatusWriter, applier: InfrastructureApplier, configs: ConfigStore,
         propagator: EndpointPropagator, caches: ClusterCaches, metrics: ControllerMetrics, events: EventRecorder, logger: Logger) {
        self.builder = builder
        self.statusWriter = statusWriter
        self.applier = applier
        self.configs = configs
        self.propagator = propagator
        self.caches = caches
        self.metrics = metrics
        self.events = events
        self.logger = logger
    }

    func reconcile(_ request: ReconcileRequest) async throws -> ReconcileResult {
        let clock = ContinuousClock()
        let started = clock.now
        let snapshot = builder.build()
        let translated = clock.now
        let result = Translator.translate(snapshot)
        metrics.translateDuration.observe((clock.now - translated).seconds)

        // Data planes whose owner exists but has no configuration now keep their last one and
        // their infrastructure; only owners that are gone lose them.
        let owned = Set(result.gatewayStatuses.keys.compactMap { key -> ProxyKey? in
            let parts = key.split(separator: "/", maxSplits: 1)
            return parts.count == 2 ? .gateway(namespace: String(parts[0]), name: String(parts[1])) : nil
        })
        let held = owned.subtracting(result.proxyConfigs.keys)
        var owners = result.infrastructure.mapValues { ConfigStore.Owner(namespace: $0.namespace, serviceAccount: $0.name) }
        // A namespace's sidecars run as its workloads' service accounts, whichever they are.
        for key in result.proxyConfigs.keys where key.kind == .mesh {
            owners[key] = ConfigStore.Owner(namespace: key.namespace, serviceAccount: nil)
        }
        configs.publish(result.proxyConfigs, owners: owners,
                        removing: Set(configs.keys).subtracting(result.proxyConfigs.keys).subtracting(held))
        // The snapshot may predate the latest EndpointSlices, which no longer trigger reconciles.
        propagator.refreshAll()

        var failure: (any Error)?
        do {
            try await applier.apply(applier.changes(for: result, held: held))
        } catch {
            failure = error
        }
        let now = RFC3339.format(secondsSinceEpoch: Int64(Date().timeIntervalSince1970))
        let stale = try await statusWriter.write(statusWriter.targets(for: result, now: now))
        reportIngressWarnings(result.ingressWarnings)
        recordGauges(snapshot)
        metrics.reconcileDuration.observe((clock.now - started).seconds)
        if let failure {
            metrics.reconciles.add(1, "error")
            throw failure
        }
        metrics.reconciles.add(1, stale ? "stale" : "ok")
        // A stale cache resolves itself once the informer catches up; look again shortly. So does
        // the wait for proxies to reconnect after a restart.
        if stale { return ReconcileResult(requeueAfter: .milliseconds(250)) }
        if snapshot.dataPlanes.values.contains(where: \.reportsPending) { return ReconcileResult(requeueAfter: .seconds(2)) }
        return ReconcileResult(requeueAfter: .seconds(600))
    }

    private func reportIngressWarnings(_ warnings: [String: [String]]) {
        let fresh = reportedWarnings.withLock { reported -> [(String, String)] in
            var fresh: [(String, String)] = []
            for (key, messages) in warnings {
                let known = Set(reported[key] ?? [])
                for message in messages where !known.contains(message) { fresh.append((key, message)) }
            }
            reported = warnings
            return fresh
        }
        for (key, message) in fresh {
            guard let object = caches.ingresses?.cache.get(key) else { continue }
            events.warn(reason: "NotFullyServed", message: message, on: object, kind: .ingresses)
        }
    }

    private func recordGauges(_ snapshot: ResourceSnapshot) {
        metrics.objects.replaceAll([
            ["GatewayClass"]: Double(snapshot.gatewayClasses.count), ["Gateway"]: Double(snapshot.gateways.count),
            ["HTTPRoute"]: Double(snapshot.httpRoutes.count), ["GRPCRoute"]: Double(snapshot.grpcRoutes.count),
            ["ReferenceGrant"]: Double(snapshot.referenceGrants.count), ["Service"]: Double(snapshot.services.count),
            ["EndpointSlice"]: Double(snapshot.endpointSlices.count), ["Ingress"]: Double(snapshot.ingresses.count),
        ])
    }
}
