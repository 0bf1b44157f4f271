/// What a listener's request handlers share: its name and limits.
struct ListenerRuntime: Sendable {
    var name: String
    var limits: RequestLimits
    var isTLS: Bool
}
