/// An HTTP answer of the webhook's endpoint, independent of the server that writes it (the
/// controller's configuration server or `causeway webhook`'s own).
public struct WebhookAnswer: Sendable, Equatable {
    /// How a request ended, the `outcome` label of `causeway_webhook_reviews_total`.
    public enum Outcome: String, Sendable, CaseIterable {
        case injected, unchanged, refused, malformed
        /// Not a review: a wrong method or path.
        case other
    }

    public var status: Int
    public var contentType: String
    public var body: [UInt8]
    public var outcome: Outcome

    public init(status: Int, contentType: String, body: [UInt8], outcome: Outcome) {
        self.status = status
        self.contentType = contentType
        self.body = body
        self.outcome = outcome
    }

    static func text(_ status: Int, _ message: String, outcome: Outcome) -> WebhookAnswer {
        WebhookAnswer(status: status, contentType: "text/plain; charset=utf-8", body: Array((message + "\n").utf8), outcome: outcome)
    }
}
