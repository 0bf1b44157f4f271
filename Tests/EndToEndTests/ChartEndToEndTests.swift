import Foundation
import TestSupport
import Testing

/// The Helm chart in Charts/causeway, installed with the real helm 3 and helm 4 into
/// `causeway dev --no-controller` (a bare API server, so the chart has to bring everything
/// itself), with the built `causeway controller` standing in for the chart's pod, which the dev
/// kubelet does not start (it runs only proxies and echo servers).
@Suite struct ChartEndToEndTests {
    static let root = KubectlEndToEndTests.root
    static var chart: String { root.appendingPathComponent("Charts/causeway").path }
    static let namespace = "causeway-system"
    static let image = "registry.example/causeway:e2e"
    static let imageValues = ["--set", "image.repository=registry.example/causeway", "--set", "image.tag=e2e"]

    @discardableResult
    static func install(_ helm: Helm, _ cluster: DevProcess, _ extra: [String] = [], allowFailure: Bool = false) throws -> CommandResult {
        try helm.run(cluster, ["install", "causeway", chart, "--namespace", namespace, "--create-namespace", "--wait=false"]
                      + imageValues + extra, allowFailure: allowFailure)
    }

    static func json(_ cluster: DevProcess, _ arguments: String...) throws -> [String: Any] {
        try KubectlEndToEndTests.json(try cluster.kubectl(arguments + ["-o", "json"]).stdout)
    }

