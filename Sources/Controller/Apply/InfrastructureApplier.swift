import KubeClient
import KubeModel
import KubeTypes
import Logging
import Translator

/// Creates and updates each data plane's ServiceAccount, Deployment and Service with
/// server-side apply, and deletes the ones no data plane needs any more. An object whose
/// `causeway.dev/applied-hash` already matches is not sent: a steady state costs no requests.
final class InfrastructureApplier: Sendable {
    static let fieldManager = "causeway-controller"

    let client: KubeClient
    let caches: ClusterCaches
    let settings: InfrastructureSettings
    let metrics: ControllerMetrics
    let logger: Logger

    init(client: KubeClient, caches: ClusterCaches, settings: InfrastructureSettings, metrics: ControllerMetrics, logger: Logger) {
        self.client = client
        self.caches = caches
        self.settings = settings
        self.metrics = metrics
        self.logger = logger
    }

    enum Change: Sendable {
        case apply(WatchedKind, JSONValue)
        case delete(WatchedKind, namespace: String, name: String)
    }

    /// What must change. `held` data planes (their owner exists but is not accepted) keep what
    /// they have: a broken edit never takes a running Gateway down.
    func changes(for result: TranslationResult, held: Set<ProxyKey>) -> [Change] {
        var changes: [Change] = []
        var wanted = Set<String>()
        for (_, plan) in result.infrastructure.sorted(by: { $0.key < $1.key }) {
            for object in InfrastructureManifests.objects(for: plan, settings: settings) {
                let kind = Self.kind(of: object)
                let id = "\(kind.descriptor.kind)/\(object.objectKey)"
                wanted.insert(id)
                let hash = ["metadata", "annotations", InfrastructureManifests.appliedHashAnnotation]
                let current = cache(for: kind).cache.get(object.objectKey)
                if current == nil || current?[path: hash] != object[path: hash] {
                    changes.append(.apply(kind, object))
                }
            }
        }
        var owners: [String: [OwnerReference]] = [:]
        for plan in result.infrastructure.values { owners[plan.namespace, default: []].append(plan.owner) }
        // Injected sidecars mount it too (they verify the configuration server with it). In a
        // namespace without Gateways nothing owns it; it holds only a public certificate.
        for key in result.proxyConfigs.keys where key.kind == .mesh && owners[key.namespace] == nil { owners[key.namespace] = [] }
        for (namespace, planOwners) in owners.sorted(by: { $0.key < $1.key }) {
            guard let bundle = InfrastructureManifests.trustBundle(namespace: namespace, owners: planOwners, settings: settings) else { continue }
            let hash = ["metadata", "annotations", InfrastructureManifests.appliedHashAnnotation]
            let current = caches.configMaps.cache.get(bundle.objectKey)
            if current == nil || current?[path: hash] != bundle[path: hash] { changes.append(.apply(.configMaps, bundle)) }
        }
        for kind in [WatchedKind.services, .deployments, .serviceAccounts] {
            for object in cache(for: kind).cache.list() {
                guard object.metaLabels[InfrastructureManifests.managedByLabel] == InfrastructureManifests.managedByValue,
                      let keyText = object[path: ["metadata", "annotations", InfrastructureManifests.proxyKeyAnnotation]]?.stringValue,
                      let key = ProxyKey(parsing: keyText) else { continue }
                let id = "\(kind.descriptor.kind)/\(object.objectKey)"
                if !wanted.contains(id), !held.contains(key), object[path: ["metadata", "deletionTimestamp"]] == nil {
                    changes.append(.delete(kind, namespace: object.metaNamespace ?? "", name: object.metaName ?? ""))
                }
            }
        }
        return changes
    }

    func apply(_ changes: [Change]) async throws {
        var failure: (any Error)?
        for change in changes {
            do {
                switch change {
                case .apply(let kind, let object):
                    _ = try await client.resource(kind.descriptor).patch(
                        object.metaName ?? "", namespace: object.metaNamespace, kind: .apply(fieldManager: Self.fieldManager, force: true),
                        patch: object)
                    metrics.applies.add(1, kind.descriptor.kind, "apply")
                    logger.info("applied data-plane object", metadata: ["object": "\(kind.descriptor.kind) \(object.objectKey)"])
                case .delete(let kind, let namespace, let name):
                    do {
                        try await client.resource(kind.descriptor).delete(name, namespace: namespace)
                    } catch let error as KubeAPIError where error.code == .notFound {}
                    metrics.applies.add(1, kind.descriptor.kind, "delete")
                    logger.info("deleted data-plane object no longer needed", metadata: ["object": "\(kind.descriptor.kind) \(namespace)/\(name)"])
                }
            } catch {
                logger.warning("data-plane object write failed", metadata: ["change": "\(change)", "error": "\(error)"])
                failure = failure ?? error
            }
        }
        if let failure { throw failure }
    }

    static func kind(of object: JSONValue) -> WatchedKind {
        switch object["kind"]?.stringValue {
        case "Deployment": .deployments
        case "Service": .services
        case "ConfigMap": .configMaps
        default: .serviceAccounts
        }
    }

    private func cache(for kind: WatchedKind) -> SharedInformer {
        switch kind.descriptor.kind {
        case "Deployment": caches.deployments
        case "Service": caches.services
        case "ConfigMap": caches.configMaps
        default: caches.serviceAccounts
        }
    }
}
