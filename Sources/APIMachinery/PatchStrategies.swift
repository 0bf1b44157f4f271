/// How the lists and nested objects of a kind merge: Kubernetes' `patchStrategy` and
/// `patchMergeKey` struct tags (for strategic merge patch) and list-map keys (for server-side
/// apply), for the built-in kinds Causeway's API server serves.
///
/// A list with the `merge` strategy and merge keys merges element by element by those keys; a
/// `merge` list without keys is a set of scalars; every other list is replaced whole. Objects
/// (maps) always merge member by member unless their strategy is `replace`.
public struct PatchStrategies: Sendable {
    public enum Strategy: String, Sendable {
        case merge
        case replace
        case retainKeys
        case mergeRetainKeys = "merge,retainKeys"
        /// No tag: lists are atomic, objects merge.
        case none = ""

        var mergesLists: Bool { self == .merge || self == .mergeRetainKeys }
    }

    /// The tags of one field, and the strategies of what it holds (list elements or object members).
    public struct Field: Sendable {
        public var strategy: Strategy
        /// The merge key for strategic merge patch is the first; server-side apply keys list
        /// elements by all of them.
        public var mergeKeys: [String]
        public var element: PatchStrategies?
        /// For server-side apply: an object owned as a whole (`+structType=atomic`), like a
        /// workload's label selector.
        public var isAtomic: Bool

        public init(_ strategy: Strategy = .none, mergeKeys: [String] = [], element: PatchStrategies? = nil, isAtomic: Bool = false) {
            self.strategy = strategy
            self.mergeKeys = mergeKeys
            self.element = element
            self.isAtomic = isAtomic
        }

        public var mergeKey: String? { mergeKeys.first }
    }

    private final class Storage: Sendable {
        let fields: [String: Field]
        let otherMembers: Field?
        init(_ fields: [String: Field], _ otherMembers: Field?) {
            self.fields = fields
            self.otherMembers = otherMembers
        }
    }

    private let storage: Storage

    /// `otherMembers` applies to every member not in `fields` (the values of a map).
    public init(fields: [String: Field], otherMembers: Field? = nil) { storage = Storage(fields, otherMembers) }

    public var fields: [String: Field] { storage.fields }

    /// The tags of member `name`, or none (replace lists, merge objects) for fields not listed.
    public func field(_ name: String) -> Field { storage.fields[name] ?? storage.otherMembers ?? Field() }

    /// Nothing known: every list is atomic and objects merge. What a custom resource gets for
    /// its own fields.
    public static let none = PatchStrategies(fields: [:])

    /// A custom resource: only `metadata` has known strategies (finalizers as a set,
    /// ownerReferences keyed by uid).
    public static let customResource = PatchStrategies(fields: ["metadata": Field(element: objectMeta)])
}

extension PatchStrategies {
    private static func mergeList(_ keys: String..., element: PatchStrategies? = nil) -> Field {
        Field(.merge, mergeKeys: keys, element: element)
    }

    private static func object(_ fields: [String: Field]) -> Field {
        Field(element: PatchStrategies(fields: fields))
    }

    static let objectMeta = PatchStrategies(fields: [
        "finalizers": Field(.merge),
        "ownerReferences": mergeList("uid"),
    ])

    static let conditionsByType = mergeList("type")

    static let container = PatchStrategies(fields: [
        "ports": mergeList("containerPort", "protocol"),
        "env": mergeList("name"),
        "volumeMounts": mergeList("mountPath"),
        "volumeDevices": mergeList("devicePath"),
    ])

    static let podSpec = PatchStrategies(fields: [
        "volumes": Field(.mergeRetainKeys, mergeKeys: ["name"]),
        "initContainers": mergeList("name", element: container),
        "containers": mergeList("name", element: container),
        "ephemeralContainers": mergeList("name", element: container),
        "imagePullSecrets": mergeList("name"),
        "hostAliases": mergeList("ip"),
        "topologySpreadConstraints": mergeList("topologyKey", "whenUnsatisfiable"),
        "schedulingGates": mergeList("name"),
        "resourceClaims": Field(.mergeRetainKeys, mergeKeys: ["name"]),
    ])

    static let podTemplateSpec = PatchStrategies(fields: [
        "metadata": Field(element: objectMeta),
        "spec": Field(element: podSpec),
    ])

    static let statusWithConditions = Field(element: PatchStrategies(fields: ["conditions": conditionsByType]))

    /// A workload: `spec.template` is a pod template; `extra` adds spec fields.
    private static func workload(spec extra: [String: Field] = [:]) -> [String: Field] {
        var spec: [String: Field] = ["template": Field(element: podTemplateSpec), "selector": Field(isAtomic: true)]
        spec.merge(extra) { _, new in new }
        return ["spec": object(spec), "status": statusWithConditions]
    }

    private static let jobSpec = PatchStrategies(fields: ["template": Field(element: podTemplateSpec), "selector": Field(isAtomic: true)])

    /// The strategies of a built-in kind (`group` "" is the core group). Kinds not listed get
    /// the object metadata strategies only.
    public static func builtIn(group: String, kind: String) -> PatchStrategies {
        var fields: [String: Field]
        switch (group, kind) {
        case ("", "Pod"):
            fields = [
                "spec": Field(element: podSpec),
                "status": object(["conditions": conditionsByType, "podIPs": mergeList("ip"), "hostIPs": mergeList("ip")]),
            ]
        case ("", "PodTemplate"):
            fields = ["template": Field(element: podTemplateSpec)]
        case ("", "ReplicationController"), ("apps", "ReplicaSet"), ("apps", "DaemonSet"), ("apps", "StatefulSet"):
            fields = workload()
        case ("apps", "Deployment"):
            fields = workload(spec: ["strategy": Field(.retainKeys)])
        case ("batch", "Job"):
            fields = workload()
        case ("batch", "CronJob"):
            fields = [
                "spec": object(["jobTemplate": object(["metadata": Field(element: objectMeta), "spec": Field(element: jobSpec)])]),
            ]
        case ("", "Service"):
            fields = ["spec": object(["ports": mergeList("port", "protocol")]), "status": statusWithConditions]
        case ("", "ServiceAccount"):
            fields = ["secrets": mergeList("name")]
        case ("", "Namespace"), ("", "PersistentVolumeClaim"), ("", "PersistentVolume"):
            fields = ["status": statusWithConditions]
        case ("", "Node"):
            fields = ["status": object(["conditions": conditionsByType, "addresses": mergeList("type")])]
        case ("policy", "PodDisruptionBudget"):
            // policy/v1 marks the selector `patchStrategy:"replace"`: a patch replaces it whole.
            fields = ["spec": object(["selector": Field(.replace)]), "status": statusWithConditions]
        case ("admissionregistration.k8s.io", "MutatingWebhookConfiguration"),
             ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"):
            fields = ["webhooks": mergeList("name")]
        default:
            fields = [:]
        }
        fields["metadata"] = Field(element: objectMeta)
        return PatchStrategies(fields: fields)
    }
}
