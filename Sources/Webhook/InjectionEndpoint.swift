import KubeModel
import Logging

/// `POST /inject`: body in, answer out, counted and logged. Deciding a review takes well under a
/// millisecond and does no I/O, so a server answers from its event loop without a hop; only the
/// controller, which may look a namespace's labels up, calls the `async` form.
public final class InjectionEndpoint: Sendable {
    public let webhook: InjectionWebhook
    public let metrics: WebhookMetrics
    let logger: Logger

    public init(webhook: InjectionWebhook, metrics: WebhookMetrics = WebhookMetrics(), logger: Logger) {
        self.webhook = webhook
        self.metrics = metrics
        self.logger = logger
    }

    /// Reviews at most this large are read (kube-apiserver's own request limit is 3 MiB).
    public static let maxBodyBytes = 3 << 20

    /// Answers without namespace labels (the webhook's namespaceSelector chose the namespace).
    public func answer(method: String, body: some Collection<UInt8>) -> WebhookAnswer {
        let started = ContinuousClock.now
        switch read(method: method, body: body) {
        case .answered(let answer):
            return finish(answer, started: started)
        case .review(let request):
            return finish(decide(request, namespaceLabels: nil), started: started)
        }
    }

    /// Answers with the labels `namespaceLabels` finds for the review's namespace (nil: unknown).
    public func answer(method: String, body: some Collection<UInt8>,
                       namespaceLabels: (String) async -> [String: String]?) async -> WebhookAnswer {
        let started = ContinuousClock.now
        switch read(method: method, body: body) {
        case .answered(let answer):
            return finish(answer, started: started)
        case .review(let request):
            var labels: [String: String]?
            if let namespace = request.namespace { labels = await namespaceLabels(namespace) }
            return finish(decide(request, namespaceLabels: labels), started: started)
        }
    }

    private func finish(_ answer: WebhookAnswer, started: ContinuousClock.Instant) -> WebhookAnswer {
        let elapsed = ContinuousClock.now - started
        if answer.outcome != .other {
            metrics.duration.observe(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        metrics.reviews.add(1, answer.outcome.rawValue)
        return answer
    }

    /// A review to decide, or the answer already (not a POST, not a review).
    private enum Read {
        case review(AdmissionRequest)
        case answered(WebhookAnswer)
    }

    private func read(method: String, body: some Collection<UInt8>) -> Read {
        guard method == "POST" else {
            return .answered(.text(405, "POST an admission.k8s.io/v1 AdmissionReview to \(InjectionWebhook.path)", outcome: .other))
        }
        do throws(MalformedReview) {
            let document: JSONValue
            do {
                document = try JSONValue(parsing: body)
            } catch {
                throw MalformedReview("the body is not JSON (\(error))")
            }
            return .review(try AdmissionRequest(review: document))
        } catch {
            logger.warning("refused a malformed admission review", metadata: ["error": "\(error.message)"])
            return .answered(.text(400, "malformed AdmissionReview: \(error.message)", outcome: .malformed))
        }
    }

    private func decide(_ request: AdmissionRequest, namespaceLabels: [String: String]?) -> WebhookAnswer {
        let decision: InjectionWebhook.Decision
        do throws(MalformedReview) {
            decision = try webhook.review(request, namespaceLabels: namespaceLabels)
        } catch {
            logger.warning("refused a malformed admission review", metadata: ["uid": "\(request.uid)", "error": "\(error.message)"])
            return .text(400, "malformed AdmissionReview: \(error.message)", outcome: .malformed)
        }
        let outcome: WebhookAnswer.Outcome
        switch decision.outcome {
        case .injected(let operations):
            outcome = .injected
            logger.debug("injected the sidecar", metadata: [
                "pod": "\(request.podDescription)", "uid": "\(request.uid)", "operations": "\(operations)", "dryRun": "\(request.dryRun)",
            ])
        case .unchanged(let reason):
            outcome = .unchanged
            logger.debug("left a pod unchanged", metadata: ["pod": "\(request.podDescription)", "uid": "\(request.uid)", "reason": "\(reason)"])
        case .refused(let message):
            outcome = .refused
            logger.notice("refused a pod", metadata: ["pod": "\(request.podDescription)", "uid": "\(request.uid)", "error": "\(message)"])
        }
        return WebhookAnswer(status: 200, contentType: "application/json", body: decision.response.serialized(), outcome: outcome)
    }
}
