import KubeModel
import KubeTypes

/// The Deployment, Service and ServiceAccount of one data plane, as the objects the controller
/// applies. A pure function of the plan and the settings; each object carries a hash of itself
/// (`causeway.dev/applied-hash`) so the applier can tell "unchanged" from the cache alone.
public enum InfrastructureManifests {
    public static let appliedHashAnnotation = "causeway.dev/applied-hash"
    public static let managedByLabel = "app.kubernetes.io/managed-by"
    public static let managedByValue = "causeway"
    public static let proxyKeyAnnotation = "causeway.dev/proxy-key"
    public static let gatewayNameLabel = "gateway.networking.k8s.io/gateway-name"
    public static let gatewayClassLabel = "gateway.networking.k8s.io/gateway-class-name"
    public static let instanceLabel = "app.kubernetes.io/instance"
    public static let componentLabel = "app.kubernetes.io/component"

    /// Objects in apply order: the ServiceAccount the pods use, the Deployment, the Service.
    public static func objects(for plan: InfrastructurePlan, settings: InfrastructureSettings) -> [JSONValue] {
        var objects = [serviceAccount(plan), deployment(plan, settings: settings)]
        if !plan.ports.isEmpty { objects.append(service(plan)) }
        return objects.map(withHash)
    }

    /// The ConfigMap with the control plane's CA bundle, one per namespace that has data planes,
    /// owned by all of them (so it goes with the last one).
    public static func trustBundle(namespace: String, owners: [OwnerReference], settings: InfrastructureSettings) -> JSONValue? {
        guard let pem = settings.trustBundle else { return nil }
        let references: [JSONValue] = owners.sorted { ($0.kind, $0.name) < ($1.kind, $1.name) }.map { owner in
            [
                "apiVersion": .string(owner.apiVersion), "kind": .string(owner.kind), "name": .string(owner.name),
                "uid": .string(owner.uid),
            ]
        }
        let object: JSONValue = [
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": [
                "name": .string(settings.trustBundleConfigMap), "namespace": .string(namespace),
                "labels": .object([managedByLabel: .string(managedByValue)]),
                "ownerReferences": .array(references),
            ],
            "data": ["ca.crt": .string(pem)],
        ]
        return withHash(object)
    }

    /// Labels that select this data plane's pods.
    public static func selector(_ plan: InfrastructurePlan) -> [String: String] {
        ["app.kubernetes.io/name": "causeway-proxy", instanceLabel: plan.name]
    }

    static func labels(_ plan: InfrastructurePlan) -> [String: String] {
        var labels = plan.labels
        for (key, value) in selector(plan) { labels[key] = value }
        labels[managedByLabel] = managedByValue
        labels[componentLabel] = plan.key.kind == .gateway ? "gateway" : "ingress"
        if plan.key.kind == .gateway { labels[gatewayNameLabel] = plan.owner.name }
        if let className = plan.gatewayClassName { labels[gatewayClassLabel] = className }
        return labels
    }

    static func metadata(_ plan: InfrastructurePlan, extraAnnotations: [String: String] = [:]) -> JSONValue {
        var annotations = plan.annotations
        for (key, value) in extraAnnotations { annotations[key] = value }
        annotations[proxyKeyAnnotation] = plan.key.description
        return .object([
            "name": .string(plan.name), "namespace": .string(plan.namespace),
            "labels": strings(labels(plan)), "annotations": strings(annotations),
            "ownerReferences": [ownerReference(plan.owner)],
        ])
    }

    static func serviceAccount(_ plan: InfrastructurePlan) -> JSONValue {
        ["apiVersion": "v1", "kind": "ServiceAccount", "metadata": metadata(plan), "automountServiceAccountToken": false]
    }

    static func deployment(_ plan: InfrastructurePlan, settings: InfrastructureSettings) -> JSONValue {
        let config = plan.config
        var podLabels = labels(plan)
        for (key, value) in config.podLabels ?? [:] where podLabels[key] == nil { podLabels[key] = value }
        var podAnnotations = plan.annotations
        for (key, value) in config.podAnnotations ?? [:] { podAnnotations[key] = value }
        let health = JSONValue.int(Int64(settings.healthPort))
        var container: [String: JSONValue] = [
            "name": "proxy",
            "image": .string(settings.image),
            "imagePullPolicy": .string(settings.imagePullPolicy),
            "args": .array([
                "proxy", "--control-plane", .string(settings.controlPlaneURL), "--proxy-key", .string(plan.key.description),
                "--token-file", "/var/run/secrets/causeway/token", "--ca-file", "/etc/causeway/ca/ca.crt",
                "--health-port", .string(String(settings.healthPort)), "--log-level", .string(config.logLevel ?? "info"),
            ]),
            "env": [
                ["name": "POD_NAME", "valueFrom": ["fieldRef": ["fieldPath": "metadata.name"]]],
                ["name": "POD_NAMESPACE", "valueFrom": ["fieldRef": ["fieldPath": "metadata.namespace"]]],
            ],
            "ports": [["name": "health", "containerPort": health, "protocol": "TCP"]],
            "readinessProbe": ["httpGet": ["path": "/ready", "port": health], "periodSeconds": 2, "failureThreshold": 2],
            "livenessProbe": ["httpGet": ["path": "/live", "port": health], "periodSeconds": 10, "failureThreshold": 3],
            "securityContext": [
                "allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true, "capabilities": ["drop": ["ALL"]],
            ],
            "volumeMounts": [
                ["name": "control-plane-token", "mountPath": "/var/run/secrets/causeway", "readOnly": true],
                ["name": "control-plane-ca", "mountPath": "/etc/causeway/ca", "readOnly": true],
            ],
        ]
        if let resources = config.resources, let encoded = try? JSONValueEncoder().encode(resources) { container["resources"] = encoded }
        var podSpec: [String: JSONValue] = [
            "serviceAccountName": .string(plan.name),
            // Proxies bind low ports without root; the sysctl is namespaced and on the safe list.
            "securityContext": [
                "runAsNonRoot": true, "runAsUser": 65532, "runAsGroup": 65532,
                "seccompProfile": ["type": "RuntimeDefault"],
                "sysctls": [["name": "net.ipv4.ip_unprivileged_port_start", "value": "0"]],
            ],
            // Long enough for the proxy's drain after SIGTERM.
            "terminationGracePeriodSeconds": 45,
            "containers": [.object(container)],
            "volumes": [
                ["name": "control-plane-token", "projected": ["sources": [
                    ["serviceAccountToken": ["audience": .string(settings.tokenAudience), "expirationSeconds": 3600, "path": "token"]],
                ]]],
                ["name": "control-plane-ca", "configMap": ["name": .string(settings.trustBundleConfigMap)]],
            ],
        ]
        if let selector = config.nodeSelector, !selector.isEmpty { podSpec["nodeSelector"] = strings(selector) }
        if let tolerations = config.tolerations, !tolerations.isEmpty, let encoded = try? JSONValueEncoder().encode(tolerations) {
            podSpec["tolerations"] = encoded
        }
        return [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": metadata(plan),
            "spec": [
                "replicas": .int(Int64(config.replicas ?? 1)),
                "selector": ["matchLabels": strings(selector(plan))],
                "strategy": ["type": "RollingUpdate", "rollingUpdate": ["maxUnavailable": 0, "maxSurge": 1]],
                "template": [
                    "metadata": ["labels": strings(podLabels), "annotations": strings(podAnnotations)],
                    "spec": .object(podSpec),
                ],
            ],
        ]
    }

    static func service(_ plan: InfrastructurePlan) -> JSONValue {
        let settings = plan.config.service
        var spec: [String: JSONValue] = [
            "type": .string(settings?.type ?? "LoadBalancer"),
            "selector": strings(selector(plan)),
            "ports": .array(plan.ports.map { port in
                ["name": .string("port-\(port)"), "port": .int(Int64(port)), "targetPort": .int(Int64(port)), "protocol": "TCP"]
            }),
        ]
        if let policy = settings?.externalTrafficPolicy, settings?.type != "ClusterIP" { spec["externalTrafficPolicy"] = .string(policy) }
        if let lbClass = settings?.loadBalancerClass, (settings?.type ?? "LoadBalancer") == "LoadBalancer" {
            spec["loadBalancerClass"] = .string(lbClass)
        }
        if let address = plan.requestedAddress { spec["loadBalancerIP"] = .string(address) }
        return [
            "apiVersion": "v1", "kind": "Service",
            "metadata": metadata(plan, extraAnnotations: settings?.annotations ?? [:]),
            "spec": .object(spec),
        ]
    }

    static func ownerReference(_ owner: OwnerReference) -> JSONValue {
        [
            "apiVersion": .string(owner.apiVersion), "kind": .string(owner.kind), "name": .string(owner.name),
            "uid": .string(owner.uid), "controller": true, "blockOwnerDeletion": true,
        ]
    }

    static func strings(_ map: [String: String]) -> JSONValue { .object(map.mapValues { .string($0) }) }

    /// Adds the hash of the object's content as an annotation.
    static func withHash(_ object: JSONValue) -> JSONValue {
        var copy = object
        copy[path: ["metadata", "annotations", appliedHashAnnotation]] = .string(StableHash.hex64(object.serialized()))
        return copy
    }
}
