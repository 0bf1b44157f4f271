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

    func render() -> String {
        [reconciles.render(), reconcileDuration.render(), translateDuration.render(), statusWrites.render(), applies.render(),
         objects.render(), eventsPosted.render(), eventsDropped.render(), leader.render()].joined()
    }
}
