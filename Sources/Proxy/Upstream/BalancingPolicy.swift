enum BalancingPolicy: String, Sendable {
    case roundRobin
    /// Power of two choices: pick two endpoints at random, use the one with fewer requests in flight.
    case leastRequest
}
