import KubeModel

/// The volumes the proxy reads: its tokens, the control plane's CA and the pod's labels.
enum SidecarVolumes {
    static let tokensVolume = "causeway-tokens"
    static let controlPlaneCAVolume = "causeway-control-plane-ca"
    static let podInfoVolume = "causeway-podinfo"
    static let names = [tokensVolume, controlPlaneCAVolume, podInfoVolume]

    static let tokensPath = "/var/run/secrets/causeway"
    static let controlPlaneCAPath = "/etc/causeway/ca"
    static let podInfoPath = "/etc/causeway/podinfo"

    /// The ConfigMap with the CA bundle that signs the control plane's serving certificate; the
    /// controller publishes it in every meshed namespace.
    static let controlPlaneCAConfigMap = "causeway-control-plane-ca"

    static var volumes: [JSONValue] {
        [
            // Short-lived tokens the kubelet refreshes: one for the configuration stream, one for
            // certificate requests to the mesh CA, each with its own audience so neither can be
            // replayed against the other (or against the Kubernetes API).
            ["name": .string(tokensVolume), "projected": ["sources": [
                ["serviceAccountToken": ["audience": .string(MeshConventions.controlPlaneTokenAudience), "expirationSeconds": 3600, "path": "token"]],
                ["serviceAccountToken": ["audience": .string(MeshConventions.caTokenAudience), "expirationSeconds": 3600, "path": "ca-token"]],
            ]]],
            ["name": .string(controlPlaneCAVolume), "configMap": ["name": .string(controlPlaneCAConfigMap)]],
            // The labels as a file the kubelet keeps current, so workload-selector policies
            // follow a relabelled pod without a restart.
            ["name": .string(podInfoVolume), "downwardAPI": ["items": [
                ["path": "labels", "fieldRef": ["fieldPath": "metadata.labels"]],
            ]]],
        ]
    }

    static var mounts: [JSONValue] {
        [
            ["name": .string(tokensVolume), "mountPath": .string(tokensPath), "readOnly": true],
            ["name": .string(controlPlaneCAVolume), "mountPath": .string(controlPlaneCAPath), "readOnly": true],
            ["name": .string(podInfoVolume), "mountPath": .string(podInfoPath), "readOnly": true],
        ]
    }
}
