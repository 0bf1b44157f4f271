import KubeModel

/// `causeway-init`: runs `causeway init` once, before anything else in the pod, to install the
/// iptables rules that send the pod's TCP traffic through the proxy.
enum CaptureInitContainer {
    static func make(options: PodMeshOptions, settings: InjectionSettings) -> JSONValue {
        var args: [String] = [
            "init",
            "--proxy-uid", String(MeshConventions.proxyUID),
            "--outbound-port", String(MeshConventions.outboundCapturePort),
            "--inbound-port", String(MeshConventions.inboundCapturePort),
            "--exclude-inbound-ports", list(options.excludeInboundPorts),
        ]
        if !options.excludeOutboundPorts.isEmpty { args += ["--exclude-outbound-ports", list(options.excludeOutboundPorts)] }
        if !options.excludeOutboundCIDRs.isEmpty { args += ["--exclude-outbound-cidrs", options.excludeOutboundCIDRs.joined(separator: ",")] }
        // Written out even when it is the default, so `kubectl get pod -o yaml` shows what is captured.
        args += ["--include-inbound-ports", options.includeInboundPorts.map(list) ?? "*"]  // [] → "": none
        return [
            "name": .string(MeshConventions.initContainerName),
            "image": .string(settings.image),
            "imagePullPolicy": .string(settings.imagePullPolicy),
            "args": .array(args.map(JSONValue.string)),
            // The pod's effective request is the larger of its init containers' and its
            // containers' sums; the proxy's figures keep that familiar and within quotas that
            // demand requests and limits on every container.
            "resources": options.resources.json,
            // iptables needs root with NET_ADMIN and NET_RAW in the pod's network namespace, and
            // nothing more. `runAsNonRoot: false` overrides a pod-wide `runAsNonRoot: true`.
            "securityContext": [
                "runAsUser": 0,
                "runAsNonRoot": false,
                "allowPrivilegeEscalation": false,
                "privileged": false,
                "capabilities": ["add": ["NET_ADMIN", "NET_RAW"], "drop": ["ALL"]],
            ],
        ]
    }

    private static func list(_ ports: [Int64]) -> String {
        ports.map(String.init).joined(separator: ",")
    }
}
