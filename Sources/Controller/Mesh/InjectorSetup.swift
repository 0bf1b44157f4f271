import ControllerRuntime
import Injection
import KubeModel
import Translator
import Webhook

/// How the controller runs sidecar injection: the `/inject` endpoint on its configuration port
/// (every replica, as the CA endpoint), and on the leader the `caBundle` keeper and the report of
/// unmeshed pods.
extension GatewayController {
    /// The injector's settings come from the controller's: sidecars run the gateways' image and
    /// reach the same configuration server the same way.
    func injectionSettings(infrastructure: InfrastructureSettings) -> InjectionSettings {
        var settings = options.injection
        settings.image = options.sidecarImage ?? infrastructure.image
        settings.imagePullPolicy = infrastructure.imagePullPolicy
        settings.controlPlaneURL = infrastructure.controlPlaneURL
        settings.controlPlaneNamespace = options.namespace
        return settings
    }

    func injectorService(infrastructure: InfrastructureSettings, caches: @escaping @Sendable () -> ClusterCaches?) -> InjectorService {
        let settings = injectionSettings(infrastructure: infrastructure)
        logger.info("serving sidecar injection", metadata: [
            "path": "\(InjectionWebhook.path)", "image": "\(settings.image)", "nativeSidecars": "\(settings.nativeSidecars)",
            "controlPlane": "\(settings.controlPlaneURL)",
        ])
        return InjectorService(
            endpoint: InjectionEndpoint(webhook: InjectionWebhook(settings: settings), metrics: injectorMetrics.webhook, logger: logger),
            client: client,
            cachedLabels: { name in
                guard let namespaces = caches()?.namespaces, namespaces.hasSynced else { return nil }
                return namespaces.cache.get(name: name, namespace: nil)?.metaLabels
            })
    }

    /// The leader's duties: keep the webhook's caBundle (when this controller serves `/inject`,
    /// i.e. has a configuration server and its CA) and report pods left without a sidecar.
    func addSidecarInjectionDuties(to manager: Manager, caches: ClusterCaches, controlPlaneCA: String?) {
        if let controlPlaneCA {
            manager.add(InjectorCABundle(client: client, caPEM: controlPlaneCA, logger: logger))
        }
        manager.add(UnmeshedPodReporter(client: client, caches: caches, metrics: injectorMetrics, controllerMetrics: metrics,
                                        controlPlaneNamespace: options.namespace, instance: options.identity, logger: logger))
    }
}
