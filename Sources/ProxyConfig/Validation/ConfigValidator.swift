extension ProxyConfig {
    /// Every problem in the snapshot, each with the path of the offending field; empty when the
    /// snapshot can be compiled and served.
    public func validate() -> [ConfigProblem] {
        var validator = ConfigValidator(backendNames: Set(backends.map(\.name)))
        validator.check(self)
        return validator.problems
    }
}

/// Walks a snapshot and collects problems; one method per IR type.
struct ConfigValidator {
    let backendNames: Set<String>
    var problems: [ConfigProblem] = []

    mutating func report(_ path: String, _ reason: ConfigProblem.Reason, _ message: String) {
        problems.append(ConfigProblem(path: path, reason: reason, message: message))
    }

    mutating func requireRange(_ value: Int, _ range: ClosedRange<Int>, _ path: String) {
        if !range.contains(value) {
            report(path, .outOfRange, "must be between \(range.lowerBound) and \(range.upperBound), got \(value)")
        }
    }

    /// A duration must be one the Gateway API format can spell, so the snapshot round-trips.
    mutating func checkDuration(_ duration: GatewayDuration?, _ path: String) {
        guard let duration else { return }
        if duration.milliseconds < 0 {
            report(path, .outOfRange, "must not be negative")
        } else if GatewayDuration(duration.description) != duration {
            report(path, .outOfRange, "\(duration) is too long for a Gateway API duration (at most 4 parts of 5 digits)")
        }
    }

    mutating func requirePositive(_ value: Int?, _ path: String) {
        if let value, value <= 0 { report(path, .outOfRange, "must be greater than 0, got \(value)") }
    }

    mutating func check(_ config: ProxyConfig) {
        if config.version.isEmpty { report("version", .required, "must not be empty") }
        var firstBackend: [String: Int] = [:]
        for (i, backend) in config.backends.enumerated() {
            let path = "backends[\(i)]"
            if let earlier = firstBackend[backend.name] {
                report("\(path).name", .duplicate, "duplicate backend name \"\(backend.name)\" (also backends[\(earlier)])")
            } else {
                firstBackend[backend.name] = i
            }
            check(backend, path)
        }
        var firstListenerName: [String: Int] = [:]
        for (i, listener) in config.listeners.enumerated() {
            let path = "listeners[\(i)]"
            if let earlier = firstListenerName[listener.name] {
                report("\(path).name", .duplicate, "duplicate listener name \"\(listener.name)\" (also listeners[\(earlier)])")
            } else {
                firstListenerName[listener.name] = i
            }
            if let earlier = config.listeners[..<i].firstIndex(where: { Self.bindsOverlap($0, listener) }) {
                report(
                    "\(path).port", .duplicate,
                    "port \(listener.port) on \(listener.address) is already bound by listeners[\(earlier)]")
            }
            check(listener, path)
        }
        if let sidecar = config.sidecar { check(sidecar, listeners: firstListenerName, backends: firstBackend, config: config) }
    }

    mutating func check(_ sidecar: SidecarConfig, listeners: [String: Int], backends: [String: Int], config: ProxyConfig) {
        requireRange(sidecar.outboundPort, 1...65535, "sidecar.outboundPort")
        requireRange(sidecar.inboundPort, 1...65535, "sidecar.inboundPort")
        if sidecar.outboundPort == sidecar.inboundPort {
            report("sidecar.inboundPort", .conflict, "must differ from outboundPort (\(sidecar.outboundPort))")
        }
        for (i, entry) in sidecar.services.enumerated() {
            let path = "sidecar.services[\(i)]"
            requireRange(entry.port, 1...65535, "\(path).port")
            if entry.addresses.isEmpty { report("\(path).addresses", .required, "must name at least one cluster IP") }
            if let index = listeners[entry.listener] {
                if config.listeners[index].bind {
                    report("\(path).listener", .invalid, "listener \"\(entry.listener)\" must be virtual (bind: false)")
                }
            } else {
                report("\(path).listener", .unknownReference, "no listener named \"\(entry.listener)\"")
            }
            if backends[entry.backend] == nil {
                report("\(path).backend", .unknownReference, "no backend named \"\(entry.backend)\"")
            }
        }
    }

    /// Two listeners collide when they share a port and an address, or one binds every address.
    static func bindsOverlap(_ a: Listener, _ b: Listener) -> Bool {
        guard a.port == b.port, a.bind == b.bind else { return false }
        // Virtual listeners are keyed by the exact destination they serve.
        if !a.bind { return a.address == b.address }
        let any: Set<String> = ["0.0.0.0", "::", "[::]", ""]
        return a.address == b.address || any.contains(a.address) || any.contains(b.address)
    }

