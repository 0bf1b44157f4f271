import KubeModel

/// What one pod asks of its sidecar through `causeway.dev/*` annotations, validated, with the
/// settings filling in what the pod does not say. An annotation whose value is empty counts as
/// absent (charts often render an unset value as `""`) — except `include-inbound-ports: ""`,
/// which means "capture no inbound traffic", as `causeway init` and other meshes read it.
struct PodMeshOptions: Equatable {
    /// Inbound ports capture leaves alone: the proxy's health and admin ports, then the pod's.
    var excludeInboundPorts: [Int64]
    var excludeOutboundPorts: [Int64]
    var excludeOutboundCIDRs: [String]
    /// Inbound ports to capture; nil means all of them (`*`), empty none.
    var includeInboundPorts: [Int64]?
    var logLevel: String
    var resources: ProxyResources

    static let excludeInboundPortsAnnotation = "causeway.dev/exclude-inbound-ports"
    static let excludeOutboundPortsAnnotation = "causeway.dev/exclude-outbound-ports"
    static let excludeOutboundCIDRsAnnotation = "causeway.dev/exclude-outbound-cidrs"
    static let includeInboundPortsAnnotation = "causeway.dev/include-inbound-ports"
    static let logLevelAnnotation = "causeway.dev/log-level"

    /// The levels of swift-log, which the proxy's `--log-level` takes.
    static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    init(annotations: [String: String], settings: InjectionSettings) throws(InjectionError) {
        let values = annotations.compactMapValues { raw -> String? in
            let trimmed = ListSyntax.trimmed(Substring(raw))
            return trimmed.isEmpty ? nil : String(trimmed)
        }
        func value(_ key: String) -> String? { values[key] }

        let alwaysExcluded = [MeshConventions.healthPort, MeshConventions.adminPort]
        excludeInboundPorts = alwaysExcluded
        if let text = value(Self.excludeInboundPortsAnnotation) {
            for port in try Self.ports(text, annotation: Self.excludeInboundPortsAnnotation) where !excludeInboundPorts.contains(port) {
                excludeInboundPorts.append(port)
            }
        }
        excludeOutboundPorts = try value(Self.excludeOutboundPortsAnnotation).map { text throws(InjectionError) in
            try Self.ports(text, annotation: Self.excludeOutboundPortsAnnotation)
        } ?? []
        excludeOutboundCIDRs = try value(Self.excludeOutboundCIDRsAnnotation).map { text throws(InjectionError) in
            try Self.cidrs(text, annotation: Self.excludeOutboundCIDRsAnnotation)
        } ?? []
        switch (annotations[Self.includeInboundPortsAnnotation], value(Self.includeInboundPortsAnnotation)) {
        case (nil, _), (_, "*"): includeInboundPorts = nil
        case (_, nil): includeInboundPorts = []
        case (_, let text?): includeInboundPorts = try Self.ports(text, annotation: Self.includeInboundPortsAnnotation, allowsStar: true)
        }

        logLevel = settings.logLevel
        if let level = value(Self.logLevelAnnotation) {
            guard Self.logLevels.contains(level) else {
                throw InjectionError("annotation \(Self.logLevelAnnotation): \(quoted(level)) is not a log level "
                    + "(want one of \(Self.logLevels.joined(separator: ", ")))")
            }
            logLevel = level
        }
        resources = try ProxyResources(annotations: values, settings: settings)
    }

    /// Whether capture redirects inbound traffic to `port` — only then must the kubelet's probes
    /// of that port go through the proxy.
    func capturesInbound(_ port: Int64) -> Bool {
        if excludeInboundPorts.contains(port) { return false }
        return includeInboundPorts?.contains(port) ?? true
    }

    private static func ports(_ text: String, annotation: String, allowsStar: Bool = false) throws(InjectionError) -> [Int64] {
        switch PortSyntax.ports(text) {
        case .success(let ports): return ports
        case .failure(let bad):
            let want = allowsStar ? "want *, ports 1-65535 separated by commas, or \"\" for none" : "want ports 1-65535 separated by commas"
            throw InjectionError("annotation \(annotation): \(quoted(text)): \(quoted(bad.text)) is not a port (\(want))")
        }
    }

    private static func cidrs(_ text: String, annotation: String) throws(InjectionError) -> [String] {
        var result: [String] = []
        for item in ListSyntax.items(text) {
            guard CIDRSyntax.isValid(item) else {
                throw InjectionError("annotation \(annotation): \(quoted(text)): \(quoted(String(item))) is not a CIDR "
                    + "(want address/prefix-length, e.g. 10.0.0.0/8 or fd00::/8, separated by commas)")
            }
            if !result.contains(String(item)) { result.append(String(item)) }
        }
        return result
    }
}

/// A value in double quotes, as it appears in the pod, so blanks and empty items are visible.
func quoted(_ text: String) -> String {
    var out = "\""
    for character in text {
        switch character {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        default: out.append(character)
        }
    }
    return out + "\""
}
