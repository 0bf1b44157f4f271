import KubeModel
import Testing

@testable import KubeProtobuf

@Suite struct WorkloadKindTests {
    @Test func serviceWithNamedAndNumericTargetPorts() throws {
        let body = ProtoWriter.envelope(apiVersion: "v1", kind: "Service") { object in
            object.message(1) { CoreKindTests.metadata(&$0, name: "web", namespace: "shop") }
            object.message(2) { spec in
                spec.message(1) { port in
                    port.string(1, "http")
                    port.string(2, "TCP")
                    port.int(3, 80)
                    port.message(4) { $0.int(1, 1); $0.int(2, 0); $0.string(3, "http-web") }
                    port.int(5, 0)
                }
                spec.message(1) { port in
                    port.string(1, "")
                    port.string(2, "UDP")
                    port.int(3, 53)
                    port.message(4) { $0.int(1, 0); $0.int(2, 5353); $0.string(3, "") }
                    port.int(5, 30053)
                }
                spec.entry(2, "app", "web")
                spec.string(3, "")
                spec.string(4, "NodePort")
                spec.int(12, 0)
                spec.bool(13, false)
                spec.bool(20, true)
            }
            object.message(3) { $0.message(1) { _ in } }
        }
        let expected: JSONValue = [
            "apiVersion": "v1", "kind": "Service",
            "metadata": ["name": "web", "namespace": "shop"],
            "spec": [
                "ports": [
                    ["name": "http", "protocol": "TCP", "port": 80, "targetPort": "http-web"],
                    ["protocol": "UDP", "port": 53, "targetPort": 5353, "nodePort": 30053],
                ],
                "selector": ["app": "web"],
                "type": "NodePort",
                "allocateLoadBalancerNodePorts": true,
            ],
            "status": ["loadBalancer": [:]],
        ]
        #expect(try KubeProtobuf.decode(body) == expected)
    }

