import Injection
import KubeModel

/// The webhook's decision for one AdmissionReview, as a pure function around `Injector`: the
/// same input always gives the same answer, with no I/O, so it is tested with plain values and
/// served unchanged by the controller (`/inject` on its configuration port) and by
/// `causeway webhook`.
public struct InjectionWebhook: Sendable {
    /// Where both servers answer reviews (the MutatingWebhookConfiguration's `clientConfig.service.path`).
    public static let path = "/inject"
    /// What the chart names the configuration and its one webhook.
    public static let configurationName = "causeway-sidecar-injector"
    public static let webhookName = "sidecar-injector.causeway.dev"

    public var settings: InjectionSettings

    public init(settings: InjectionSettings) { self.settings = settings }

    /// What happened to one review, for logs and metrics.
    public enum Outcome: Sendable, Equatable {
        case injected(operations: Int)
        case unchanged(reason: String)
        case refused(message: String)
    }

    public struct Decision: Sendable, Equatable {
        public var response: AdmissionResponse
        public var outcome: Outcome
    }

    /// Decides a parsed review. `namespaceLabels` nil means unknown (the webhook's
    /// namespaceSelector already chose the namespace).
    public func review(_ request: AdmissionRequest, namespaceLabels: [String: String]?) throws(MalformedReview) -> Decision {
        // Other kinds and operations reach the webhook only through a hand-edited configuration;
        // they pass untouched rather than fail the user's request.
        guard request.isPod else {
            return Decision(response: .allow(uid: request.uid), outcome: .unchanged(reason: "not a pod (\(request.kind))"))
        }
        guard request.operation == "CREATE" else {
            return Decision(response: .allow(uid: request.uid), outcome: .unchanged(reason: "\(request.operation) is not injected"))
        }
        guard let pod = request.object, case .object = pod else { throw MalformedReview("request.object (the pod) is missing") }
        guard let namespace = request.namespace ?? pod[path: ["metadata", "namespace"]]?.stringValue, !namespace.isEmpty else {
            throw MalformedReview("request.namespace is missing")
        }
        let outcome: InjectionOutcome
        do {
            outcome = try Injector.inject(InjectionRequest(pod: pod, namespace: namespace, namespaceLabels: namespaceLabels),
                                          settings: settings)
        } catch {
            return Decision(response: .refuse(uid: request.uid, message: error.message), outcome: .refused(message: error.message))
        }
        switch outcome {
        case .unchanged(let reason):
            return Decision(response: .allow(uid: request.uid), outcome: .unchanged(reason: reason))
        case .injected(let injected):
            let operations = Injector.patch(from: pod, to: injected)
            guard !operations.isEmpty else {
                return Decision(response: .allow(uid: request.uid), outcome: .unchanged(reason: "the injected pod equals the original"))
            }
            return Decision(response: .allow(uid: request.uid, patch: operations), outcome: .injected(operations: operations.count))
        }
    }
}
