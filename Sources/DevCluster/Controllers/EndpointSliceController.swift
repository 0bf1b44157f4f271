import Foundation
import Synchronization
import Logging
import KubeModel

/// Keeps, for every Service with a selector, EndpointSlices (`discovery.k8s.io/v1`) listing the
/// selected Pods of its namespace, as the real EndpointSlice controller does (see
/// `EndpointSliceDesired` for what a slice holds). Service, Pod and managed-slice changes mark the
/// affected Services; one serial queue syncs each marked Service once per burst, reading the
/// store and writing only what changed, through the API verbs.
final class EndpointSliceController: Sendable {
    let server: APIServer
    private let queue = DispatchQueue(label: "causeway.devcluster.endpointslice-controller")
    private let pending = Mutex<(services: Set<ObjectKey>, scheduled: Bool)>(([], false))
    private let logger = Logger(label: "causeway.devcluster.endpointslice-controller")

    static let services = StorageKey(group: "", resource: "services")
    static let pods = StorageKey(group: "", resource: "pods")
    static let slices = StorageKey(group: "discovery.k8s.io", resource: "endpointslices")
    static let nodes = StorageKey(group: "", resource: "nodes")
    /// The manager name the real controller's writes carry in `managedFields`.
    static let fieldManager = "kube-controller-manager"

    init(server: APIServer) {
        self.server = server
    }

    func start() {
        server.onCommit { [self] event in
            switch event.storageKey {
            case Self.services:
                mark([event.objectKey])
            case Self.pods:
                queue.async { self.mark(self.servicesSelecting(event)) }
            case Self.slices:
                mark(Self.managingServices(event))
            case Self.nodes:
                let zone = { (node: JSONValue?) in node.map(ObjectMetaRules.labels)?[EndpointSliceDesired.zoneLabel] }
                if event.kind != .modified || zone(event.object) != zone(event.previous) {
                    queue.async { self.mark(self.servicesSelectingPods(onNode: event.objectKey.name)) }
                }
            default:
                break
            }
        }
        queue.async { [self] in
            mark(server.store.list(Self.services).items.map(\.0))
        }
    }

    /// Services of the pod's namespace whose selector matches the pod before or after the change.
    private func servicesSelecting(_ event: StoreEvent) -> [ObjectKey] {
        servicesSelecting([event.object, event.previous].compactMap { $0 }, namespace: event.objectKey.namespace)
    }

    /// Services whose endpoints carry the zone of this node (its pods' Services).
    private func servicesSelectingPods(onNode node: String) -> [ObjectKey] {
        var byNamespace: [String: [JSONValue]] = [:]
        for (key, pod) in server.store.list(Self.pods).items where pod[path: ["spec", "nodeName"]]?.stringValue == node {
            byNamespace[key.namespace, default: []].append(pod)
        }
        return byNamespace.flatMap { namespace, pods in servicesSelecting(pods, namespace: namespace) }
    }

    private func servicesSelecting(_ pods: [JSONValue], namespace: String) -> [ObjectKey] {
        let labelSets = pods.map(ObjectMetaRules.labels)
        return server.store.list(Self.services, namespace: namespace).items.compactMap { key, service in
            guard let selector = EndpointSliceDesired.selector(of: service) else { return nil }
            return labelSets.contains { EndpointSliceDesired.selects(selector, $0) } ? key : nil
        }
    }

    /// The Service a managed slice belongs to, so edits or deletions by others are undone.
    private static func managingServices(_ event: StoreEvent) -> [ObjectKey] {
        [event.object, event.previous].compactMap { slice in
            guard let slice else { return nil }
            let labels = ObjectMetaRules.labels(slice)
            guard labels[EndpointSliceDesired.managedByLabel] == EndpointSliceDesired.controllerName,
                  let service = labels[EndpointSliceDesired.serviceNameLabel] else { return nil }
            return ObjectKey(namespace: event.objectKey.namespace, name: service)
        }
    }

    /// Marks Services for a sync; a burst of marks before the queue gets to them syncs each once.
    private func mark(_ services: [ObjectKey]) {
        guard !services.isEmpty else { return }
        let schedule = pending.withLock { state -> Bool in
            state.services.formUnion(services)
            if state.scheduled { return false }
            state.scheduled = true
            return true
        }
        if schedule { queue.async { self.drain() } }
    }

