import Foundation
import KubeClient
import KubeModel
import Logging
import Synchronization

/// Posts Kubernetes Events for what a user should notice: a condition turning False (Warning,
/// with its reason and message) and a Gateway becoming Programmed (Normal). Routine successes
/// (10,000 routes accepted) are not Events. Posting never blocks a reconcile; beyond a steady
/// rate, Events are dropped and counted.
final class EventRecorder: Sendable {
    let client: KubeClient
    let component: String
    let instance: String
    let metrics: ControllerMetrics
    let logger: Logger
    private let budget: Mutex<(tokens: Double, last: ContinuousClock.Instant)>
    /// Keeps names unique when two Events of one object fall in the same nanosecond.
    private let sequence = Mutex<UInt64>(0)
    private static let rate = 20.0
    private static let burst = 100.0

    init(client: KubeClient, component: String, instance: String, metrics: ControllerMetrics, logger: Logger) {
        self.client = client
        self.component = component
        self.instance = instance
        self.metrics = metrics
        self.logger = logger
        budget = Mutex((Self.burst, ContinuousClock.now))
    }

    /// Whether a transition deserves an Event, and of which type.
    static func eventType(for transition: ConditionTransition, kind: String) -> String? {
        if transition.status != "True" && ["Accepted", "ResolvedRefs", "Programmed"].contains(transition.conditionType) {
            // A Programmed condition waiting for proxies is routine, not a warning.
            if transition.conditionType == "Programmed" && transition.reason == "Pending" { return nil }
            return "Warning"
        }
        if transition.status == "True" && transition.conditionType == "Programmed" && kind == "Gateway" && transition.scope == nil {
            return "Normal"
        }
        return nil
    }

    func record(_ transition: ConditionTransition, on object: JSONValue, kind: WatchedKind) {
        guard let type = Self.eventType(for: transition, kind: kind.descriptor.kind) else { return }
        let message = (transition.scope.map { "\($0): " } ?? "") + "\(transition.conditionType)=\(transition.status): \(transition.message)"
        post(type: type, reason: transition.reason, message: message, on: object, kind: kind)
    }

    /// A Warning that is not a condition (an Ingress has none).
    func warn(reason: String, message: String, on object: JSONValue, kind: WatchedKind) {
        post(type: "Warning", reason: reason, message: message, on: object, kind: kind)
    }

    /// A Normal Event for a step the user should see in `kubectl describe` (a CA rotation phase).
    func normal(reason: String, message: String, on object: JSONValue, kind: WatchedKind) {
        post(type: "Normal", reason: reason, message: message, on: object, kind: kind)
    }

    private func post(type: String, reason: String, message: String, on object: JSONValue, kind: WatchedKind) {
        guard take() else {
            metrics.eventsDropped.add(1)
            return
        }
        let instant = Date().timeIntervalSince1970
        let now = RFC3339.format(secondsSinceEpoch: Int64(instant))
        let namespace = object.metaNamespace ?? "default"
        let name = object.metaName ?? ""
        let event: JSONValue = [
            "apiVersion": "v1", "kind": "Event",
            // Named as client-go's recorder names them: the object and a nanosecond clock, in hex.
            "metadata": ["name": .string("\(name).\(String(UInt64(instant * 1e9) &+ sequence.withLock { $0 += 1; return $0 }, radix: 16))"),
                         "namespace": .string(namespace)],
            "involvedObject": [
                "apiVersion": .string(kind.descriptor.apiVersion), "kind": .string(kind.descriptor.kind), "name": .string(name),
                "namespace": object.metaNamespace.map { .string($0) } ?? .null, "uid": .string(object.metaUID ?? ""),
                "resourceVersion": .string(object.metaResourceVersion ?? ""),
            ],
            "reason": .string(reason), "message": .string(String(message.prefix(1024))), "type": .string(type),
            "source": ["component": .string(component)], "reportingComponent": .string(component), "reportingInstance": .string(instance),
            "firstTimestamp": .string(now), "lastTimestamp": .string(now), "count": 1,
        ]
        let client = self.client
        let logger = self.logger
        let metrics = self.metrics
        Task {
            do {
                _ = try await client.resource(.events).create(event, namespace: namespace)
                metrics.eventsPosted.add(1, type)
            } catch {
                logger.debug("could not post an Event", metadata: ["object": "\(namespace)/\(name)", "error": "\(error)"])
            }
        }
    }

    private func take() -> Bool {
        budget.withLock { budget in
            let now = ContinuousClock.now
            let elapsed = now - budget.last
            budget.last = now
            budget.tokens = min(Self.burst, budget.tokens + elapsed.seconds * Self.rate)
            guard budget.tokens >= 1 else { return false }
            budget.tokens -= 1
            return true
        }
    }
}