    /// CRD names from the file names under Manifests/ (`<group>_<plural>.yaml`).
    static func crdNames(in directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(directory).path)
            .filter { $0.hasSuffix(".yaml") }
            .map { file in
                let stem = file.dropLast(".yaml".count)
                let parts = stem.split(separator: "_", maxSplits: 1)
                return "\(parts[1]).\(parts[0])"
            }
            .sorted()
    }

    static func installedCRDs(_ cluster: DevProcess) throws -> Set<String> {
        let names = try cluster.kubectl("get", "crd", "-o", "jsonpath={.items[*].metadata.name}").stdout
        return Set(names.split(separator: " ").map(String.init))
    }

    /// RBAC rules flattened to "group/resource:verb", with "[name]" when a rule is limited to names.
    static func permissions(_ role: [String: Any]) -> Set<String> {
        var result = Set<String>()
        for rule in role["rules"] as? [[String: Any]] ?? [] {
            let names = (rule["resourceNames"] as? [String]).map { "[\($0.joined(separator: ","))]" } ?? ""
            for group in rule["apiGroups"] as? [String] ?? [] {
                for resource in rule["resources"] as? [String] ?? [] {
                    for verb in rule["verbs"] as? [String] ?? [] { result.insert("\(group)/\(resource)\(names):\(verb)") }
                }
            }
            for url in rule["nonResourceURLs"] as? [String] ?? [] { result.insert("url \(url)") }
        }
        return result
    }

    /// What `causeway controller` does in a cluster, and nothing more.
    static let controllerPermissions: Set<String> = {
        var expected = Set<String>()
        func allow(_ group: String, _ resources: [String], _ verbs: [String]) {
            for resource in resources { for verb in verbs { expected.insert("\(group)/\(resource):\(verb)") } }
        }
        allow("gateway.networking.k8s.io", ["gatewayclasses", "gateways", "httproutes", "grpcroutes", "referencegrants"], ["list", "watch"])
        allow("gateway.networking.k8s.io", ["gatewayclasses/status", "gateways/status", "httproutes/status", "grpcroutes/status"], ["update"])
        allow("networking.k8s.io", ["ingresses", "ingressclasses"], ["list", "watch"])
        allow("networking.k8s.io", ["ingresses/status"], ["update"])
        allow("causeway.dev", ["gatewayconfigs"], ["list", "watch"])
        allow("causeway.dev", ["meshconfigs"], ["get", "list", "watch", "create"])
        allow("causeway.dev", ["meshconfigs/status"], ["patch"])
        allow("causeway.dev", ["meshtlspolicies"], ["list", "watch"])
        allow("causeway.dev", ["meshtlspolicies/status"], ["update"])
        allow("apiextensions.k8s.io", ["customresourcedefinitions"], ["list", "watch"])
        allow("", ["namespaces", "secrets"], ["list", "watch"])
        allow("discovery.k8s.io", ["endpointslices"], ["list", "watch"])
        allow("apps", ["deployments"], ["list", "watch", "create", "patch", "delete"])
        allow("", ["services", "serviceaccounts"], ["list", "watch", "create", "patch", "delete"])
        allow("", ["configmaps"], ["list", "watch", "create", "patch"])
        allow("", ["events"], ["create"])
        allow("authentication.k8s.io", ["tokenreviews"], ["create"])
        // Sidecar injection: the webhook's caBundle (one object, by name) and the unmeshed-pod report.
        for verb in ["list", "watch", "patch"] {
            expected.insert("admissionregistration.k8s.io/mutatingwebhookconfigurations[causeway-sidecar-injector]:\(verb)")
        }
        allow("", ["pods"], ["list", "watch"])
        return expected
    }()

    @Test(arguments: Helm.allCases)
    func installsEverythingAndTheControllerAcceptsTheGatewayClass(_ helm: Helm) async throws {
        let cluster = try DevProcess(extraArguments: ["--no-controller"])
        defer { cluster.stop() }
        let installed = try Self.install(helm, cluster)
        #expect(installed.stdout.contains("STATUS: deployed"), "\(installed.stdout)")

        // CRDs: every Gateway API standard CRD and Causeway's own, all served.
        let expectedCRDs = try Self.crdNames(in: "Manifests/gateway-api/standard") + Self.crdNames(in: "Manifests/crds")
        #expect(expectedCRDs.count == 13)
        #expect(Set(expectedCRDs).subtracting(try Self.installedCRDs(cluster)).isEmpty)
        try cluster.kubectl("wait", "--for", "condition=Established", "crd/gatewayclasses.gateway.networking.k8s.io",
                            "crd/gatewayconfigs.causeway.dev", "--timeout=10s")

        // RBAC: exactly the controller's verbs, bound to its ServiceAccount.
        let clusterRole = try Self.json(cluster, "get", "clusterrole", "causeway-controller")
        #expect(Self.permissions(clusterRole) == Self.controllerPermissions)
        #expect(!Self.permissions(clusterRole).contains { $0.contains("*") })
        let binding = try Self.json(cluster, "get", "clusterrolebinding", "causeway-controller")
        let subjects = binding["subjects"] as? [[String: Any]] ?? []
        #expect(subjects.count == 1)
        #expect(subjects.first?["kind"] as? String == "ServiceAccount")
        #expect(subjects.first?["name"] as? String == "causeway-controller")
        #expect(subjects.first?["namespace"] as? String == Self.namespace)
        #expect((binding["roleRef"] as? [String: Any])?["name"] as? String == "causeway-controller")
        try cluster.kubectl("get", "serviceaccount", "causeway-controller", "-n", Self.namespace)
        let role = try Self.json(cluster, "get", "role", "causeway-controller", "-n", Self.namespace)
        #expect(Self.permissions(role) == [
            "coordination.k8s.io/leases:create",
            "coordination.k8s.io/leases[causeway-controller]:get",
            "coordination.k8s.io/leases[causeway-controller]:update",
            "/secrets:create",
            "/secrets[causeway-control-plane-ca,causeway-cacerts]:get",
            "/secrets[causeway-mesh-ca]:get",
            "/secrets[causeway-mesh-ca]:update",
            "/pods:patch",
        ])
        let roleBinding = try Self.json(cluster, "get", "rolebinding", "causeway-controller", "-n", Self.namespace)
        #expect((roleBinding["subjects"] as? [[String: Any]])?.first?["name"] as? String == "causeway-controller")

        // The Deployment.
        let deployment = try Self.json(cluster, "get", "deployment", "causeway-controller", "-n", Self.namespace)
        let template = (deployment["spec"] as? [String: Any])?["template"] as? [String: Any]
        let podLabels = (template?["metadata"] as? [String: Any])?["labels"] as? [String: String] ?? [:]
        let pod = template?["spec"] as? [String: Any] ?? [:]
        #expect(pod["serviceAccountName"] as? String == "causeway-controller")
        let podSecurity = pod["securityContext"] as? [String: Any] ?? [:]
        #expect(podSecurity["runAsNonRoot"] as? Bool == true)
        #expect(podSecurity["runAsUser"] as? Int == 65532)
        #expect((podSecurity["seccompProfile"] as? [String: Any])?["type"] as? String == "RuntimeDefault")
        let container = (pod["containers"] as? [[String: Any]])?.first ?? [:]
        #expect(container["image"] as? String == Self.image)
        let args = container["args"] as? [String] ?? []
        #expect(args.first == "controller")
        #expect(args.contains("--namespace=\(Self.namespace)"))
        #expect(args.contains("--proxy-image=\(Self.image)"))
        #expect(args.contains("--control-plane-url=https://causeway-controller.\(Self.namespace).svc:15010"))
        let env = container["env"] as? [[String: Any]] ?? []
        func fieldPath(_ name: String) -> String? {
            let variable = env.first { $0["name"] as? String == name }
            return ((variable?["valueFrom"] as? [String: Any])?["fieldRef"] as? [String: Any])?["fieldPath"] as? String
        }
        #expect(fieldPath("POD_NAME") == "metadata.name")
        #expect(fieldPath("POD_NAMESPACE") == "metadata.namespace")
        let ports = (container["ports"] as? [[String: Any]] ?? []).reduce(into: [String: Int]()) {
            $0[$1["name"] as? String ?? ""] = $1["containerPort"] as? Int
        }
        #expect(ports == ["ops": 8081, "config": 15010])
        func probe(_ name: String) -> [String?] {
            let get = (container[name] as? [String: Any])?["httpGet"] as? [String: Any]
            return [get?["path"] as? String, get?["port"] as? String]
        }
        #expect(probe("readinessProbe") == ["/readyz", "ops"])
        #expect(probe("livenessProbe") == ["/healthz", "ops"])
        let resources = container["resources"] as? [String: Any]
        #expect((resources?["requests"] as? [String: Any])?["memory"] as? String == "128Mi")
        let security = container["securityContext"] as? [String: Any] ?? [:]
        #expect(security["runAsNonRoot"] as? Bool == true)
        #expect(security["runAsUser"] as? Int == 65532)
        #expect(security["readOnlyRootFilesystem"] as? Bool == true)
        #expect(security["allowPrivilegeEscalation"] as? Bool == false)
        #expect((security["capabilities"] as? [String: Any])?["drop"] as? [String] == ["ALL"])
        #expect((security["seccompProfile"] as? [String: Any])?["type"] as? String == "RuntimeDefault")

        // The Service in front of it and the disruption budget, both selecting its pods.
        let service = try Self.json(cluster, "get", "service", "causeway-controller", "-n", Self.namespace)
        let serviceSpec = service["spec"] as? [String: Any] ?? [:]
        let servicePorts = (serviceSpec["ports"] as? [[String: Any]] ?? []).reduce(into: [String: Int]()) {
            $0[$1["name"] as? String ?? ""] = $1["port"] as? Int
        }
        #expect(servicePorts == ["config": 15010, "ops": 8081])
        // The Service selects the controller's pods, and of those only the one that leads.
        let serviceSelector = serviceSpec["selector"] as? [String: String] ?? [:]
        #expect(serviceSelector["causeway.dev/leader"] == "true")
        #expect(serviceSelector.filter { $0.key != "causeway.dev/leader" }.allSatisfy { podLabels[$0.key] == $0.value })
        #expect(podLabels["causeway.dev/leader"] == nil, "no replica leads before it holds the Lease")
        let budget = try Self.json(cluster, "get", "poddisruptionbudget", "causeway-controller", "-n", Self.namespace)
        let budgetSpec = budget["spec"] as? [String: Any] ?? [:]
        #expect(budgetSpec["maxUnavailable"] as? Int == 1, "one replica: a node drain may evict it")
        #expect(budgetSpec["minAvailable"] == nil)
        let budgetSelector = (budgetSpec["selector"] as? [String: Any])?["matchLabels"] as? [String: String] ?? [:]
        #expect(!budgetSelector.isEmpty && budgetSelector.allSatisfy { podLabels[$0.key] == $0.value })

        // The default classes.
        #expect(try cluster.kubectl("get", "gatewayclass", "causeway", "-o", "jsonpath={.spec.controllerName}").stdout
                == "causeway.dev/gateway-controller")
        let ingressClass = try Self.json(cluster, "get", "ingressclass", "causeway")
        #expect((ingressClass["spec"] as? [String: Any])?["controller"] as? String == "causeway.dev/ingress-controller")
        let ingressAnnotations = (ingressClass["metadata"] as? [String: Any])?["annotations"] as? [String: String] ?? [:]
        #expect(ingressAnnotations["ingressclass.kubernetes.io/is-default-class"] == nil, "not the default class unless asked")

        // The controller, started with the Deployment's own arguments (changed only where it finds
        // the cluster, and to ports nothing else uses), accepts the chart's GatewayClass and labels
        // the pod it runs as, which is how the Service reaches the leader alone.
        let podName = "causeway-controller-e2e"
        let podObject: [String: Any] = [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": ["name": podName, "namespace": Self.namespace, "labels": podLabels],
            "spec": pod,
        ]
        try cluster.kubectl(["create", "-f", "-"], stdin: String(decoding: try JSONSerialization.data(withJSONObject: podObject), as: UTF8.self))
        let controller = try ControllerProcess(
            name: "the chart's controller", arguments: args + ["--kubeconfig", cluster.kubeconfig, "--ops-port", "0", "--config-port", "0", "--no-leader-elect"],
            environment: ["POD_NAME": podName, "POD_NAMESPACE": Self.namespace])
        defer { controller.stop() }
        let accepted = try await eventually(timeout: .seconds(30), interval: .milliseconds(200)) {
            try cluster.kubectl("get", "gatewayclass", "causeway",
                                "-o", "jsonpath={.status.conditions[?(@.type==\"Accepted\")].status}").stdout == "True"
        }
        #expect(accepted, "GatewayClass not Accepted within 30 s; controller log:\n\(controller.output.text)")
        let labelled = try await eventually(timeout: .seconds(30), interval: .milliseconds(200)) {
            let labels = try Self.json(cluster, "get", "pod", podName, "-n", Self.namespace)["metadata"]
                .flatMap { ($0 as? [String: Any])?["labels"] as? [String: String] } ?? [:]
            return serviceSelector.allSatisfy { labels[$0.key] == $0.value }
        }
        #expect(labelled, "the Service never selected the leading pod; controller log:\n\(controller.output.text)")
    }

    @Test(arguments: Helm.allCases)
    func leavesExistingGatewayAPICRDsAloneAndCreatesNoneWhenDisabled(_ helm: Helm) throws {
        // A cluster whose owner installed an older Gateway API: the Gateway CRD at bundle v1.2.0.
        let manifest = try String(contentsOf: Self.root.appendingPathComponent(
            "Manifests/gateway-api/standard/gateway.networking.k8s.io_gateways.yaml"), encoding: .utf8)
        let older = manifest.replacingOccurrences(of: "gateway.networking.k8s.io/bundle-version: v1.6.1",
                                                  with: "gateway.networking.k8s.io/bundle-version: v1.2.0")
        #expect(older != manifest)
        let bundleVersion = "jsonpath={.metadata.annotations.gateway\\.networking\\.k8s\\.io/bundle-version}"
        do {
            let cluster = try DevProcess(extraArguments: ["--no-controller"])
            defer { cluster.stop() }
            try cluster.kubectl(["apply", "--server-side", "-f", "-"], stdin: older)
            let before = try Self.json(cluster, "get", "crd", "gateways.gateway.networking.k8s.io")
            let resourceVersion = (before["metadata"] as? [String: Any])?["resourceVersion"] as? String

            if helm == .helm4 {
                // helm 4 applies crds/ server-side: rather than skip the existing CRD it tries to
                // take it over, and stops on the field-manager conflict without changing it.
                let refused = try Self.install(helm, cluster, allowFailure: true)
                #expect(refused.status != 0)
                #expect(refused.stderr.contains("gateways.gateway.networking.k8s.io") && refused.stderr.contains("conflict"),
                        "\(refused.stderr)")
                #expect(try cluster.kubectl("get", "crd", "gateways.gateway.networking.k8s.io", "-o", bundleVersion).stdout == "v1.2.0")
            }
            // helm 3, and helm 4 told to create rather than apply (what Charts/causeway/README.md
            // says to do), create only the CRDs that are absent.
            try Self.install(helm, cluster, helm == .helm4 ? ["--server-side=false"] : [])
            let after = try Self.json(cluster, "get", "crd", "gateways.gateway.networking.k8s.io")
            #expect((after["metadata"] as? [String: Any])?["resourceVersion"] as? String == resourceVersion,
                    "the existing Gateway CRD was written to")
            #expect(try cluster.kubectl("get", "crd", "gateways.gateway.networking.k8s.io", "-o", bundleVersion).stdout == "v1.2.0")
            #expect(try cluster.kubectl("get", "crd", "httproutes.gateway.networking.k8s.io", "-o", bundleVersion).stdout == "v1.6.1")
            // Neither helm ever upgrades them afterwards.
            try helm.run(cluster, ["upgrade", "causeway", Self.chart, "--namespace", Self.namespace] + Self.imageValues)
            #expect(try cluster.kubectl("get", "crd", "gateways.gateway.networking.k8s.io", "-o", bundleVersion).stdout == "v1.2.0")
        }
        do {
            let cluster = try DevProcess(extraArguments: ["--no-controller"])
            defer { cluster.stop() }
            let installed = try Self.install(helm, cluster, ["--set", "gatewayAPI.installCRDs=false"])
            #expect(installed.stdout.contains("STATUS: deployed"))
            #expect(installed.stdout.contains("No GatewayClass was created"), "NOTES explain the missing GatewayClass")
            let crds = try Self.installedCRDs(cluster)
            #expect(crds.filter { $0.hasSuffix(".gateway.networking.k8s.io") }.isEmpty, "\(crds)")
            #expect(crds.contains("gatewayconfigs.causeway.dev"))
            try cluster.kubectl("get", "deployment", "causeway-controller", "-n", Self.namespace)
            try cluster.kubectl("get", "ingressclass", "causeway")
        }
    }

    @Test(arguments: Helm.allCases)
    func lintsCleanAndRendersTheDisruptionBudgetForTheReplicaCount(_ helm: Helm) throws {
        let binary = try helm.binary()
        let lint = try CommandRunner.run(binary, ["lint", "--strict", "--with-subcharts", Self.chart], timeout: 60)
        #expect(lint.status == 0, "\(lint.stdout)\(lint.stderr)")

        func budget(_ values: [String]) throws -> CommandResult {
            try CommandRunner.run(binary, ["template", "causeway", Self.chart, "--namespace", Self.namespace,
                                           "--show-only", "templates/poddisruptionbudget.yaml"] + values, timeout: 60)
        }
        let single = try budget([]).stdout
        #expect(single.contains("maxUnavailable: 1") && !single.contains("minAvailable"))
        let several = try budget(["--set", "replicaCount=3"]).stdout
        #expect(several.contains("minAvailable: 1") && !several.contains("maxUnavailable"))

        // The schema refuses a value the chart does not have, naming it.
        let unknown = try CommandRunner.run(binary, ["template", "causeway", Self.chart, "--set", "replicas=2"], timeout: 60)
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("replicas"), "\(unknown.stderr)")
    }

    @Test func chartCopiesAndInstallYAMLMatchManifests() throws {
        // The chart's CRDs are byte-for-byte the ones in Manifests/.
        let copies = [("Manifests/gateway-api/standard", "Charts/causeway/charts/gateway-api-crds/crds"),
                      ("Manifests/crds", "Charts/causeway/crds")]
        for (source, copy) in copies {
            let files = try FileManager.default.contentsOfDirectory(atPath: Self.root.appendingPathComponent(source).path)
                .filter { $0.hasSuffix(".yaml") }.sorted()
            let copied = try FileManager.default.contentsOfDirectory(atPath: Self.root.appendingPathComponent(copy).path)
                .filter { $0.hasSuffix(".yaml") }.sorted()
            #expect(copied == files, "\(copy) should hold exactly the files of \(source)")
            for file in files {
                let original = try Data(contentsOf: Self.root.appendingPathComponent("\(source)/\(file)"))
                let duplicate = try? Data(contentsOf: Self.root.appendingPathComponent("\(copy)/\(file)"))
                #expect(duplicate == original, "\(copy)/\(file) differs from \(source)/\(file): run scripts/render-manifests.sh")
            }
        }

        // install.yaml is what the chart renders today (the script re-renders into a scratch copy).
        let helm3 = try Helm.helm3.binary()
        let check = try CommandRunner.run("/usr/bin/env", [
            "HELM=\(helm3)", Self.root.appendingPathComponent("scripts/render-manifests.sh").path, "--check",
        ], timeout: 120)
        #expect(check.status == 0, "Manifests/install.yaml or the chart's CRDs are stale: \(check.stderr)\(check.stdout)")

        // helm 4 renders the same documents, so which helm rendered install.yaml does not matter.
        // Only their order may differ: helm 4's install order knows MutatingWebhookConfiguration
        // (after every built-in kind) while helm 3 sorts it with the other unknown kinds, by name.
        let arguments = ["template", "causeway", Self.chart, "--namespace", Self.namespace, "--include-crds",
                         "--api-versions", "gateway.networking.k8s.io/v1/GatewayClass"]
        let three = try CommandRunner.run(helm3, arguments, timeout: 60)
        let four = try CommandRunner.run(try Helm.helm4.binary(), arguments, timeout: 60)
        #expect(three.status == 0 && four.status == 0)
        func documents(_ rendered: String) -> [String] {
            ("\n" + rendered).components(separatedBy: "\n---\n").map { $0.trimmingCharacters(in: .newlines) }.filter { !$0.isEmpty }.sorted()
        }
        #expect(documents(three.stdout) == documents(four.stdout), "helm 3 and helm 4 render the chart differently")

        // And kubectl users get a working install from it, following the steps in its header.
        let cluster = try DevProcess(extraArguments: ["--no-controller"])
        defer { cluster.stop() }
        let installYAML = Self.root.appendingPathComponent("Manifests/install.yaml").path
        let first = try cluster.kubectl(["apply", "--server-side", "-f", installYAML], allowFailure: true)
        #expect(first.stdout.contains("deployment.apps/causeway-controller serverside-applied"), "\(first.stdout)\(first.stderr)")
        try cluster.kubectl("wait", "--for", "condition=Established", "crd/gatewayclasses.gateway.networking.k8s.io", "--timeout=10s")
        try cluster.kubectl("apply", "--server-side", "-f", installYAML)
        #expect(try cluster.kubectl("get", "gatewayclass", "causeway", "-o", "jsonpath={.spec.controllerName}").stdout
                == "causeway.dev/gateway-controller")
        try cluster.kubectl("get", "clusterrolebinding", "causeway-controller")
        try cluster.kubectl("get", "service", "causeway-controller", "-n", Self.namespace)
    }
}
