import NIOHTTP1

/// Routes a request head under one config snapshot for one listener.
protocol RequestRouter: Sendable {
    /// `host` is the request's `Host` (or `:authority`) value, empty when it has none.
    func plan(for head: HTTPRequestHead, host: String, info: DownstreamInfo, random: UInt64) -> RoutePlan
}
