import NIOHTTP1

/// Routes a request head under one config snapshot for one listener.
protocol RequestRouter: Sendable {
    func plan(for head: HTTPRequestHead, info: DownstreamInfo, random: UInt64) -> RoutePlan
}
