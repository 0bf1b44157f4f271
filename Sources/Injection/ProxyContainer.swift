import KubeModel

/// `causeway-proxy`: `causeway proxy --mode sidecar`, the pod's sidecar.
///
/// Native sidecar (default, Kubernetes 1.29+): an init container with `restartPolicy: Always`,
/// placed right after `causeway-init`. The kubelet starts the following init containers and the
/// app only once its startup probe passes, so the app never starts before its proxy — and the
/// user's own init containers get a working network. It stops after the app's containers, so
/// a Job's pod completes when its containers do; a classic sidecar would keep it running forever.
///
/// Classic sidecar (`nativeSidecars: false`): the first of the pod's containers, with a
/// `postStart` hook that waits until the proxy is ready; the kubelet starts containers in order
/// and does not start the next one until the hook returns, which holds the app until the proxy
/// is ready. The pod's own init containers run before capture and outside the mesh (see
/// `Injector.inject`), and a Job's pod never completes by itself: the proxy keeps running after
/// the Job's container exits. Both are why native sidecars are the default.
enum ProxyContainer {
    /// `appProbes`: the `CAUSEWAY_APP_PROBES` value, when app probes were rewritten.
    static func make(namespace: String, options: PodMeshOptions, settings: InjectionSettings, appProbes: String?) -> JSONValue {
        let health = JSONValue.int(MeshConventions.healthPort)
        let args: [String] = [
            "proxy", "--mode", "sidecar",
            "--control-plane", settings.controlPlaneURL,
            "--proxy-key", "mesh/\(namespace)",
            "--token-file", "\(SidecarVolumes.tokensPath)/token",
            "--ca-file", "\(SidecarVolumes.controlPlaneCAPath)/ca.crt",
            "--mesh-identity",
            "--ca-token-file", "\(SidecarVolumes.tokensPath)/ca-token",
            "--health-port", String(MeshConventions.healthPort),
            "--admin-port", String(MeshConventions.adminPort),
            "--pod-labels-file", "\(SidecarVolumes.podInfoPath)/labels",
            "--log-level", options.logLevel,
        ]
        var env: [JSONValue] = [
            fieldEnv("POD_NAME", "metadata.name"),
            fieldEnv("POD_NAMESPACE", "metadata.namespace"),
            fieldEnv("SERVICE_ACCOUNT", "spec.serviceAccountName"),
            fieldEnv("POD_IP", "status.podIP"),
        ]
        if let appProbes { env.append(["name": "CAUSEWAY_APP_PROBES", "value": .string(appProbes)]) }
        var container: [String: JSONValue] = [
            "name": .string(MeshConventions.proxyContainerName),
            "image": .string(settings.image),
            "imagePullPolicy": .string(settings.imagePullPolicy),
            "args": .array(args.map(JSONValue.string)),
            "env": .array(env),
            "ports": [["name": "causeway-health", "containerPort": health, "protocol": "TCP"]],
            // Polled every second for up to two minutes (fetching configuration and a
            // certificate); the app waits for it, so it should pass as soon as possible.
            "startupProbe": ["httpGet": ["path": "/ready", "port": health], "periodSeconds": 1, "failureThreshold": 120],
            "readinessProbe": ["httpGet": ["path": "/ready", "port": health], "periodSeconds": 5, "failureThreshold": 3],
            "livenessProbe": ["httpGet": ["path": "/live", "port": health], "periodSeconds": 10, "failureThreshold": 3],
            "resources": options.resources.json,
            // The UID capture exempts, so the proxy's own connections leave the pod.
            "securityContext": [
                "runAsUser": .int(MeshConventions.proxyUID),
                "runAsGroup": .int(MeshConventions.proxyUID),
                "runAsNonRoot": true,
                "readOnlyRootFilesystem": true,
                "allowPrivilegeEscalation": false,
                "capabilities": ["drop": ["ALL"]],
            ],
            "volumeMounts": .array(SidecarVolumes.mounts),
        ]
        if settings.nativeSidecars {
            container["restartPolicy"] = "Always"
        } else {
            container["lifecycle"] = ["postStart": ["exec": ["command": [
                .string(MeshConventions.binaryPath), "wait-ready",
                "--port", .string(String(MeshConventions.healthPort)), "--timeout-seconds", "120",
            ]]]]
        }
        return .object(container)
    }

    private static func fieldEnv(_ name: String, _ fieldPath: String) -> JSONValue {
        ["name": .string(name), "valueFrom": ["fieldRef": ["fieldPath": .string(fieldPath)]]]
    }
}
