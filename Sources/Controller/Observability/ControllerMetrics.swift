import PrometheusText

/// What the controller counts, served at `/metrics`.
final class ControllerMetrics: Sendable {
    let reconciles = LabeledMetric("causeway_controller_reconciles_total", kind: .counter,
                                   help: "Reconciles of the whole snapshot, by outcome.", labels: ["outcome"])
    let reconcileDuration = DurationHistogram("causeway_controller_reconcile_duration_seconds",
                                              help: "Time to translate the snapshot and write what changed.")
    let translateDuration = DurationHistogram("causeway_controller_translate_duration_seconds",
                                              help: "Time the translator takes for one snapshot.")
    let statusWrites = LabeledMetric("causeway_controller_status_writes_total", kind: .counter,
                                     help: "Status subresource writes, by kind and outcome.", labels: ["kind", "outcome"])
    let applies = LabeledMetric("causeway_controller_infrastructure_writes_total", kind: .counter,
                                help: "Data-plane objects applied or deleted, by kind and action.", labels: ["kind", "action"])
    let objects = LabeledMetric("causeway_controller_objects", kind: .gauge,
                                help: "Objects in the controller's caches, by kind.", labels: ["kind"])
    let eventsPosted = LabeledMetric("causeway_controller_events_total", kind: .counter,
                                     help: "Kubernetes Events posted, by type.", labels: ["type"])
    let eventsDropped = LabeledMetric("causeway_controller_events_dropped_total", kind: .counter,
                                      help: "Events not posted because the rate limit was reached.")
    let leader = LabeledMetric("causeway_controller_leader", kind: .gauge, help: "1 while this replica leads.")
    let configMessages = LabeledMetric("causeway_controller_config_messages_total", kind: .counter,
                                       help: "Messages sent to proxies, by type (config, endpoints, ping).", labels: ["type"])
    let configBytes = LabeledMetric("causeway_controller_config_bytes_total", kind: .counter,
                                    help: "Bytes of configuration messages sent to proxies, by type.", labels: ["type"])
    let acks = LabeledMetric("causeway_controller_config_acks_total", kind: .counter,
                             help: "Acknowledgements from proxies, by outcome.", labels: ["outcome"])

    let caSignings = LabeledMetric("causeway_ca_signings_total", kind: .counter,
                                   help: "Workload certificates the mesh CA signed.")
    let caRefusals = LabeledMetric("causeway_ca_refusals_total", kind: .counter,
                                   help: "Certificate requests the mesh CA refused, by reason.", labels: ["reason"])
    let caExpiry = LabeledMetric("causeway_ca_certificate_expiry_timestamp_seconds", kind: .gauge,
                                 help: "When the mesh CA's certificates expire (Unix time), by role (root, intermediate, pending-root, retiring-root).",
                                 labels: ["role"])
    let caProxies = LabeledMetric("causeway_ca_proxies_reporting", kind: .gauge,
                                  help: "Proxies that reported their trust bundle recently, by whether it is the current one.",
                                  labels: ["bundle"])

    func render() -> String {
        [reconciles.render(), reconcileDuration.render(), translateDuration.render(), statusWrites.render(), applies.render(),
         objects.render(), eventsPosted.render(), eventsDropped.render(), leader.render(), configMessages.render(), configBytes.render(),
         acks.render(), caSignings.render(), caRefusals.render(), caExpiry.render(), caProxies.render()].joined()
    }
}
