import KubeModel

/// AdmissionReviews as kube-apiserver sends them for a Deployment's pod, built from values so
/// each test states only what it changes.
enum Reviews {
    /// A pod as the ReplicaSet controller creates it: a generated name and no namespace yet, the
    /// service-account token volume the API server already added, probes and ports.
    static func pod(annotations: [String: JSONValue] = [:], hostNetwork: Bool = false) -> JSONValue {
        var pod: JSONValue = [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": [
                "generateName": "web-7d4b9c8f6d-",
                "labels": ["app": "web", "pod-template-hash": "7d4b9c8f6d"],
                "ownerReferences": [[
                    "apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-7d4b9c8f6d",
                    "uid": "3b1f6c6e-2f9a-4c8e-9a57-1d2e3f4a5b6c", "controller": true, "blockOwnerDeletion": true,
                ]],
            ],
            "spec": [
                "containers": [[
                    "name": "web", "image": "registry.example/web:1.4.2", "imagePullPolicy": "IfNotPresent",
                    "ports": [["name": "http", "containerPort": 8080, "protocol": "TCP"]],
                    "env": [["name": "LOG_FORMAT", "value": "json"]],
                    "resources": ["requests": ["cpu": "100m", "memory": "128Mi"], "limits": ["memory": "256Mi"]],
                    "readinessProbe": ["httpGet": ["path": "/ready", "port": 8080, "scheme": "HTTP"], "periodSeconds": 5],
                    "livenessProbe": ["tcpSocket": ["port": 8080], "periodSeconds": 10],
                    "volumeMounts": [[
                        "name": "kube-api-access-x2k9p", "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "readOnly": true,
                    ]],
                    "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
                ]],
                "serviceAccountName": "web", "restartPolicy": "Always", "dnsPolicy": "ClusterFirst",
                "terminationGracePeriodSeconds": 30, "schedulerName": "default-scheduler", "securityContext": [:],
                "volumes": [[
                    "name": "kube-api-access-x2k9p",
                    "projected": ["defaultMode": 420, "sources": [
                        ["serviceAccountToken": ["expirationSeconds": 3607, "path": "token"]],
                        ["configMap": ["name": "kube-root-ca.crt", "items": [["key": "ca.crt", "path": "ca.crt"]]]],
                    ]],
                ]],
            ],
            "status": [:],
        ]
        if !annotations.isEmpty { pod[path: ["metadata", "annotations"]] = .object(annotations) }
        if hostNetwork { pod[path: ["spec", "hostNetwork"]] = true }
        return pod
    }

    static func review(uid: String = "705ab4f5-6393-11e8-b7cc-42010a800002", pod: JSONValue = pod(), namespace: String? = "shop",
                       operation: String = "CREATE", kind: String = "Pod", subResource: String? = nil, dryRun: Bool = false) -> JSONValue {
        var request: [String: JSONValue] = [
            "uid": .string(uid),
            "kind": ["group": "", "version": "v1", "kind": .string(kind)],
            "resource": ["group": "", "version": "v1", "resource": "pods"],
            "requestKind": ["group": "", "version": "v1", "kind": .string(kind)],
            "requestResource": ["group": "", "version": "v1", "resource": "pods"],
            "operation": .string(operation),
            "userInfo": ["username": "system:serviceaccount:kube-system:replicaset-controller",
                         "groups": ["system:serviceaccounts", "system:serviceaccounts:kube-system", "system:authenticated"]],
            "object": pod, "oldObject": nil, "dryRun": .bool(dryRun),
            "options": ["apiVersion": "meta.k8s.io/v1", "kind": "CreateOptions"],
        ]
        if let namespace { request["namespace"] = .string(namespace) }
        if let subResource { request["subResource"] = .string(subResource) }
        return ["apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": .object(request)]
    }
}
