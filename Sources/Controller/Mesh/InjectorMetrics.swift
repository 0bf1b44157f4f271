import PrometheusText
import Webhook

/// What sidecar injection exports at the controller's `/metrics`, beside `ControllerMetrics`:
/// the webhook's reviews and the pods that should have a sidecar and do not.
final class InjectorMetrics: Sendable {
    let webhook = WebhookMetrics()
    let unmeshedPods = LabeledMetric("causeway_mesh_unmeshed_pods", kind: .gauge,
                                     help: "Running pods in namespaces labelled causeway.dev/mesh=enabled that have no causeway-proxy "
                                         + "sidecar (admitted while the injector was unreachable, or before the label); restart them.",
                                     labels: ["namespace"])

    func render() -> String { webhook.render() + unmeshedPods.render() }
}
