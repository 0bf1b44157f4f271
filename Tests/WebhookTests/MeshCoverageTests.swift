import APIMachinery
import Injection
import KubeModel
import Testing
@testable import Webhook

/// Which pods the reporter calls unmeshed.
@Suite struct MeshCoverageTests {
    let meshed = [MeshConventions.meshLabel: MeshConventions.meshLabelEnabled]

    func pod(namespace: String = "shop", _ change: (inout JSONValue) -> Void = { _ in }) -> JSONValue {
        var pod = Reviews.pod()
        pod[path: ["metadata", "namespace"]] = .string(namespace)
        pod[path: ["metadata", "name"]] = "web-7d4b9c8f6d-x7k2p"
        pod[path: ["status", "phase"]] = "Running"
        change(&pod)
        return pod
    }

    func unmeshed(_ pod: JSONValue, labels: [String: String]? = nil) -> Bool {
        MeshCoverage.isUnmeshed(pod, namespaceLabels: labels ?? meshed, controlPlaneNamespace: "causeway-system")
    }

    @Test func aPodWithoutTheSidecarInAMeshedNamespaceIsUnmeshed() {
        #expect(unmeshed(pod()))
        #expect(unmeshed(MeshCoverage.slim(pod())), "the reporter's slim copy decides the same")
    }

    @Test func injectedPodsAreMeshedNativeOrClassic() throws {
        for native in [true, false] {
            let original = pod()
            guard case .injected(let injected) = try Injector.inject(
                InjectionRequest(pod: original, namespace: "shop"), settings: InjectionSettings(nativeSidecars: native)) else {
                Issue.record("not injected")
                return
            }
            #expect(!unmeshed(injected))
            #expect(!unmeshed(MeshCoverage.slim(injected)))
        }
    }

    @Test func podsTheInjectorSkipsOnPurposeAreNotReported() {
        #expect(!unmeshed(pod(), labels: [:]), "namespace not in the mesh")
        #expect(!unmeshed(pod(), labels: [MeshConventions.meshLabel: "disabled"]))
        #expect(!unmeshed(pod(namespace: "kube-system")))
        #expect(!unmeshed(pod(namespace: "causeway-system")))
        #expect(!unmeshed(pod { $0[path: ["spec", "hostNetwork"]] = true }))
        #expect(!unmeshed(pod { $0[path: ["metadata", "annotations"]] = [MeshConventions.injectAnnotation: "false"] }))
        #expect(!unmeshed(pod { $0[path: ["metadata", "annotations"]] = ["kubernetes.io/config.mirror": "abc"] }))
        #expect(!unmeshed(pod { $0[path: ["status", "phase"]] = "Succeeded" }))
        #expect(!unmeshed(pod { $0[path: ["metadata", "deletionTimestamp"]] = "2026-01-01T00:00:00Z" }))
        #expect(unmeshed(pod { $0[path: ["status", "phase"]] = "Pending" }))
    }

    @Test func theSlimCopyKeepsOnlyWhatTheReporterReads() {
        let slim = MeshCoverage.slim(pod {
            $0[path: ["metadata", "annotations"]] = ["causeway.dev/inject": "true", "big": .string(String(repeating: "x", count: 10_000))]
            $0[path: ["metadata", "uid"]] = "u-1"
        })
        #expect(slim[path: ["metadata", "annotations"]] == ["causeway.dev/inject": "true"])
        #expect(slim[path: ["metadata", "uid"]] == "u-1")
        #expect(slim[path: ["spec", "containers"]] == [["name": "web"]])
        #expect(slim[path: ["status"]] == ["phase": "Running"])
        #expect(slim.serialized().count < 600)
    }
}

/// The caBundle the controller writes into the MutatingWebhookConfiguration.
@Suite struct WebhookCABundleTests {
    let pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"

    func configuration(_ bundles: [String?]) -> JSONValue {
        [
            "apiVersion": "admissionregistration.k8s.io/v1", "kind": "MutatingWebhookConfiguration",
            "metadata": ["name": "causeway-sidecar-injector"],
            "webhooks": .array(bundles.enumerated().map { index, bundle in
                var clientConfig: JSONValue = ["service": ["name": "causeway-controller", "namespace": "causeway-system", "path": "/inject", "port": 15010]]
                if let bundle { clientConfig["caBundle"] = .string(bundle) }
                return ["name": .string("hook-\(index).causeway.dev"), "clientConfig": clientConfig, "sideEffects": "None"]
            }),
        ]
    }

    @Test func everyWebhookGetsTheBundleAndNothingElseChanges() throws {
        let bundle = WebhookCABundle.encode(pem: pem)
        #expect(bundle == Base64.encode(Array(pem.utf8)))
        let original = configuration([nil, "", bundle])
        let operations = WebhookCABundle.operations(for: original, caBundle: bundle)
        #expect(operations.count == 4, "two webhooks differ: a test and an add each")
        let patched = try JSONPatch.apply(.array(operations), to: original)
        #expect(patched["metadata"] == original["metadata"])
        for webhook in patched["webhooks"]?.arrayValue ?? [] {
            #expect(webhook[path: ["clientConfig", "caBundle"]] == .string(bundle))
            #expect(webhook[path: ["clientConfig", "service", "path"]] == "/inject")
            #expect(webhook["sideEffects"] == "None")
        }
        #expect(WebhookCABundle.operations(for: patched, caBundle: bundle).isEmpty, "nothing to write once it matches")
    }

    @Test func aReorderedListFailsThePatchInsteadOfWritingIntoAnotherWebhook() throws {
        let bundle = WebhookCABundle.encode(pem: pem)
        let operations = WebhookCABundle.operations(for: configuration([nil, nil]), caBundle: bundle)
        var reordered = configuration([nil, nil])
        reordered["webhooks"] = .array((reordered["webhooks"]?.arrayValue ?? []).reversed())
        #expect(throws: PatchError.self) { try JSONPatch.apply(.array(operations), to: reordered) }
    }
}
