struct WeightedEndpoint: Hashable, Sendable {
    var endpoint: UpstreamEndpoint
    var weight: Int
}