    private func drain() {
        let services = pending.withLock { state -> Set<ObjectKey> in
            defer { state = ([], false) }
            return state.services
        }
        for key in services.sorted() { sync(key) }
    }

    private func sync(_ key: ObjectKey) {
        guard let sliceDefinition = server.registry.lookup(group: "discovery.k8s.io", version: "v1", resource: "endpointslices")
        else { return }
        let existing = server.store.list(Self.slices, namespace: key.namespace).items.map(\.1).filter { slice in
            let labels = ObjectMetaRules.labels(slice)
            return labels[EndpointSliceDesired.serviceNameLabel] == key.name
                && labels[EndpointSliceDesired.managedByLabel] == EndpointSliceDesired.controllerName
        }
        guard let service = server.store.get(Self.services, key) else {
            for slice in existing { delete(slice, definition: sliceDefinition) }
            return
        }
        guard let selector = EndpointSliceDesired.selector(of: service) else { return }
        let pods = server.store.list(Self.pods, namespace: key.namespace).items.map(\.1).filter {
            EndpointSliceDesired.selects(selector, ObjectMetaRules.labels($0))
        }
        let desired = EndpointSliceDesired.slices(service: service, pods: pods, nodeZone: zone)
        let plan = EndpointSlicePlan(desired: desired, existing: existing, service: service)
        if !plan.isEmpty { apply(plan, service: service, key: key, definition: sliceDefinition) }
    }

    /// Creates first, deletes last, as the real controller orders them: a Service whose slices are
    /// being replaced never shows no endpoints at all.
    private func apply(_ plan: EndpointSlicePlan, service: JSONValue, key: ObjectKey, definition sliceDefinition: ResourceDefinition) {
        let labels = EndpointSliceDesired.labels(for: service)
        // New slices for a Service being deleted would race the garbage collector deleting them.
        if !ObjectMetaRules.isDeleting(service) {
            for content in plan.creates {
                do {
                    _ = try server.create(sliceDefinition, namespace: key.namespace,
                                          body: EndpointSliceDesired.newSlice(content, service: service),
                                          options: WriteOptions(fieldManager: Self.fieldManager))
                } catch {
                    retry(key, after: error)
                }
            }
        }
        for (slice, content) in plan.updates {
            let location = ObjectLocation(storageKey: Self.slices,
                                          objectKey: ObjectKey(namespace: key.namespace, name: ObjectMetaRules.name(slice) ?? ""))
            let outcome = server.rewrite(location, uid: slice[path: ["metadata", "uid"]]?.stringValue,
                                         manager: Self.fieldManager) { current in
                let next = EndpointSliceDesired.applying(content, labels: labels, to: current)
                return next == current ? nil : next
            }
            if case .failed(let status) = outcome { retry(key, after: status) }
        }
        for slice in plan.deletes { delete(slice, definition: sliceDefinition) }
    }

    private func delete(_ slice: JSONValue, definition: ResourceDefinition) {
        var options = APIServer.DeleteOptions()
        options.preconditionUID = slice[path: ["metadata", "uid"]]?.stringValue
        do {
            _ = try server.delete(definition, namespace: slice[path: ["metadata", "namespace"]]?.stringValue,
                                  name: ObjectMetaRules.name(slice) ?? "", options: options)
        } catch where error.code == 404 || error.code == 409 {
            // Already gone, or replaced: nothing of ours left to delete.
        } catch {
            logger.warning("cannot delete EndpointSlice \(ObjectMetaRules.name(slice) ?? ""): \(error.message ?? "")")
        }
    }

    /// A conflict means another writer got in between: sync again. Other refusals would repeat.
    private func retry(_ service: ObjectKey, after status: APIStatus) {
        logger.warning("cannot write EndpointSlices of Service \(service): \(status.message ?? "")")
        guard status.code == 409 else { return }
        queue.asyncAfter(deadline: .now() + 0.1) { [self] in mark([service]) }
    }

    private func zone(_ node: String) -> String? {
        server.store.get(Self.nodes, ObjectKey(namespace: "", name: node))
            .flatMap { ObjectMetaRules.labels($0)[EndpointSliceDesired.zoneLabel] }
    }
}
