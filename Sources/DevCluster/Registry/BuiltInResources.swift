import APIMachinery

/// The built-in kinds DevCluster serves: the ones Causeway, kubectl and helm touch.
/// Scope, short names, categories and subresources follow the real API server's discovery.
enum BuiltInResources {
    static let all: [ResourceDefinition] = [
        make("", "v1", "namespaces", "Namespace", namespaced: false, short: ["ns"], status: true,
             columns: [BuiltInColumns.column("Status", "string", jsonPath: ".status.phase")]),
        make("", "v1", "pods", "Pod", short: ["po"], categories: ["all"], status: true, columns: BuiltInColumns.pods, age: false),
        make("", "v1", "services", "Service", short: ["svc"], categories: ["all"], status: true, columns: BuiltInColumns.services,
             age: false),
        make("", "v1", "endpoints", "Endpoints", short: ["ep"]),
        make("", "v1", "secrets", "Secret", columns: BuiltInColumns.secrets, age: false),
        make("", "v1", "configmaps", "ConfigMap", short: ["cm"], columns: BuiltInColumns.configMaps, age: false),
        make("", "v1", "serviceaccounts", "ServiceAccount", short: ["sa"], columns: BuiltInColumns.serviceAccounts, age: false),
        make("", "v1", "events", "Event", short: ["ev"],
             columns: [BuiltInColumns.column("Type", "string", jsonPath: ".type"),
                       BuiltInColumns.column("Reason", "string", jsonPath: ".reason"),
                       BuiltInColumns.column("Message", "string", jsonPath: ".message")]),
        make("", "v1", "nodes", "Node", namespaced: false, short: ["no"], status: true),
        make("events.k8s.io", "v1", "events", "Event", short: ["ev"]),
        make("coordination.k8s.io", "v1", "leases", "Lease",
             columns: [BuiltInColumns.column("Holder", "string", jsonPath: ".spec.holderIdentity")]),
        make("apps", "v1", "deployments", "Deployment", short: ["deploy"], categories: ["all"], status: true, generation: true,
             scale: true, columns: BuiltInColumns.deployments, age: false),
        make("apps", "v1", "replicasets", "ReplicaSet", short: ["rs"], categories: ["all"], status: true, generation: true, scale: true),
        make("apps", "v1", "daemonsets", "DaemonSet", short: ["ds"], categories: ["all"], status: true, generation: true),
        make("apps", "v1", "statefulsets", "StatefulSet", short: ["sts"], categories: ["all"], status: true, generation: true, scale: true),
        make("batch", "v1", "jobs", "Job", categories: ["all"], status: true, generation: true),
        make("batch", "v1", "cronjobs", "CronJob", short: ["cj"], categories: ["all"], status: true, generation: true),
        make("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", columns: BuiltInColumns.endpointSlices, age: false),
        make("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", namespaced: false,
             short: ["crd", "crds"], categories: ["api-extensions"], status: true, generation: true,
             columns: [BuiltInColumns.column("Created At", "date", jsonPath: ".metadata.creationTimestamp")],
             age: false),
        make("admissionregistration.k8s.io", "v1", "mutatingwebhookconfigurations", "MutatingWebhookConfiguration",
             namespaced: false, categories: ["api-extensions"], generation: true),
        make("admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations", "ValidatingWebhookConfiguration",
             namespaced: false, categories: ["api-extensions"], generation: true),
        make("rbac.authorization.k8s.io", "v1", "roles", "Role"),
        make("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding"),
        make("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", namespaced: false),
        make("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", namespaced: false),
        make("networking.k8s.io", "v1", "ingresses", "Ingress", short: ["ing"], status: true, generation: true,
             columns: [BuiltInColumns.column("Class", "string", jsonPath: ".spec.ingressClassName"),
                       BuiltInColumns.column("Hosts", "string", jsonPath: ".spec.rules[*].host"),
                       BuiltInColumns.column("Address", "string", jsonPath: ".status.loadBalancer.ingress[*].ip")]),
        make("networking.k8s.io", "v1", "ingressclasses", "IngressClass", namespaced: false, generation: true,
             columns: [BuiltInColumns.column("Controller", "string", jsonPath: ".spec.controller")]),
        make("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", short: ["pdb"], status: true, generation: true),
        make("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", short: ["hpa"], categories: ["all"],
             status: true, generation: true),
        virtual("authentication.k8s.io", "v1", "tokenreviews", "TokenReview"),
    ]

    private static func make(_ group: String, _ version: String, _ resource: String, _ kind: String,
                             namespaced: Bool = true, short: [String] = [], categories: [String] = [],
                             status: Bool = false, generation: Bool = false, scale: Bool = false, columns: [TableColumn] = [],
                             age: Bool = true) -> ResourceDefinition {
        var definition = ResourceDefinition(group: group, version: version, resource: resource,
                                            singular: kind.lowercased(), kind: kind, namespaced: namespaced)
        definition.shortNames = short
        definition.categories = categories
        definition.hasStatus = status
        definition.tracksGeneration = generation
        definition.scale = scale ? .workload : nil
        definition.printerColumns = columns
        if age {
            definition.printerColumns.append(BuiltInColumns.age)
        }
        definition.patchStrategies = PatchStrategies.builtIn(group: group, kind: kind)
        return definition
    }

    private static func virtual(_ group: String, _ version: String, _ resource: String, _ kind: String) -> ResourceDefinition {
        var definition = ResourceDefinition(group: group, version: version, resource: resource,
                                            singular: kind.lowercased(), kind: kind, namespaced: false)
        definition.verbs = ["create"]
        definition.isVirtual = true
        return definition
    }
}
