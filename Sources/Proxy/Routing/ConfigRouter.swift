import NIOHTTP1
import ProxyConfig

extension HTTPHeaders: HeaderFields {}

/// Routes requests of one listener with the compiled Gateway API route table and turns the
/// matched rule's filters into a `RoutePlan`.
struct ConfigRouter: RequestRouter {
    let listener: Listener
    let table: CompiledRouteTable
    /// Indexed like `CompiledConfig.backends`.
    let clusters: [UpstreamCluster]
    /// By `CompiledRule.id`, then `CompiledBackendRef.position` (see `ForwardTarget.table`).
    let targets: [[ForwardTarget?]]

    func plan(for head: HTTPRequestHead, host: String, info: DownstreamInfo, random: UInt64) -> RoutePlan {
        let (path, query) = RequestTarget.split(head.uri)
        if info.serverName != nil, table.isMisdirected(serverName: info.serverName, host: host) {
            let status = ResponseStatus.misdirected
            let response = LocalResponse(status: HTTPResponseStatus(statusCode: status.code), body: "\(status.reasonPhrase)\n")
            return RoutePlan(routeName: "-", outcome: .respond(response))
        }
        guard let matched = table.match(host: host, method: head.method.rawValue, path: path, query: query, headers: head.headers) else {
            return RoutePlan(routeName: "-", outcome: .respond(LocalResponse(status: .notFound, body: "no route matches \(path)\n")))
        }
        let rule = matched.rule
        let routeName = matched.route.qualifiedName
        switch rule.action(random: random) {
        case .respond(let status):
            let response = LocalResponse(status: HTTPResponseStatus(statusCode: status.code), body: status.reasonPhrase + "\n")
            return RoutePlan(routeName: routeName, outcome: .respond(response))
        case .redirect(let redirect):
            let location = redirect.location(
                requestScheme: listener.protocol.scheme, requestHost: host, listenerPort: listener.port, path: path,
                query: query, matchedPrefix: matched.matchedPrefix)
            var headers = HTTPHeaders()
            headers.add(name: "location", value: location)
            let response = LocalResponse(status: HTTPResponseStatus(statusCode: redirect.statusCode), headers: headers)
            return RoutePlan(routeName: routeName, outcome: .respond(response))
        case .forward(let ref):
            guard rule.id < targets.count, ref.position < targets[rule.id].count, let target = targets[rule.id][ref.position] else {
                return RoutePlan(routeName: routeName, outcome: .respond(LocalResponse(status: .internalServerError, body: "no valid backend\n")))
            }
            var upstreamHead = head
            var headersEdited = false
            if let modifier = rule.requestHeaderModifier {
                modifier.apply(to: &upstreamHead.headers)
                headersEdited = true
            }
            if let modifier = ref.requestHeaderModifier {
                modifier.apply(to: &upstreamHead.headers)
                headersEdited = true
            }
            if let rewrite = ref.urlRewrite ?? rule.urlRewrite {
                let rewritten = rewrite.rewrite(host: host, path: path, matchedPrefix: matched.matchedPrefix)
                upstreamHead.uri = query.isEmpty ? rewritten.path : rewritten.path + "?" + query
                if rewritten.host != host {
                    upstreamHead.headers.replaceOrAdd(name: "host", value: rewritten.host)
                    headersEdited = true
                }
            }
            var mirrorRandom = random
            var mirrors: [MirrorPlan] = []
            func consider(_ mirror: CompiledMirror) {
                mirrorRandom = Self.mix(mirrorRandom)
                if mirror.shouldMirror(random: mirrorRandom), let mirrorIndex = mirror.backendIndex, mirrorIndex < clusters.count {
                    mirrors.append(MirrorPlan(backendName: mirror.backendName, cluster: clusters[mirrorIndex]))
                }
            }
            for mirror in rule.mirrors { consider(mirror) }
            for mirror in ref.mirrors { consider(mirror) }
            let plan = ForwardPlan(
                head: upstreamHead, headersEdited: headersEdited, target: target,
                maxRequestBodyBytes: target.maxRequestBodyBytes ?? listener.limits.maxRequestBodyBytes, mirrors: mirrors)
            return RoutePlan(routeName: routeName, outcome: .forward(plan))
        }
    }

    /// A new uniformly distributed number from the last (splitmix64 step), so each mirror's
    /// percentage is decided independently of the backend pick.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