    mutating func check(_ backend: Backend, _ path: String) {
        if backend.name.isEmpty { report("\(path).name", .required, "must not be empty") }
        for (i, endpoint) in backend.endpoints.enumerated() {
            let ep = "\(path).endpoints[\(i)]"
            if endpoint.host.isEmpty { report("\(ep).host", .required, "must not be empty") }
            requireRange(endpoint.port, 1...65535, "\(ep).port")
            requireRange(endpoint.weight, 0...1_000_000, "\(ep).weight")
        }
        requirePositive(backend.connectionPool.maxConnections, "\(path).connectionPool.maxConnections")
        if backend.connectionPool.maxPendingRequests < 0 {
            report("\(path).connectionPool.maxPendingRequests", .outOfRange, "must not be negative")
        }
        requirePositive(backend.connectionPool.maxRequestsPerConnection, "\(path).connectionPool.maxRequestsPerConnection")
        if let timeout = backend.connectTimeout, timeout.milliseconds == 0 {
            report("\(path).connectTimeout", .outOfRange, "must be greater than 0s")
        }
        checkDuration(backend.connectTimeout, "\(path).connectTimeout")
        checkDuration(backend.idleTimeout, "\(path).idleTimeout")
        for (i, identity) in (backend.mtls?.identities ?? []).enumerated() where !Self.isSPIFFEID(identity) {
            report("\(path).mtls.identities[\(i)]", .invalid, "must be a SPIFFE ID (spiffe://...), got \"\(identity)\"")
        }
    }

    static func isSPIFFEID(_ text: String) -> Bool { text.hasPrefix("spiffe://") && text.count > "spiffe://".count }

    mutating func check(_ listener: Listener, _ path: String) {
        if listener.name.isEmpty { report("\(path).name", .required, "must not be empty") }
        if listener.address.isEmpty { report("\(path).address", .required, "must not be empty") }
        requireRange(listener.port, 1...65535, "\(path).port")
        switch (listener.protocol, listener.tls) {
        case (.https, nil):
            report("\(path).tls", .required, "must be set when protocol is HTTPS")
        case (.https, let tls?):
            check(tls, "\(path).tls")
        case (.http, .some):
            report("\(path).tls", .conflict, "must not be set when protocol is HTTP")
        case (.http, nil):
            break
        }
        if let mtls = listener.mtls {
            if listener.tls != nil || listener.protocol == .https {
                report("\(path).mtls", .conflict, "a mesh listener uses workload certificates; it must not also set tls or protocol HTTPS")
            }
            for (i, principal) in mtls.allowedPrincipals.enumerated() where !Self.isSPIFFEID(principal) {
                report("\(path).mtls.allowedPrincipals[\(i)]", .invalid, "must be a SPIFFE ID (spiffe://...), got \"\(principal)\"")
            }
        }
        let limits = listener.limits
        requirePositive(limits.maxRequestHeaderBytes, "\(path).limits.maxRequestHeaderBytes")
        requirePositive(limits.maxRequestHeaderCount, "\(path).limits.maxRequestHeaderCount")
        if let body = limits.maxRequestBodyBytes, body < 0 {
            report("\(path).limits.maxRequestBodyBytes", .outOfRange, "must not be negative, got \(body)")
        }
        checkDuration(limits.headerReadTimeout, "\(path).limits.headerReadTimeout")
        checkDuration(limits.idleTimeout, "\(path).limits.idleTimeout")
        requireRange(limits.http2MaxConcurrentStreams, 1...Int(Int32.max), "\(path).limits.http2MaxConcurrentStreams")
        var firstHostname: [String: Int] = [:]
        for (i, virtualHost) in listener.virtualHosts.enumerated() {
            let vh = "\(path).virtualHosts[\(i)]"
            if virtualHost.name.isEmpty { report("\(vh).name", .required, "must not be empty") }
            let key = virtualHost.hostname?.lowercased() ?? "*"
            if let earlier = firstHostname[key] {
                report(
                    "\(vh).hostname", .duplicate,
                    "hostname \(virtualHost.hostname.map { "\"\($0)\"" } ?? "(any)") is already served by "
                        + "\(path).virtualHosts[\(earlier)]")
            } else {
                firstHostname[key] = i
            }
            if let hostname = virtualHost.hostname, let problem = NameRules.hostnameProblem(hostname) {
                report("\(vh).hostname", .invalid, problem)
            }
            for (r, route) in virtualHost.routes.enumerated() {
                check(route, "\(vh).routes[\(r)]")
            }
        }
    }

    mutating func check(_ tls: TLSConfig, _ path: String) {
        if tls.certificates.isEmpty { report("\(path).certificates", .required, "must contain at least one certificate") }
        for (i, certificate) in tls.certificates.enumerated() {
            let cp = "\(path).certificates[\(i)]"
            for (h, hostname) in certificate.hostnames.enumerated() {
                if let problem = NameRules.hostnameProblem(hostname) { report("\(cp).hostnames[\(h)]", .invalid, problem) }
            }
            check(certificate.certificateChain, "\(cp).certificateChain", kind: "CERTIFICATE")
            check(certificate.privateKey, "\(cp).privateKey", kind: "PRIVATE KEY")
        }
        if tls.alpnProtocols.contains(where: \.isEmpty) {
            report("\(path).alpnProtocols", .invalid, "must not contain empty protocol names")
        }
    }

    mutating func check(_ source: PEMSource, _ path: String, kind: String) {
        switch source {
        case .file(let file):
            if file.isEmpty { report("\(path).file", .required, "must not be empty") }
        case .pem(let pem):
            if !pem.contains("-----BEGIN ") || !pem.contains(kind) {
                report("\(path).pem", .invalid, "must be PEM text containing a \"-----BEGIN ...\(kind)-----\" block")
            }
        }
    }
}
