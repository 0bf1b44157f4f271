import KubeTypes
import ProxyConfig

/// Turns a namespace's `MeshTLSPolicy` objects into the sidecars' inbound mode, and says in each
/// policy's status whether it applies.
///
/// One policy without a selector sets the namespace's mode; when several do, the oldest wins and
/// the others are `Accepted: False` (`Conflicted`). Policies with a selector apply to the pods they
/// select, the one with the most labels first (then the oldest). Without any policy a namespace
/// is PERMISSIVE, so turning the mesh on never cuts off clients that are not meshed yet.
struct MeshTLSPolicyEvaluation {
    var inbound: [String: InboundPolicy] = [:]
    var statuses: [String: [Condition]] = [:]

    static let reasonInvalid = "Invalid"
    static let reasonConflicted = "Conflicted"
    static let reasonNotMeshed = "NamespaceNotMeshed"

    init(policies: [MeshTLSPolicy], meshed: Set<String>) {
        let sorted = policies.sorted {
            ($0.metadata.creationTimestamp ?? "~", $0.metadata.key) < ($1.metadata.creationTimestamp ?? "~", $1.metadata.key)
        }
        var namespaceWide: [String: String] = [:]
        var selected: [String: [(labels: [String: String], policy: String, mode: MeshTLSMode)]] = [:]
        for policy in sorted {
            let namespace = policy.metadata.namespace ?? "default"
            let key = policy.metadata.key
            let generation = policy.metadata.observedGeneration
            guard let mode = MeshTLSMode(rawValue: policy.spec.mode) else {
                statuses[key] = [Condition(
                    type: "Accepted", status: .false, reason: Self.reasonInvalid,
                    message: "spec.mode must be STRICT or PERMISSIVE, got \"\(policy.spec.mode)\"", observedGeneration: generation)]
                continue
            }
            let labels = policy.spec.selector?.matchLabels ?? [:]
            if labels.isEmpty {
                if let winner = namespaceWide[namespace] {
                    statuses[key] = [Condition(
                        type: "Accepted", status: .false, reason: Self.reasonConflicted,
                        message: "MeshTLSPolicy \(winner) is older and also applies to the whole namespace", observedGeneration: generation)]
                    continue
                }
                namespaceWide[namespace] = key
                inbound[namespace, default: InboundPolicy()].mode = mode
            } else {
                selected[namespace, default: []].append((labels, key, mode))
            }
            var conditions = [Condition(
                type: "Accepted", status: .true, reason: "Accepted",
                message: labels.isEmpty ? "\(mode.rawValue) for every pod of namespace \(namespace)"
                    : "\(mode.rawValue) for the pods of namespace \(namespace) labelled \(Self.describe(labels))",
                observedGeneration: generation)]
            if meshed.contains(namespace) {
                conditions.append(Condition(
                    type: "Programmed", status: .true, reason: "Programmed",
                    message: "sent to the sidecars of namespace \(namespace)", observedGeneration: generation))
            } else {
                conditions.append(Condition(
                    type: "Programmed", status: .false, reason: Self.reasonNotMeshed,
                    message: "namespace \(namespace) is not labelled \(MeshNamespaces.label)=\(MeshNamespaces.enabled): its pods have no sidecar to apply this",
                    observedGeneration: generation))
            }
            statuses[key] = conditions
        }
        for (namespace, entries) in selected {
            // Stable sort: among equally specific selectors the older policy stays first.
            let ordered = entries.enumerated().sorted { a, b in
                a.element.labels.count != b.element.labels.count ? a.element.labels.count > b.element.labels.count : a.offset < b.offset
            }.map(\.element)
            inbound[namespace, default: InboundPolicy()].workloads = ordered.map {
                WorkloadTLSMode(policy: $0.policy, matchLabels: $0.labels, mode: $0.mode)
            }
        }
    }

    private static func describe(_ labels: [String: String]) -> String {
        labels.keys.sorted().map { "\($0)=\(labels[$0]!)" }.joined(separator: ",")
    }
}
