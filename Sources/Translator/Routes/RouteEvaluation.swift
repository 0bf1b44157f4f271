import KubeTypes
import ProxyConfig

/// One HTTPRoute or GRPCRoute, converted once into the data plane's route and checked, then
/// attached to as many Gateways as its parentRefs name.
struct RouteEvaluation {
    let kind: String
    let metadata: ObjectMeta
    let parentRefs: [GatewayAPI.ParentReference]
    let hostnames: [String]
    /// The route as the proxy serves it: rules that cannot be served are left out.
    var route: HTTPRoute
    /// Backends its rules and mirrors use.
    var backends: [Backend] = []
    /// The first reference problem (decides the `ResolvedRefs` reason); all of them in `messages`.
    var unresolved: Failure?
    var unresolvedMessages: [String] = []
    /// Messages naming the rules left out because they use values Causeway does not support.
    var droppedRules: [String] = []
    var ruleCount = 0

    var namespace: String { metadata.namespace ?? "default" }
    var key: String { "\(namespace)/\(metadata.name)" }
    /// Every rule dropped: nothing of the route can be served.
    var isEntirelyInvalid: Bool { ruleCount > 0 && droppedRules.count == ruleCount }

    mutating func record(_ problem: RuleProblem) {
        if problem.dropsRule { return }
        if unresolved == nil { unresolved = Failure(reason: problem.reason, message: problem.message) }
        unresolvedMessages.append(problem.message)
    }
}

extension Translation {
    /// Converts a rule list, checking each rule on its own so that one bad rule leaves the
    /// others serving (Gateway API: drop invalid rules, say so in `PartiallyInvalid`).
    func finish(_ evaluation: inout RouteEvaluation, rules: [(rule: HTTPRouteRule, problems: [RuleProblem], backends: [Backend])]) {
        evaluation.ruleCount = rules.count
        var kept: [HTTPRouteRule] = []
        for (i, entry) in rules.enumerated() {
            let label = entry.rule.name.map { "rule \($0)" } ?? "rule \(i)"
            var problems = entry.problems
            // The data plane's own validation is the last word: a rule it would refuse is dropped
            // here, so one route can never make a whole configuration unloadable.
            if problems.allSatisfy({ !$0.dropsRule }) {
                problems += Self.dataPlaneProblems(entry.rule, backends: entry.backends)
            }
            if let drop = problems.first(where: \.dropsRule) {
                evaluation.droppedRules.append("\(label): \(drop.message)")
                continue
            }
            for problem in problems { evaluation.record(problem) }
            evaluation.backends += entry.backends
            kept.append(entry.rule)
        }
        evaluation.route.rules = kept
    }

    /// Problems the proxy's validator finds in one rule, as `UnsupportedValue`.
    static func dataPlaneProblems(_ rule: HTTPRouteRule, backends: [Backend]) -> [RuleProblem] {
        let config = ProxyConfig(
            version: "probe",
            listeners: [Listener(name: "probe", port: 1, virtualHosts: [
                VirtualHost(name: "probe", routes: [HTTPRoute(namespace: "probe", name: "probe", rules: [rule])]),
            ])],
            backends: backends.uniqued())
        return config.validate().map { RuleProblem(reason: RouteReason.unsupportedValue, message: "\($0.message) (\(Self.trimmedPath($0.path)))") }
    }

    private static func trimmedPath(_ path: String) -> String {
        guard let range = path.range(of: "rules[0]") else { return path }
        return String(path[range.upperBound...]).trimmingPrefix(".").description
    }
}

extension Array where Element == Backend {
    func uniqued() -> [Backend] {
        var seen = Set<String>()
        return filter { seen.insert($0.name).inserted }
    }
}
