/// Chooses an endpoint of a cluster. One instance per cluster per event loop, so its counters
/// need no synchronisation; balance is therefore per loop, which evens out over loops.
struct LoadBalancer {
    /// Smooth weighted round robin (each endpoint's running weight; the largest wins and pays the total).
    private var currentWeights: [Int] = []

    /// `activeRequests(i)` is the number of requests this loop has in flight to endpoint `i`.
    mutating func pick<G: RandomNumberGenerator>(
        _ endpoints: [WeightedEndpoint], policy: BalancingPolicy, random: inout G, activeRequests: (Int) -> Int
    ) -> Int? {
        guard !endpoints.isEmpty else { return nil }
        if endpoints.count == 1 { return 0 }
        switch policy {
        case .roundRobin:
            return pickRoundRobin(endpoints)
        case .leastRequest:
            let first = pickWeightedRandom(endpoints, random: &random)
            var second = pickWeightedRandom(endpoints, random: &random)
            if second == first { second = (first + 1 + Int.random(in: 0..<(endpoints.count - 1), using: &random)) % endpoints.count }
            // Compare load per unit of weight: active(a)/w(a) < active(b)/w(b), cross-multiplied.
            let loadA = activeRequests(first) * max(endpoints[second].weight, 1)
            let loadB = activeRequests(second) * max(endpoints[first].weight, 1)
            return loadA <= loadB ? first : second
        }
    }

    private mutating func pickRoundRobin(_ endpoints: [WeightedEndpoint]) -> Int {
        if currentWeights.count != endpoints.count { currentWeights = Array(repeating: 0, count: endpoints.count) }
        var total = 0
        var best = 0
        for index in endpoints.indices {
            let weight = max(endpoints[index].weight, 0)
            currentWeights[index] += weight
            total += weight
            if currentWeights[index] > currentWeights[best] { best = index }
        }
        currentWeights[best] -= total
        return best
    }

    private func pickWeightedRandom<G: RandomNumberGenerator>(_ endpoints: [WeightedEndpoint], random: inout G) -> Int {
        let total = endpoints.reduce(0) { $0 + max($1.weight, 0) }
        guard total > 0 else { return Int.random(in: 0..<endpoints.count, using: &random) }
        var point = Int.random(in: 0..<total, using: &random)
        for index in endpoints.indices {
            point -= max(endpoints[index].weight, 0)
            if point < 0 { return index }
        }
        return endpoints.count - 1
    }
}
