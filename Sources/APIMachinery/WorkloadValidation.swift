import KubeModel

/// The rules of workloads (Deployments, ReplicaSets, StatefulSets, DaemonSets) and their pod
/// templates that users hit most: a selector that must exist and match the template's labels,
/// non-negative replicas, containers with names and images, `restartPolicy: Always`.
enum WorkloadValidation {
    static let kinds: Set<String> = ["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet"]

    static func validate(_ object: JSONValue, kind: String) -> [FieldError] {
        var errors: [FieldError] = []
        let spec = object["spec"] ?? .object([:])
        if kind != "DaemonSet", let replicas = spec["replicas"]?.intValue, replicas < 0 {
            errors.append(.invalid("spec.replicas", .int(replicas), "must be greater than or equal to 0"))
        }
        errors += selectorErrors(spec, kind: kind)
        if let policy = spec[path: ["template", "spec", "restartPolicy"]]?.stringValue, policy != "Always" {
            errors.append(.notSupported("spec.template.spec.restartPolicy", .string(policy), supported: ["Always"]))
        }
        errors += containerErrors(spec[path: ["template", "spec"]] ?? .object([:]), field: "spec.template.spec")
        errors += PodSpecEnums.errors(spec[path: ["template", "spec"]] ?? .object([:]), field: "spec.template.spec")
            .filter { $0.field != "spec.template.spec.restartPolicy" }
        return errors
    }

    /// On update the selector may not change (apps/v1).
    static func validateUpdate(new: JSONValue, old: JSONValue) -> [FieldError] {
        let newSelector = new[path: ["spec", "selector"]] ?? .null
        let oldSelector = old[path: ["spec", "selector"]] ?? .null
        guard newSelector != oldSelector else { return [] }
        return [.invalid("spec.selector", newSelector, "field is immutable")]
    }

    private static func selectorErrors(_ spec: JSONValue, kind: String) -> [FieldError] {
        guard let selectorJSON = spec["selector"], !selectorJSON.isNull else {
            return [.required("spec.selector")]
        }
        let selector: LabelSelector
        do {
            selector = try LabelSelector(json: selectorJSON)
        } catch {
            return [.invalid("spec.selector", selectorJSON, error.message)]
        }
        if selector.isEverything {
            return [.invalid("spec.selector", selectorJSON, "empty selector is invalid for \(kind.lowercased())")]
        }
        let labelsJSON = spec[path: ["template", "metadata", "labels"]]
        var labels: [String: String] = [:]
        for (key, value) in labelsJSON?.objectValue ?? [:] { labels[key] = value.stringValue ?? "" }
        if !selector.matches(labels) {
            return [.invalid("spec.template.metadata.labels", labelsJSON ?? .null, "`selector` does not match template `labels`")]
        }
        return []
    }

    /// Containers must exist, each named with a unique DNS label and with an image.
    static func containerErrors(_ podSpec: JSONValue, field: String) -> [FieldError] {
        var errors: [FieldError] = []
        let containers = podSpec["containers"]?.arrayValue ?? []
        if containers.isEmpty { errors.append(.required("\(field).containers")) }
        var names = Set<String>()
        var portNames = Set<String>()
        for (index, container) in containers.enumerated() {
            let path = "\(field).containers[\(index)]"
            let name = container["name"]?.stringValue ?? ""
            if name.isEmpty {
                errors.append(.required("\(path).name"))
            } else {
                errors += NameValidation.dns1123Label(name).map { .invalid("\(path).name", .string(name), $0) }
                if !names.insert(name).inserted { errors.append(.duplicate("\(path).name", .string(name))) }
            }
            let image = container["image"]?.stringValue ?? ""
            if image.isEmpty {
                errors.append(.required("\(path).image"))
            } else if image.first!.isWhitespace || image.last!.isWhitespace {
                errors.append(.invalid("\(path).image", .string(image), "must not have leading or trailing whitespace"))
            }
            errors += PortValidation.containerPorts(container["ports"]?.arrayValue ?? [], field: "\(path).ports", names: &portNames)
        }
        return errors
    }
}
