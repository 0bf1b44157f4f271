import KubeModel

/// The fields each kind lets `?fieldSelector=` use, their values on an object, and the API
/// server's refusal of the others.
public enum FieldLabels {
    /// Kind-specific labels, with how to read each from the object (besides metadata.name and
    /// metadata.namespace, which every kind has).
    private static let kindLabels: [String: [String: [String]]] = [
        "/Pod": [
            "spec.nodeName": ["spec", "nodeName"], "spec.restartPolicy": ["spec", "restartPolicy"],
            "spec.schedulerName": ["spec", "schedulerName"], "spec.serviceAccountName": ["spec", "serviceAccountName"],
            "spec.hostNetwork": ["spec", "hostNetwork"], "status.phase": ["status", "phase"], "status.podIP": ["status", "podIP"],
            "status.nominatedNodeName": ["status", "nominatedNodeName"],
        ],
        "/Node": ["spec.unschedulable": ["spec", "unschedulable"]],
        "/ReplicationController": ["status.replicas": ["status", "replicas"]],
        "/Event": [
            "involvedObject.kind": ["involvedObject", "kind"], "involvedObject.namespace": ["involvedObject", "namespace"],
            "involvedObject.name": ["involvedObject", "name"], "involvedObject.uid": ["involvedObject", "uid"],
            "involvedObject.apiVersion": ["involvedObject", "apiVersion"],
            "involvedObject.resourceVersion": ["involvedObject", "resourceVersion"],
            "involvedObject.fieldPath": ["involvedObject", "fieldPath"], "reason": ["reason"],
            "reportingComponent": ["reportingComponent"], "source": ["source", "component"], "type": ["type"],
        ],
        "/Namespace": ["status.phase": ["status", "phase"]],
        "/Secret": ["type": ["type"]],
        "/Service": ["spec.clusterIP": ["spec", "clusterIP"], "spec.type": ["spec", "type"]],
        "apps/ReplicaSet": ["status.replicas": ["status", "replicas"]],
        "batch/Job": ["status.successful": ["status", "succeeded"]],
        "certificates.k8s.io/CertificateSigningRequest": ["spec.signerName": ["spec", "signerName"]],
    ]

    /// The values of every supported field of `object`, as strings (absent fields read as "",
    /// booleans and numbers in their text form). `selectableFields` are a custom resource's
    /// `selectableFields` JSONPaths (`.spec.color`).
    public static func fields(of object: JSONValue, group: String, kind: String, selectableFields: [String] = []) -> [String: String] {
        var fields: [String: String] = [
            "metadata.name": object[path: ["metadata", "name"]]?.stringValue ?? "",
            "metadata.namespace": object[path: ["metadata", "namespace"]]?.stringValue ?? "",
        ]
        for (label, path) in kindLabels["\(group)/\(kind)"] ?? [:] {
            fields[label] = text(object[path: path])
        }
        if kind == "Pod" {
            // A pod without the field is not on the host network.
            fields["spec.hostNetwork"] = text(object[path: ["spec", "hostNetwork"]] ?? false)
            let ips = (object[path: ["status", "podIPs"]]?.arrayValue ?? []).compactMap { $0["ip"]?.stringValue }
            fields["status.podIPs"] = ips.joined(separator: ",")
        }
        for path in selectableFields {
            let label = path.hasPrefix(".") ? String(path.dropFirst()) : path
            let value = (try? JSONPathExpression(path))?.evaluate(object).first
            fields[label] = text(value)
        }
        return fields
    }

    /// Throws for a field the kind does not support, with the API server's message.
    public static func validate(_ selector: FieldSelector, group: String, kind: String, namespaced: Bool,
                                isCustomResource: Bool, selectableFields: [String] = []) throws(SelectorError) {
        let specific = kindLabels["\(group)/\(kind)"]
        let custom = Set(selectableFields.map { $0.hasPrefix(".") ? String($0.dropFirst()) : $0 })
        for requirement in selector.requirements {
            let label = requirement.field
            if label == "metadata.name" { continue }
            if label == "metadata.namespace" && (namespaced || !isCustomResource) { continue }
            if isCustomResource {
                if custom.contains(label) { continue }
                throw SelectorError("field label not supported: \(label)")
            }
            if let specific {
                if specific[label] != nil || (kind == "Pod" && label == "status.podIPs") { continue }
                throw SelectorError("field label not supported: \(label)")
            }
            throw SelectorError("\(GoFormatting.quote(label)) is not a known field selector: only \"metadata.name\", \"metadata.namespace\"")
        }
    }

    private static func text(_ value: JSONValue?) -> String {
        switch value {
        case .string(let s)?: return s
        case .bool(let b)?: return b ? "true" : "false"
        case .int(let i)?: return String(i)
        case .double(let d)?: return GoFormatting.float(d)
        default: return ""
        }
    }
}
