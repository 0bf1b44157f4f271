import ControllerRuntime
import KubeClient
import KubeModel
import Logging
import Webhook

/// The leader keeps `clientConfig.caBundle` of every webhook in MutatingWebhookConfiguration
/// `causeway-sidecar-injector` equal to the control-plane CA that signs the configuration
/// server's certificate (which serves `/inject`). The chart creates the object without a bundle
/// (so `helm upgrade` and `kubectl apply` never reset it); the controller fills it in, and puts
/// it back when someone changes it: on every watch event of that one object and every `period`.
struct InjectorCABundle: Runnable {
    static let descriptor = ResourceDescriptor(group: "admissionregistration.k8s.io", version: "v1",
                                               resource: "mutatingwebhookconfigurations", kind: "MutatingWebhookConfiguration",
                                               namespaced: false)
    let client: KubeClient
    /// The control-plane CA certificate (PEM).
    let caPEM: String
    let logger: Logger
    var configurationName = InjectionWebhook.configurationName
    var period: Duration = .seconds(60)
    var name: String { "sidecar-injector-ca-bundle" }

    func run() async {
        // A watch of one object by name: the API authorizes it with `resourceNames`, and the
        // controller caches nothing else of this kind.
        let informer = SharedInformer(
            name: "mutatingwebhookconfigurations",
            listerWatcher: client.resource(Self.descriptor).listerWatcher(fieldSelector: "metadata.name=\(configurationName)"))
        let (checks, check) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        informer.addEventHandler(EventHandler(onAdd: { _ in check.yield() }, onUpdate: { _, _ in check.yield() }))
        await withDiscardingTaskGroup { group in
            group.addTask { await informer.run() }
            group.addTask {
                while !Task.isCancelled {
                    check.yield()
                    try? await Task.sleep(for: period)
                }
                check.finish()
            }
            group.addTask {
                let caBundle = WebhookCABundle.encode(pem: caPEM)
                var reportedMissing = false
                for await _ in checks {
                    guard await informer.waitForSync() else { return }
                    guard let configuration = informer.cache.get(name: configurationName, namespace: nil) else {
                        if !reportedMissing {
                            logger.info("MutatingWebhookConfiguration \(configurationName) does not exist; the API server sends no pods to inject until it does (the Helm chart creates it)")
                        }
                        reportedMissing = true
                        continue
                    }
                    reportedMissing = false
                    await update(configuration, caBundle: caBundle, retry: check)
                }
            }
        }
    }

    private func update(_ configuration: JSONValue, caBundle: String, retry: AsyncStream<Void>.Continuation) async {
        let operations = WebhookCABundle.operations(for: configuration, caBundle: caBundle)
        guard !operations.isEmpty else { return }
        do {
            _ = try await client.resource(Self.descriptor).patch(configurationName, kind: .json, patch: .array(operations))
            logger.info("set the caBundle of MutatingWebhookConfiguration \(configurationName) to the control-plane CA",
                        metadata: ["webhooks": "\(operations.count / 2)"])
        } catch {
            // The object changed under the patch (its `test` failed) or the API is away: look again soon.
            logger.warning("could not set the caBundle of MutatingWebhookConfiguration \(configurationName); retrying",
                           metadata: ["error": "\(error)"])
            Task {
                try? await Task.sleep(for: .seconds(2))
                retry.yield()
            }
        }
    }
}
