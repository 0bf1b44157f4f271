import Testing
import KubeModel
@testable import APIMachinery

@Suite struct BuiltInDefaultsTests {
    @Test func deploymentGetsWorkloadAndPodTemplateDefaults() {
        let deployment = json(#"""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
             "spec":{"selector":{"matchLabels":{"app":"web"}},
                     "template":{"metadata":{"labels":{"app":"web"}},
                                 "spec":{"containers":[{"name":"nginx","image":"nginx:1.25","ports":[{"containerPort":80}],
                                                        "readinessProbe":{"httpGet":{"path":"/","port":80}}}]}}}}
            """#)
        #expect(BuiltInDefaults.applying(to: deployment) == json(#"""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
             "spec":{"replicas":1,"revisionHistoryLimit":10,"progressDeadlineSeconds":600,
                     "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}},
                     "selector":{"matchLabels":{"app":"web"}},
                     "template":{"metadata":{"labels":{"app":"web"}},
                                 "spec":{"containers":[{"name":"nginx","image":"nginx:1.25","imagePullPolicy":"IfNotPresent",
                                                        "ports":[{"containerPort":80,"protocol":"TCP"}],
                                                        "readinessProbe":{"httpGet":{"path":"/","port":80,"scheme":"HTTP"},"timeoutSeconds":1,
                                                                          "periodSeconds":10,"successThreshold":1,"failureThreshold":3},
                                                        "resources":{},"terminationMessagePath":"/dev/termination-log",
                                                        "terminationMessagePolicy":"File"}],
                                         "dnsPolicy":"ClusterFirst","restartPolicy":"Always","schedulerName":"default-scheduler",
                                         "securityContext":{},"terminationGracePeriodSeconds":30}}}}
            """#))
    }

    @Test(arguments: [("nginx", "Always"), ("nginx:latest", "Always"), ("nginx:1.25", "IfNotPresent"),
                      ("localhost:5000/app", "Always"), ("localhost:5000/app:v1", "IfNotPresent"), ("app@sha256:abc", "IfNotPresent")])
    func imagePullPolicy(image: String, policy: String) {
        #expect(PodDefaults.pullPolicy(for: image) == policy)
    }

    @Test func serviceDefaults() {
        let service = json(#"{"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{"type":"NodePort","ports":[{"port":80}]}}"#)
        #expect(BuiltInDefaults.applying(to: service) == json(#"""
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},
             "spec":{"type":"NodePort","sessionAffinity":"None","internalTrafficPolicy":"Cluster","externalTrafficPolicy":"Cluster",
                     "ports":[{"port":80,"protocol":"TCP","targetPort":80}]},
             "status":{"loadBalancer":{}}}
            """#))
    }

    @Test func podGetsAdmissionDefaultsAndStatus() {
        let pod = BuiltInDefaults.applying(to: json(#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"busybox"}]}}"#))
        #expect(pod[path: ["spec", "serviceAccountName"]] == "default")
        #expect(pod[path: ["spec", "serviceAccount"]] == "default")
        #expect(pod[path: ["spec", "tolerations"]]?.arrayValue?.count == 2)
        #expect(pod["status"] == json(#"{"phase":"Pending","qosClass":"BestEffort"}"#))
    }

    @Test(arguments: [
        (#"[{"resources":{}}]"#, "BestEffort"),
        (#"[{"resources":{"limits":{"cpu":"1","memory":"1Gi"}}}]"#, "Guaranteed"),
        (#"[{"resources":{"requests":{"cpu":"1"}}}]"#, "Burstable"),
        (#"[{"resources":{"limits":{"cpu":"1","memory":"1Gi"},"requests":{"cpu":"500m"}}}]"#, "Burstable"),
    ])
    func qosClasses(containers: String, expected: String) {
        #expect(BuiltInDefaults.qosClass(of: ["containers": json(containers)]) == expected)
    }

    @Test func jobsNamespacesAndSecrets() {
        let job = BuiltInDefaults.applying(to: json(#"{"apiVersion":"batch/v1","kind":"Job","spec":{"completions":3,"template":{"spec":{"containers":[],"restartPolicy":"Never"}}}}"#))
        #expect(job[path: ["spec", "parallelism"]] == 1)
        #expect(job[path: ["spec", "completions"]] == 3)
        #expect(job[path: ["spec", "backoffLimit"]] == 6)
        #expect(job[path: ["spec", "template", "spec", "restartPolicy"]] == "Never")
        let namespace = BuiltInDefaults.applying(to: json(#"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team"}}"#))
        #expect(namespace == json(#"""
            {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team","labels":{"kubernetes.io/metadata.name":"team"}},
             "spec":{"finalizers":["kubernetes"]},"status":{"phase":"Active"}}
            """#))
        #expect(BuiltInDefaults.applying(to: json(#"{"apiVersion":"v1","kind":"Secret"}"#))["type"] == "Opaque")
        let configMap = json(#"{"apiVersion":"v1","kind":"ConfigMap","data":{"a":"b"}}"#)
        #expect(BuiltInDefaults.applying(to: configMap) == configMap)
    }
}

@Suite struct WorkloadDefaultsTests {
    @Test func cronJobTemplateGetsPodDefaultsOnly() {
        let cronJob = BuiltInDefaults.applying(to: json(#"""
            {"apiVersion":"batch/v1","kind":"CronJob","spec":{"schedule":"* * * * *",
             "jobTemplate":{"spec":{"template":{"spec":{"containers":[{"name":"c","image":"i:1"}],"restartPolicy":"OnFailure"}}}}}}
            """#))
        #expect(cronJob[path: ["spec", "concurrencyPolicy"]] == "Allow")
        #expect(cronJob[path: ["spec", "successfulJobsHistoryLimit"]] == 3)
        #expect(cronJob[path: ["spec", "jobTemplate", "spec", "backoffLimit"]] == nil)
        #expect(cronJob[path: ["spec", "jobTemplate", "spec", "template", "spec", "dnsPolicy"]] == "ClusterFirst")
    }

    @Test func replicationControllerSelectorComesFromTheTemplate() {
        let rc = BuiltInDefaults.applying(to: json(#"{"apiVersion":"v1","kind":"ReplicationController","metadata":{"name":"r"},"spec":{"template":{"metadata":{"labels":{"app":"a"}},"spec":{"containers":[]}}}}"#))
        #expect(rc[path: ["spec", "selector"]] == ["app": "a"])
        #expect(rc[path: ["metadata", "labels"]] == ["app": "a"])
        #expect(rc[path: ["spec", "replicas"]] == 1)
    }

    @Test func statefulSetsAndDaemonSets() {
        let sts = BuiltInDefaults.applying(to: json(#"{"apiVersion":"apps/v1","kind":"StatefulSet","spec":{"template":{"spec":{"containers":[]}}}}"#))
        #expect(sts[path: ["spec", "updateStrategy"]] == json(#"{"type":"RollingUpdate","rollingUpdate":{"partition":0}}"#))
        #expect(sts[path: ["spec", "podManagementPolicy"]] == "OrderedReady")
        let ds = BuiltInDefaults.applying(to: json(#"{"apiVersion":"apps/v1","kind":"DaemonSet","spec":{"updateStrategy":{"type":"OnDelete"},"template":{"spec":{"containers":[]}}}}"#))
        #expect(ds[path: ["spec", "updateStrategy"]] == json(#"{"type":"OnDelete"}"#))
        #expect(ds[path: ["spec", "revisionHistoryLimit"]] == 10)
    }
}