    @Test func deploymentWithContainerPortsEnvResourcesProbesAndVolumes() throws {
        let body = ProtoWriter.envelope(apiVersion: "apps/v1", kind: "Deployment") { object in
            object.message(1) { CoreKindTests.metadata(&$0, name: "api", namespace: "shop") }
            object.message(2) { spec in
                spec.int(1, 0)  // replicas: *int32, so a scaled-to-zero deployment stays at zero
                spec.message(2) { $0.entry(1, "app", "api") }
                spec.message(3) { template in
                    template.message(1) { meta in
                        CoreKindTests.metadata(&meta, name: "")
                        meta.entry(11, "app", "api")
                    }
                    template.message(2) { pod in
                        pod.message(1) { volume in
                            volume.string(1, "config")
                            volume.message(2) { $0.message(6) { $0.string(1, "api-config"); $0.int(3, 0o400) } }
                        }
                        pod.message(1) { volume in
                            volume.string(1, "scratch")
                            volume.message(2) { $0.message(2) { $0.string(1, "") } }
                        }
                        pod.message(2) { container in
                            container.string(1, "api")
                            container.string(2, "registry.example/api:1.2")
                            container.string(3, "/bin/api")
                            container.string(4, "--port=8080")
                            container.message(6) { port in
                                port.string(1, "http")
                                port.int(2, 0)
                                port.int(3, 8080)
                                port.string(4, "TCP")
                                port.string(5, "")
                            }
                            container.message(7) { env in
                                env.string(1, "MODE")
                                env.string(2, "prod")
                            }
                            container.message(7) { env in
                                env.string(1, "PASSWORD")
                                env.string(2, "")
                                env.message(3) { source in
                                    source.message(4) { selector in
                                        selector.message(1) { $0.string(1, "db") }
                                        selector.string(2, "password")
                                    }
                                }
                            }
                            container.message(7) { env in
                                env.string(1, "POD_IP")
                                env.message(3) { $0.message(1) { $0.string(1, "v1"); $0.string(2, "status.podIP") } }
                            }
                            container.message(8) { resources in
                                resources.quantity(1, "memory", "256Mi")
                                resources.quantity(2, "cpu", "250m")
                                resources.quantity(2, "memory", "128Mi")
                            }
                            container.message(9) { mount in
                                mount.string(1, "config")
                                mount.bool(2, true)
                                mount.string(3, "/etc/api")
                            }
                            container.message(10) { probe in
                                probe.message(1) { handler in
                                    handler.message(2) { get in
                                        get.string(1, "/healthz")
                                        get.message(2) { $0.int(1, 1); $0.string(3, "http") }
                                        get.string(3, "")
                                        get.string(4, "HTTP")
                                    }
                                }
                                probe.int(2, 5)
                                probe.int(3, 0)
                            }
                            container.string(14, "IfNotPresent")
                            container.message(15) { security in
                                security.bool(7, false)  // allowPrivilegeEscalation: *bool
                                security.int(4, 1000)    // runAsUser: *int64
                            }
                        }
                        pod.string(3, "Always")
                        pod.int(4, 30)
                        pod.string(8, "api")
                        pod.bool(11, false)
                    }
                }
                spec.message(4) { _ in }
            }
            object.message(3) { _ in }
        }
        let expected: JSONValue = [
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": ["name": "api", "namespace": "shop"],
            "spec": [
                "replicas": 0,
                "selector": ["matchLabels": ["app": "api"]],
                "template": [
                    "metadata": ["labels": ["app": "api"]],
                    "spec": [
                        "volumes": [
                            ["name": "config", "secret": ["secretName": "api-config", "defaultMode": 256]],
                            ["name": "scratch", "emptyDir": [:]],
                        ],
                        "containers": [[
                            "name": "api",
                            "image": "registry.example/api:1.2",
                            "command": ["/bin/api"],
                            "args": ["--port=8080"],
                            "ports": [["name": "http", "containerPort": 8080, "protocol": "TCP"]],
                            "env": [
                                ["name": "MODE", "value": "prod"],
                                ["name": "PASSWORD", "valueFrom": ["secretKeyRef": ["name": "db", "key": "password"]]],
                                ["name": "POD_IP", "valueFrom": ["fieldRef": ["apiVersion": "v1", "fieldPath": "status.podIP"]]],
                            ],
                            "resources": [
                                "limits": ["memory": "256Mi"],
                                "requests": ["cpu": "250m", "memory": "128Mi"],
                            ],
                            "volumeMounts": [["name": "config", "readOnly": true, "mountPath": "/etc/api"]],
                            "livenessProbe": [
                                "httpGet": ["path": "/healthz", "port": "http", "scheme": "HTTP"],
                                "initialDelaySeconds": 5,
                            ],
                            "imagePullPolicy": "IfNotPresent",
                            "securityContext": ["allowPrivilegeEscalation": false, "runAsUser": 1000],
                        ]],
                        "restartPolicy": "Always",
                        "terminationGracePeriodSeconds": 30,
                        "serviceAccountName": "api",
                    ],
                ],
                "strategy": [:],
            ],
            "status": [:],
        ]
        let decoded = try KubeProtobuf.decode(body)
        #expect(decoded == expected, "\(decoded.prettyJSONString)")
    }

    /// kubectl's own `create job` / `create cronjob` bodies; kubectl prints no client-side JSON for
    /// them without a server, so the expectations are written out here.
    @Test func kubectlJobAndCronJobBodies() throws {
        let job = try KubeProtobuf.decode(try Fixtures.body("job"))
        #expect(job["apiVersion"] == "batch/v1")
        #expect(job["kind"] == "Job")
        #expect(job[path: ["metadata", "name"]] == "once")
        #expect(job[path: ["spec", "template", "spec", "containers"]] == [[
            "name": "once", "image": "busybox", "command": ["echo", "hi"], "resources": [:],
        ]])
        #expect(job[path: ["spec", "template", "spec", "restartPolicy"]] == "Never")

        let cronJob = try KubeProtobuf.decode(try Fixtures.body("cronjob"))
        #expect(cronJob["kind"] == "CronJob")
        #expect(cronJob[path: ["spec", "schedule"]] == "*/5 * * * *")
        #expect(cronJob[path: ["spec", "jobTemplate", "metadata", "name"]] == "nightly")
        #expect(cronJob[path: ["spec", "jobTemplate", "spec", "template", "spec", "containers"]]?.arrayValue?.first?["command"] == ["echo", "hi"])
    }

    @Test func kubectlTokenBody() throws {
        let token = try KubeProtobuf.decode(try Fixtures.body("token"))
        #expect(token["apiVersion"] == "authentication.k8s.io/v1")
        #expect(token["kind"] == "TokenRequest")
        #expect(token["spec"] == [
            "audiences": ["api", "vault"],
            "expirationSeconds": 3600,
            "boundObjectRef": ["kind": "Pod", "apiVersion": "v1", "name": "p1", "uid": "1234"],
        ])
    }
}
