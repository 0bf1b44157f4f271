import KubeTypes
import ProxyConfig

/// A condition's failing outcome: its reason and what to tell the user.
struct Failure: Hashable {
    var reason: String
    var message: String
}

/// What the translator decided about one Gateway listener.
struct ListenerEvaluation {
    let spec: GatewayAPI.Listener
    /// The route kinds this listener admits, as published in status.
    var supportedKinds: [GatewayAPI.RouteGroupKind] = []
    /// Why the listener is not accepted (unsupported protocol); nil when accepted.
    var notAccepted: Failure?
    /// Why a reference does not resolve (route kinds, certificates); nil when all resolve.
    var unresolved: Failure?
    /// Set when the listener cannot serve because of its certificates.
    var certificateProblem = false
    /// `HostnameConflict` or `ProtocolConflict` with another listener of the Gateway.
    var conflict: Failure?
    /// Names of HTTPS listeners on the same port whose hostnames overlap this one's.
    var overlapping: [String] = []
    var certificates: [TLSCertificate] = []
    var attachedRoutes: Int32 = 0

    var protocolSupported: Bool { spec.protocol == "HTTP" || spec.protocol == "HTTPS" }
    /// Whether the data plane serves this listener (routes may attach to it either way).
    var serves: Bool { notAccepted == nil && conflict == nil && !certificateProblem && !supportedKinds.isEmpty }
    /// "Not valid" in the sense of the Gateway's `ListenersNotValid` reason.
    var isInvalid: Bool { notAccepted != nil || conflict != nil }

    /// Route kinds a listener of this protocol can take when `allowedRoutes.kinds` is empty.
    static func defaultKinds(protocol: String) -> [GatewayAPI.RouteGroupKind] {
        switch `protocol` {
        case "HTTP", "HTTPS": [GatewayAPI.RouteGroupKind(kind: "GRPCRoute"), GatewayAPI.RouteGroupKind(kind: "HTTPRoute")]
        default: []
        }
    }

    func admits(kind: String) -> Bool {
        supportedKinds.contains { $0.effectiveGroup == GatewayAPI.group && $0.kind == kind }
    }
}

extension Translation {
    /// Evaluates a listener on its own: protocol, route kinds, certificates. Conflicts between
    /// listeners are found afterwards (`markConflicts`).
    func evaluateListener(_ listener: GatewayAPI.Listener, gatewayNamespace: String) -> ListenerEvaluation {
        var evaluation = ListenerEvaluation(spec: listener)
        guard evaluation.protocolSupported else {
            evaluation.notAccepted = Failure(
                reason: ListenerReason.unsupportedProtocol,
                message: "protocol \(listener.protocol) is not supported; Causeway serves HTTP and HTTPS listeners")
            if let kinds = listener.allowedRoutes?.kinds, !kinds.isEmpty {
                evaluation.unresolved = Failure(
                    reason: ListenerReason.invalidRouteKinds,
                    message: "no route kind is supported on a \(listener.protocol) listener")
            }
            return evaluation
        }
        let compatible = ListenerEvaluation.defaultKinds(protocol: listener.protocol)
        if let requested = listener.allowedRoutes?.kinds, !requested.isEmpty {
            var valid: [GatewayAPI.RouteGroupKind] = []
            var invalid: [String] = []
            for kind in requested {
                if compatible.contains(where: { $0.kind == kind.kind && $0.effectiveGroup == kind.effectiveGroup }) {
                    let normalized = GatewayAPI.RouteGroupKind(group: kind.effectiveGroup, kind: kind.kind)
                    if !valid.contains(normalized) { valid.append(normalized) }
                } else {
                    invalid.append(groupKind(kind.kind, kind.effectiveGroup))
                }
            }
            evaluation.supportedKinds = valid.sorted()
            if !invalid.isEmpty {
                evaluation.unresolved = Failure(
                    reason: ListenerReason.invalidRouteKinds,
                    message: "route kinds \(invalid.joined(separator: ", ")) are not supported on \(listener.protocol) listeners; supported: \(compatible.map(\.kind).joined(separator: ", "))")
            }
        } else {
            evaluation.supportedKinds = compatible
        }
        if listener.protocol == "HTTPS" {
            let refs = listener.tls?.certificateRefs ?? []
            switch CertificateResolver(index: index).resolve(refs, gatewayNamespace: gatewayNamespace, hostname: listener.hostname) {
            case .success(let certificates):
                evaluation.certificates = certificates
            case .failure(let problem):
                evaluation.certificateProblem = true
                // A certificate problem is the more urgent news when route kinds are wrong as well.
                evaluation.unresolved = Failure(reason: problem.reason, message: problem.message)
            }
        }
        return evaluation
    }

    /// Marks listeners that are not distinct (GEP-1713's rules as adopted in the Gateway spec):
    /// on one port, HTTP and HTTPS cannot share (ProtocolConflict), and two listeners of one
    /// protocol need different hostnames (HostnameConflict). No winner is picked: every
    /// listener in a conflict is refused. Listeners whose protocol is not supported are not
    /// served and take no part.
    static func markConflicts(_ listeners: inout [ListenerEvaluation]) {
        var byPort: [Int32: [Int]] = [:]
        for (i, listener) in listeners.enumerated() where listener.protocolSupported {
            byPort[listener.spec.port, default: []].append(i)
        }
        for (port, indices) in byPort {
            let protocols = Set(indices.map { listeners[$0].spec.protocol })
            if protocols.count > 1 {
                for i in indices {
                    listeners[i].conflict = Failure(
                        reason: ListenerReason.protocolConflict,
                        message: "port \(port) is used by listeners of different protocols (\(protocols.sorted().joined(separator: ", ")))")
                }
                continue
            }
            var byHostname: [String: [Int]] = [:]
            for i in indices { byHostname[listeners[i].spec.hostname?.lowercased() ?? "", default: []].append(i) }
            for (hostname, same) in byHostname where same.count > 1 {
                let names = same.map { listeners[$0].spec.name }.joined(separator: ", ")
                for i in same {
                    listeners[i].conflict = Failure(
                        reason: ListenerReason.hostnameConflict,
                        message: "listeners \(names) share port \(port) and \(hostname.isEmpty ? "have no hostname" : "hostname \(hostname)")")
                }
            }
            // Overlapping TLS hostnames (one covers the other) must be reported on all of them.
            let https = indices.filter { listeners[$0].spec.protocol == "HTTPS" && listeners[$0].conflict == nil }
            for a in https {
                for b in https where a != b && Self.hostnamesOverlap(listeners[a].spec.hostname, listeners[b].spec.hostname) {
                    listeners[a].overlapping.append(listeners[b].spec.name)
                }
            }
        }
    }

    /// Whether some host name matches both listener hostnames (nil matches any host).
    static func hostnamesOverlap(_ a: String?, _ b: String?) -> Bool {
        guard let a, let b else { return true }
        return Hostname.intersect(a, b) != nil
    }
}
