import ControllerRuntime
import Foundation
import Injection
import KubeClient
import KubeModel
import Logging
import Webhook

/// Never silently unmeshed: the leader finds pods in namespaces labelled `causeway.dev/mesh:
/// enabled` that run without the `causeway-proxy` sidecar (`MeshCoverage.isUnmeshed`), counts
/// them per namespace in `causeway_mesh_unmeshed_pods`, and posts one Warning Event
/// `SidecarMissing` on each, saying why it matters and what to do.
///
/// It watches pods itself, only while leading, and keeps a slim copy of each (`MeshCoverage.slim`):
/// standby replicas hold no pods at all. The Event of a pod has a name derived from the pod's
/// UID, so a new leader (or a restart) that finds the same pod gets AlreadyExists instead of
/// posting it twice.
struct UnmeshedPodReporter: Runnable {
    static let reason = "SidecarMissing"

    let client: KubeClient
    let caches: ClusterCaches
    let metrics: InjectorMetrics
    let controllerMetrics: ControllerMetrics
    let controlPlaneNamespace: String
    /// Who reports (the Event's `reportingInstance`).
    let instance: String
    let logger: Logger
    /// Namespaces are rechecked at least this often (a label just added); pod changes trigger a
    /// pass within `settle`.
    var period: Duration = .seconds(5)
    var settle: Duration = .milliseconds(200)
    /// Events posted per pass: a rollout admitted while the webhook was down can leave hundreds of
    /// pods unmeshed, and their Events must not crowd out everything else the API server does.
    var eventsPerPass = 10
    var name: String { "unmeshed-pod-reporter" }

    func run() async {
        let pods = SharedInformer(name: "pods", listerWatcher: client.resource(.pods).listerWatcher(),
                                  transform: ObjectTransform(MeshCoverage.slim))
        let (passes, pass) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        pods.addEventHandler(EventHandler(onAdd: { _ in pass.yield() }, onUpdate: { _, _ in pass.yield() },
                                          onDelete: { _ in pass.yield() }))
        await withDiscardingTaskGroup { group in
            group.addTask { await pods.run() }
            group.addTask {
                while !Task.isCancelled {
                    pass.yield()
                    try? await Task.sleep(for: period)
                }
                pass.finish()
            }
            group.addTask {
                guard await pods.waitForSync() else { return }
                var reported = Set<String>()
                for await _ in passes {
                    try? await Task.sleep(for: settle)
                    if Task.isCancelled { break }
                    if await report(pods: pods.cache.list(), reported: &reported) { pass.yield() }
                }
            }
        }
        // A standby exports no stale counts.
        metrics.unmeshedPods.replaceAll([:])
    }

    /// One pass over the cache; true when Events are still to be posted (the next pass follows at once).
    private func report(pods: [JSONValue], reported: inout Set<String>) async -> Bool {
        var labels: [String: [String: String]] = [:]
        var counts: [[String]: Double] = [:]
        for namespace in caches.namespaces.cache.list() {
            guard let name = namespace.metaName else { continue }
            labels[name] = namespace.metaLabels
            if namespace.metaLabels[MeshConventions.meshLabel] == MeshConventions.meshLabelEnabled,
               !MeshConventions.systemNamespaces.contains(name), name != controlPlaneNamespace {
                counts[[name]] = 0
            }
        }
        var unmeshed: [JSONValue] = []
        for pod in pods {
            guard let namespace = pod.metaNamespace, let namespaceLabels = labels[namespace],
                  MeshCoverage.isUnmeshed(pod, namespaceLabels: namespaceLabels, controlPlaneNamespace: controlPlaneNamespace) else { continue }
            counts[[namespace], default: 0] += 1
            unmeshed.append(pod)
        }
        metrics.unmeshedPods.replaceAll(counts)

        let present = Set(unmeshed.compactMap(\.metaUID))
        reported.formIntersection(present)
        var posted = 0
        for pod in unmeshed.sorted(by: { $0.objectKey < $1.objectKey }) {
            guard let uid = pod.metaUID, !reported.contains(uid) else { continue }
            guard posted < eventsPerPass else { return true }
            posted += 1
            if await postEvent(on: pod) { reported.insert(uid) }
        }
        return false
    }

    /// Posts the Event; true once it exists (posted now or before).
    private func postEvent(on pod: JSONValue) async -> Bool {
        let namespace = pod.metaNamespace ?? ""
        let name = pod.metaName ?? ""
        let uid = pod.metaUID ?? ""
        let now = RFC3339.format(secondsSinceEpoch: Int64(Date().timeIntervalSince1970))
        let message = "This pod runs without the \(MeshConventions.proxyContainerName) sidecar although namespace \(namespace) is "
            + "labelled \(MeshConventions.meshLabel)=\(MeshConventions.meshLabelEnabled): its traffic bypasses the mesh (no mTLS, no "
            + "workload identity, mesh routes and policies do not apply) and meshed services that require mTLS refuse it. It was "
            + "admitted while the sidecar injector (webhook \(InjectionWebhook.webhookName)) was unreachable, or before the namespace "
            + "was labelled. Once the webhook is reachable, restart the workload (kubectl rollout restart) or delete the pod so it "
            + "is recreated with the sidecar."
        let event: JSONValue = [
            "apiVersion": "v1", "kind": "Event",
            "metadata": ["name": .string(Self.eventName(pod: name, uid: uid)), "namespace": .string(namespace)],
            "involvedObject": [
                "apiVersion": "v1", "kind": "Pod", "name": .string(name), "namespace": .string(namespace), "uid": .string(uid),
                "resourceVersion": .string(pod.metaResourceVersion ?? ""),
            ],
            "reason": .string(Self.reason), "message": .string(message), "type": "Warning",
            "source": ["component": "causeway-controller"], "reportingComponent": "causeway-controller",
            "reportingInstance": .string(instance), "firstTimestamp": .string(now), "lastTimestamp": .string(now), "count": 1,
        ]
        do {
            _ = try await client.resource(.events).create(event, namespace: namespace)
            controllerMetrics.eventsPosted.add(1, "Warning")
            logger.warning("pod runs without the sidecar in a meshed namespace", metadata: ["pod": "\(namespace)/\(name)"])
            return true
        } catch let error as KubeAPIError where error.code == .alreadyExists {
            return true
        } catch {
            logger.debug("could not post the SidecarMissing Event; retrying next pass", metadata: ["pod": "\(namespace)/\(name)", "error": "\(error)"])
            return false
        }
    }

    /// One name per pod incarnation (a StatefulSet's `web-0` comes back with a new UID), within
    /// the 253 characters of a name.
    static func eventName(pod: String, uid: String) -> String {
        let suffix = ".sidecar-missing." + uid.prefix(8).lowercased()
        return String(pod.prefix(253 - suffix.count)) + suffix
    }
}
