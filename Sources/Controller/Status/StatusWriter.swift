import KubeClient
import KubeModel
import KubeTypes
import Logging
import Synchronization
import Translator

/// The one place status is written. Compares what each object carries with what it should
/// carry, writes only the differences through the `status` subresource, with the cached
/// resourceVersion (a conflict means the cache was stale: the next reconcile recomputes), and
/// reports condition transitions as Events.
final class StatusWriter: Sendable {
    struct Target: Sendable {
        var kind: WatchedKind
        var object: JSONValue
        var status: JSONValue
        var transitions: [ConditionTransition]
    }

    let client: KubeClient
    let caches: ClusterCaches
    let controllerName: String
    let events: EventRecorder
    let metrics: ControllerMetrics
    let concurrency: Int
    let logger: Logger
    /// Routes whose status already matched what the translator wanted, by key: the
    /// resourceVersion seen and the parents wanted then. While both hold, the merge (an
    /// encode and compare per route, most of a reconcile's cost at thousands of routes) is
    /// skipped: its answer cannot have changed.
    private let settledRoutes = Mutex<[String: [String: SettledRoute]]>([:])
    private struct SettledRoute {
        var resourceVersion: String
        var desired: [GatewayAPI.RouteParentStatus]
    }

    init(client: KubeClient, caches: ClusterCaches, controllerName: String, events: EventRecorder, metrics: ControllerMetrics,
         concurrency: Int, logger: Logger) {
        self.client = client
        self.caches = caches
        self.controllerName = controllerName
        self.events = events
        self.metrics = metrics
        self.concurrency = concurrency
        self.logger = logger
    }

    /// The writes a translation result calls for, given the caches.
    func targets(for result: TranslationResult, now: String) -> [Target] {
        var targets: [Target] = []
        func consider(_ kind: WatchedKind, _ object: JSONValue, _ outcome: StatusMerge.Outcome) {
            if outcome.status != (object["status"] ?? .object([:])) {
                targets.append(Target(kind: kind, object: object, status: outcome.status, transitions: outcome.transitions))
            }
        }
        if let informer = caches.gatewayClasses {
            for (name, desired) in result.gatewayClassStatuses.sorted(by: { $0.key < $1.key }) {
                guard let object = informer.cache.get(name) else { continue }
                consider(kind(informer), object, StatusMerge.gatewayClass(current: object["status"], desired: desired, now: now))
            }
        }
        if let informer = caches.gateways {
            for (key, desired) in result.gatewayStatuses.sorted(by: { $0.key < $1.key }) {
                guard let object = informer.cache.get(key) else { continue }
                consider(kind(informer), object, StatusMerge.gateway(current: object["status"], desired: desired, now: now))
            }
        }
        for (informer, desired) in [(caches.httpRoutes, result.httpRouteParents), (caches.grpcRoutes, result.grpcRouteParents)] {
            guard let informer else { continue }
            let settled = settledRoutes.withLock { $0[informer.name] ?? [:] }
            var nowSettled: [String: SettledRoute] = [:]
            // Keys computed once: the sort would otherwise look each one up log n times.
            for (key, object) in informer.cache.list().map({ ($0.objectKey, $0) }).sorted(by: { $0.0 < $1.0 }) {
                let parents = desired[key] ?? []
                let resourceVersion = object.metaResourceVersion ?? ""
                if let previous = settled[key], previous.resourceVersion == resourceVersion, previous.desired == parents {
                    nowSettled[key] = previous
                    continue
                }
                let hasOurs = (object[path: ["status", "parents"]]?.arrayValue ?? []).contains {
                    $0["controllerName"]?.stringValue == controllerName
                }
                guard !parents.isEmpty || hasOurs else { continue }
                let before = targets.count
                consider(kind(informer), object, StatusMerge.route(
                    current: object["status"], desired: parents, controllerName: controllerName, now: now))
                if targets.count == before { nowSettled[key] = SettledRoute(resourceVersion: resourceVersion, desired: parents) }
            }
            settledRoutes.withLock { $0[informer.name] = nowSettled }
        }
        if let informer = caches.meshTLSPolicies {
            for (key, desired) in result.meshTLSPolicyStatuses.sorted(by: { $0.key < $1.key }) {
                guard let object = informer.cache.get(key) else { continue }
                consider(.meshTLSPolicies, object, StatusMerge.conditionsOnly(current: object["status"], desired: desired, now: now))
            }
        }
        for (key, desired) in result.ingressStatuses.sorted(by: { $0.key < $1.key }) {
            guard let object = caches.ingresses?.cache.get(key) else { continue }
            consider(.ingresses, object, StatusMerge.ingress(current: object["status"], desired: desired))
        }
        return targets
    }

    private func kind(_ informer: SharedInformer) -> WatchedKind {
        switch informer.name {
        case "gatewayclasses": .gatewayAPI("gatewayclasses", kind: "GatewayClass", version: caches.served.gatewayAPI["gatewayclasses"] ?? "v1", namespaced: false)
        case "gateways": .gatewayAPI("gateways", kind: "Gateway", version: caches.served.gatewayAPI["gateways"] ?? "v1")
        case "grpcroutes": .gatewayAPI("grpcroutes", kind: "GRPCRoute", version: caches.served.gatewayAPI["grpcroutes"] ?? "v1")
        default: .gatewayAPI("httproutes", kind: "HTTPRoute", version: caches.served.gatewayAPI["httproutes"] ?? "v1")
        }
    }

    /// Writes the targets, `concurrency` at a time. Returns whether some write met a stale
    /// cache (409) and should be recomputed; throws the first other failure after all ran.
    func write(_ targets: [Target]) async throws -> Bool {
        var stale = false
        var failure: (any Error)?
        await withTaskGroup(of: Result<Bool, any Error>.self) { group in
            var pending = targets[...]
            var running = 0
            func startNext() {
                guard let target = pending.popFirst() else { return }
                running += 1
                group.addTask { await self.writeOne(target) }
            }
            for _ in 0..<concurrency { startNext() }
            while running > 0, let outcome = await group.next() {
                running -= 1
                switch outcome {
                case .success(let conflict): stale = stale || conflict
                case .failure(let error): failure = failure ?? error
                }
                startNext()
            }
        }
        if let failure { throw failure }
        return stale
    }

    /// One status write; `.success(true)` on a conflict.
    private func writeOne(_ target: Target) async -> Result<Bool, any Error> {
        var object = target.object
        object["status"] = target.status
        let resource = client.resource(target.kind.descriptor)
        let key = object.objectKey
        do {
            _ = try await resource.updateStatus(object)
            metrics.statusWrites.add(1, target.kind.descriptor.kind, "written")
            for transition in target.transitions { events.record(transition, on: object, kind: target.kind) }
            return .success(false)
        } catch let error as KubeAPIError where error.code == .conflict {
            metrics.statusWrites.add(1, target.kind.descriptor.kind, "conflict")
            logger.debug("status write met a newer object; recomputing", metadata: ["object": "\(target.kind.descriptor.kind) \(key)"])
            return .success(true)
        } catch let error as KubeAPIError where error.code == .notFound {
            // Deleted since the cache saw it: nothing to report on.
            metrics.statusWrites.add(1, target.kind.descriptor.kind, "gone")
            return .success(false)
        } catch {
            metrics.statusWrites.add(1, target.kind.descriptor.kind, "failed")
            logger.warning("status write failed", metadata: ["object": "\(target.kind.descriptor.kind) \(key)", "error": "\(error)"])
            return .failure(error)
        }
    }
}
