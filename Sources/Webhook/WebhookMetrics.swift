import PrometheusText

/// What the webhook counts: reviews by outcome and how long each took to decide (from the
/// request's last byte to its answer, the part the webhook owns).
public final class WebhookMetrics: Sendable {
    public let reviews = LabeledMetric("causeway_webhook_reviews_total", kind: .counter,
                                       help: "Sidecar injection requests, by outcome (injected, unchanged, refused, malformed, other).",
                                       labels: ["outcome"])
    public let duration = DurationHistogram("causeway_webhook_review_duration_seconds",
                                            help: "Time to decide one AdmissionReview, excluding the network.",
                                            bounds: [0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.05, 0.25, 1])

    public init() {}

    public func render() -> String { reviews.render() + duration.render() }
}
