import KubeModel

/// The sidecar's CPU and memory: the settings' defaults, overridden per pod by the
/// `causeway.dev/proxy-*` annotations.
struct ProxyResources: Equatable {
    var cpuRequest: String
    var memoryRequest: String
    var cpuLimit: String?
    var memoryLimit: String?

    static let cpuAnnotation = "causeway.dev/proxy-cpu"
    static let memoryAnnotation = "causeway.dev/proxy-memory"
    static let cpuLimitAnnotation = "causeway.dev/proxy-cpu-limit"
    static let memoryLimitAnnotation = "causeway.dev/proxy-memory-limit"

    /// `annotations` are the pod's, already trimmed, empty ones dropped.
    init(annotations: [String: String], settings: InjectionSettings) throws(InjectionError) {
        let cpu = try Self.pick(annotations, Self.cpuAnnotation, default: settings.proxyCPURequest, setting: "proxyCPURequest")
        let memory = try Self.pick(annotations, Self.memoryAnnotation, default: settings.proxyMemoryRequest, setting: "proxyMemoryRequest")
        let cpuLimit = try Self.pick(annotations, Self.cpuLimitAnnotation, default: settings.proxyCPULimit, setting: "proxyCPULimit")
        let memoryLimit = try Self.pick(annotations, Self.memoryLimitAnnotation, default: settings.proxyMemoryLimit, setting: "proxyMemoryLimit")
        cpuRequest = try Self.request(cpu, limit: cpuLimit)
        memoryRequest = try Self.request(memory, limit: memoryLimit)
        self.cpuLimit = cpuLimit?.value
        self.memoryLimit = memoryLimit?.value
    }

    /// A quantity and where it came from, for error messages.
    private struct Choice {
        var value: String
        var source: String
        var fromAnnotation: Bool
    }

    private static func pick(_ annotations: [String: String], _ annotation: String, default fallback: String,
                             setting: String) throws(InjectionError) -> Choice {
        try pick(annotations, annotation, default: Optional(fallback), setting: setting)
            ?? Choice(value: fallback, source: "injection setting \(setting)", fromAnnotation: false)
    }

    private static func pick(_ annotations: [String: String], _ annotation: String, default fallback: String?,
                             setting: String) throws(InjectionError) -> Choice? {
        if let text = annotations[annotation] {
            guard QuantitySyntax.value(text) != nil else {
                throw InjectionError("annotation \(annotation): \(quoted(text)) is not a Kubernetes quantity "
                    + "(want e.g. 100m or 0.5 for CPU, 64Mi or 1Gi for memory)")
            }
            return Choice(value: text, source: "annotation \(annotation)", fromAnnotation: true)
        }
        guard let fallback else { return nil }
        guard QuantitySyntax.value(fallback) != nil else {
            throw InjectionError("injection setting \(setting): \(quoted(fallback)) is not a Kubernetes quantity")
        }
        return Choice(value: fallback, source: "injection setting \(setting)", fromAnnotation: false)
    }

    /// The request, kept within the limit: the API server refuses a container whose request
    /// exceeds its limit. A pod that lowers only the limit gets the request lowered with it (as
    /// Kubernetes defaults a missing request to the limit); a request the pod set explicitly
    /// above the limit is refused, naming both.
    private static func request(_ request: Choice, limit: Choice?) throws(InjectionError) -> String {
        guard let limit, let requested = QuantitySyntax.value(request.value), let allowed = QuantitySyntax.value(limit.value),
              requested > allowed else { return request.value }
        guard request.fromAnnotation else { return limit.value }
        throw InjectionError("\(request.source): \(quoted(request.value)) is more than the limit \(quoted(limit.value)) "
            + "from \(limit.source); a request cannot exceed its limit")
    }

    var json: JSONValue {
        var limits: [String: JSONValue] = [:]
        if let cpuLimit { limits["cpu"] = .string(cpuLimit) }
        if let memoryLimit { limits["memory"] = .string(memoryLimit) }
        var resources: [String: JSONValue] = ["requests": ["cpu": .string(cpuRequest), "memory": .string(memoryRequest)]]
        if !limits.isEmpty { resources["limits"] = .object(limits) }
        return .object(resources)
    }
}
