import APIMachinery
import Foundation
import KubeModel
import Logging
import Synchronization

/// `causeway dev` as kubelet, Deployment controller and load-balancer provider, for the workloads
/// it can run itself: containers of the Causeway image whose arguments start with a `causeway`
/// subcommand it knows (`proxy`, `echo`). For those it creates the Deployment's Pods, starts each
/// as a local process with the Pod's address, volumes and environment, reports the Pod's status
/// (running, ready, restarts, address), and gives LoadBalancer Services a loopback address in
/// their status. Other Pods are left alone, as a kubelet leaves pods of other nodes.
///
/// Simplifications, each invisible to the controller: Pods belong to their Deployment directly
/// (no ReplicaSet), and a template change replaces Pods once the new ones are ready.
public final class DevKubelet: Sendable {
    public struct Configuration: Sendable {
        /// The `causeway` binary the containers run.
        public var executable: String
        /// Where pod directories (volumes, logs) go.
        public var directory: URL
        public var pool: PodAddressPool
        /// Added to the listener ports of proxies (when low ports cannot be bound).
        public var portOffset: Int
        public var nodeName = "causeway-dev"

        public init(executable: String, directory: URL, pool: PodAddressPool, portOffset: Int) {
            self.executable = executable
            self.directory = directory
            self.pool = pool
            self.portOffset = portOffset
        }
    }

    static let deployments = StorageKey(group: "apps", resource: "deployments")
    static let pods = StorageKey(group: "", resource: "pods")
    static let services = StorageKey(group: "", resource: "services")
    static let manager = "causeway-dev-kubelet"
    static let runnableCommands: Set<String> = ["proxy", "echo"]

    let server: APIServer
    let configuration: Configuration
    let balancers: LoadBalancerAllocator
    private let queue = DispatchQueue(label: "causeway.dev.kubelet")
    private let processes = Mutex<(running: [ObjectKey: (uid: String, process: PodProcess, bindings: [String])], stopped: Bool)>(([:], false))
    private let logger = Logger(label: "causeway.dev.kubelet")

    public init(server: APIServer, configuration: Configuration) {
        self.server = server
        self.configuration = configuration
        balancers = LoadBalancerAllocator(server: server)
    }

    public func start() {
        server.onCommit { [self] event in
            switch event.storageKey {
            case Self.deployments:
                queue.async { self.syncDeployment(event.objectKey) }
            case Self.pods:
                queue.async {
                    self.syncPod(event.objectKey)
                    for owner in Self.owners(of: event.object) { self.syncDeployment(owner) }
                }
            case Self.services:
                queue.async {
                    self.balancers.sync(event.objectKey)
                    self.refreshBindings(namespace: event.objectKey.namespace)
                }
            default:
                break
            }
        }
        queue.async { [self] in
            for (key, _) in server.store.list(Self.services).items { balancers.sync(key) }
            for (key, _) in server.store.list(Self.deployments).items { syncDeployment(key) }
            for (key, _) in server.store.list(Self.pods).items { syncPod(key) }
        }
    }

    /// Stops every process (SIGTERM, then SIGKILL after its grace period).
    public func stop() async {
        // Once stopped, nothing starts again: events still queued find `stopped` set.
        let all = processes.withLock { current -> [PodProcess] in
            defer { current = ([:], true) }
            return current.running.values.map(\.process)
        }
        await withTaskGroup(of: Void.self) { group in
            for process in all { group.addTask { await process.stop() } }
        }
    }

    // MARK: Deployments

    /// Whether this kubelet can run the pod template's containers.
    static func runnable(_ podSpec: JSONValue?) -> Bool {
        guard let containers = podSpec?["containers"]?.arrayValue, containers.count == 1, let container = containers.first else { return false }
        let image = container["image"]?.stringValue ?? ""
        let command = container["command"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let first = container["args"]?.arrayValue?.first?.stringValue ?? ""
        let imageIsOurs = image.contains("causeway")
        let commandIsOurs = command.isEmpty || command.last?.hasSuffix("causeway") == true
        return imageIsOurs && commandIsOurs && runnableCommands.contains(first)
    }

    private static func owners(of pod: JSONValue) -> [ObjectKey] {
        let namespace = pod[path: ["metadata", "namespace"]]?.stringValue ?? ""
        return (pod[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []).compactMap { ref in
            guard ref["kind"] == "Deployment", let name = ref["name"]?.stringValue else { return nil }
            return ObjectKey(namespace: namespace, name: name)
        }
    }

    private func syncDeployment(_ key: ObjectKey) {
        guard let deployment = server.store.get(Self.deployments, key),
              Self.runnable(deployment[path: ["spec", "template", "spec"]]),
              deployment[path: ["metadata", "deletionTimestamp"]] == nil,
              let uid = deployment[path: ["metadata", "uid"]]?.stringValue,
              let podDefinition = server.registry.lookup(group: "", version: "v1", resource: "pods") else { return }
        let template = deployment[path: ["spec", "template"]] ?? .object([:])
        let hash = String(StableHash.hex64(template.serialized()).prefix(10))
        let desired = Int(deployment[path: ["spec", "replicas"]]?.intValue ?? 1)
        let owned = server.store.list(Self.pods, namespace: key.namespace).items.filter { _, pod in
            (pod[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []).contains { $0["uid"]?.stringValue == uid }
                && pod[path: ["metadata", "deletionTimestamp"]] == nil
        }
        let current = owned.filter { $0.1[path: ["metadata", "labels", "pod-template-hash"]]?.stringValue == hash }
        let old = owned.filter { $0.1[path: ["metadata", "labels", "pod-template-hash"]]?.stringValue != hash }
        let readyCurrent = current.filter { Self.isReady($0.1) }.count

        for _ in current.count..<max(current.count, desired) {
            var pod: JSONValue = ["apiVersion": "v1", "kind": "Pod"]
            var labels = template[path: ["metadata", "labels"]]?.objectValue ?? [:]
            labels["pod-template-hash"] = .string(hash)
            pod["metadata"] = [
                "name": .string("\(key.name)-\(hash)-\(Self.suffix())"), "namespace": .string(key.namespace),
                "labels": .object(labels), "annotations": template[path: ["metadata", "annotations"]] ?? .object([:]),
                "ownerReferences": [[
                    "apiVersion": "apps/v1", "kind": "Deployment", "name": .string(key.name), "uid": .string(uid),
                    "controller": true, "blockOwnerDeletion": true,
                ]],
            ]
            var spec = template["spec"] ?? .object([:])
            spec["nodeName"] = .string(configuration.nodeName)
            pod["spec"] = spec
            do {
                _ = try server.create(podDefinition, namespace: key.namespace, body: pod, options: WriteOptions(fieldManager: Self.manager))
            } catch {
                logger.warning("could not create a pod", metadata: ["deployment": "\(key)", "error": "\(error)"])
            }
        }
        var victims: [ObjectKey] = []
        if current.count > desired { victims += current.map(\.0).sorted { $0.name > $1.name }.prefix(current.count - desired) }
        // Old pods go once the new ones can take the traffic (a surge rollout).
        if readyCurrent >= desired { victims += old.map(\.0) }
        for victim in victims {
            _ = try? server.delete(podDefinition, namespace: victim.namespace, name: victim.name, options: APIServer.DeleteOptions())
        }
        writeDeploymentStatus(key, uid: uid, desired: desired, current: current.count, ready: readyCurrent, total: owned.count,
                              generation: deployment[path: ["metadata", "generation"]] ?? 1)
    }

    private func writeDeploymentStatus(_ key: ObjectKey, uid: String, desired: Int, current: Int, ready: Int, total: Int,
                                       generation: JSONValue) {
        let now = ObjectMetaRules.timestamp(Date())
        _ = server.rewrite(ObjectLocation(storageKey: Self.deployments, objectKey: key), uid: uid, manager: Self.manager,
                           subresource: "status") { deployment in
            let available = ready >= desired
            var status: JSONValue = [
                "observedGeneration": generation, "replicas": .int(Int64(total)), "updatedReplicas": .int(Int64(current)),
                "readyReplicas": .int(Int64(ready)), "availableReplicas": .int(Int64(ready)),
                "unavailableReplicas": .int(Int64(max(0, desired - ready))),
            ]
            let previous = deployment[path: ["status", "conditions"]]?.arrayValue?.first
            let since = previous?["status"] == .string(available ? "True" : "False") ? previous?["lastTransitionTime"] ?? .string(now) : .string(now)
            status["conditions"] = [[
                "type": "Available", "status": .string(available ? "True" : "False"),
                "reason": .string(available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable"),
                "message": .string(available ? "Deployment has minimum availability." : "Deployment does not have minimum availability."),
                "lastTransitionTime": since, "lastUpdateTime": since,
            ]]
            if deployment["status"] == status { return nil }
            var next = deployment
            next["status"] = status
            return next
        }
    }

    private static func isReady(_ pod: JSONValue) -> Bool {
        (pod[path: ["status", "conditions"]]?.arrayValue ?? []).contains { $0["type"] == "Ready" && $0["status"] == "True" }
    }

    private static func suffix() -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String((0..<5).map { _ in alphabet.randomElement()! })
    }

    // MARK: Pods

    private func syncPod(_ key: ObjectKey) {
        let pod = server.store.get(Self.pods, key)
        let running = processes.withLock { $0.running[key] }
        guard let pod, pod[path: ["metadata", "deletionTimestamp"]] == nil,
              pod[path: ["spec", "nodeName"]]?.stringValue == configuration.nodeName,
              Self.runnable(pod["spec"]) else {
            if let running { stopProcess(key, running.process, address: nil) }
            return
        }
        let uid = pod[path: ["metadata", "uid"]]?.stringValue ?? ""
        if let running, running.uid == uid { return }
        if let running { stopProcess(key, running.process, address: nil) }
        launch(pod, key: key, uid: uid)
    }

    private func launch(_ pod: JSONValue, key: ObjectKey, uid: String) {
        let address: String
        if let existing = pod[path: ["status", "podIP"]]?.stringValue {
            configuration.pool.reserve(existing)
            address = existing
        } else if let fresh = configuration.pool.allocate() {
            address = fresh
        } else {
            logger.error("no pod address left", metadata: ["pod": "\(key)"])
            return
        }
        let container = pod[path: ["spec", "containers"]]?.arrayValue?.first ?? .object([:])
        let directory = configuration.directory.appendingPathComponent("pods").appendingPathComponent("\(key.namespace)_\(key.name)")
        var volumes = PodVolumes(root: directory)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try volumes.materialize(pod: pod, container: container, server: server)
        } catch {
            logger.warning("pod volumes not ready; will retry", metadata: ["pod": "\(key)", "error": "\(error)"])
            queue.asyncAfter(deadline: .now() + 1) { self.syncPod(key) }
            return
        }
        let bindings = bindAddresses(for: pod, podIP: address)
        var environment = ProcessInfo.processInfo.environment.filter { $0.key == "PATH" || $0.key == "HOME" }
        for variable in container["env"]?.arrayValue ?? [] {
            guard let name = variable["name"]?.stringValue else { continue }
            if let value = variable["value"]?.stringValue {
                environment[name] = volumes.hostPath(value)
            } else if let field = variable[path: ["valueFrom", "fieldRef", "fieldPath"]]?.stringValue {
                switch field {
                case "metadata.name": environment[name] = key.name
                case "metadata.namespace": environment[name] = key.namespace
                case "status.podIP": environment[name] = address
                case "spec.nodeName": environment[name] = configuration.nodeName
                default: break
                }
            }
        }
        environment["CAUSEWAY_BIND_ADDRESSES"] = bindings.joined(separator: ",")
        environment["CAUSEWAY_REUSE_PORT"] = "1"
        // The pod ends itself should this process die without stopping it.
        environment["CAUSEWAY_PARENT_PID"] = String(getpid())
        if configuration.portOffset != 0 { environment["CAUSEWAY_PORT_OFFSET"] = String(configuration.portOffset) }
        let arguments = (container["args"]?.arrayValue ?? []).compactMap(\.stringValue).map(volumes.hostPath)
        var probe: (Int, String)?
        if let httpGet = container[path: ["readinessProbe", "httpGet"]] {
            let ports: [JSONValue] = container["ports"]?.arrayValue ?? []
            var port: Int? = httpGet["port"]?.intValue.map { Int($0) }
            if port == nil, let named = httpGet["port"]?.stringValue {
                port = ports.first(where: { $0["name"]?.stringValue == named })?["containerPort"]?.intValue.map { Int($0) }
            }
            if let port { probe = (port, httpGet["path"]?.stringValue ?? "/") }
        }
        let grace = Duration.seconds(pod[path: ["spec", "terminationGracePeriodSeconds"]]?.intValue ?? 30)
        let launch = PodProcess.Launch(
            executable: configuration.executable, arguments: arguments, environment: environment, directory: directory,
            logFile: directory.appendingPathComponent("container.log"), probe: probe, address: address, gracePeriod: min(grace, .seconds(10)))
        let process = PodProcess(launch: launch) { [self] event in
            queue.async { self.report(event, key: key, uid: uid, address: address, container: container) }
        }
        let registered = processes.withLock { current -> Bool in
            guard !current.stopped else { return false }
            current.running[key] = (uid, process, bindings)
            return true
        }
        guard registered else {
            configuration.pool.release(address)
            return
        }
        process.start()
        logger.info("started pod", metadata: ["pod": "\(key)", "address": "\(address)", "bind": "\(bindings)"])
    }

    private func stopProcess(_ key: ObjectKey, _ process: PodProcess, address: String?) {
        processes.withLock { current in
            if current.running[key]?.process === process { current.running[key] = nil }
        }
        let pool = configuration.pool
        let podAddress = process.launch.address
        Task {
            await process.stop()
            if address == nil { pool.release(podAddress) }
        }
    }

    /// The pod's own address, and the load-balancer addresses of the Services that select it:
    /// in one network namespace, a proxy must listen on the address clients use.
    private func bindAddresses(for pod: JSONValue, podIP: String) -> [String] {
        let namespace = pod[path: ["metadata", "namespace"]]?.stringValue ?? ""
        let labels = ObjectMetaRules.labels(pod)
        var addresses = [podIP]
        for (_, service) in server.store.list(Self.services, namespace: namespace).items
        where service[path: ["spec", "type"]]?.stringValue == "LoadBalancer" {
            guard let selector = service[path: ["spec", "selector"]]?.objectValue, !selector.isEmpty,
                  selector.allSatisfy({ labels[$0.key] == $0.value.stringValue }) else { continue }
            for ingress in service[path: ["status", "loadBalancer", "ingress"]]?.arrayValue ?? [] {
                if let ip = ingress["ip"]?.stringValue, !addresses.contains(ip) { addresses.append(ip) }
            }
        }
        return addresses
    }

    /// A Service changed: pods whose load-balancer addresses changed restart to listen on them.
    private func refreshBindings(namespace: String) {
        let running = processes.withLock { $0.running.filter { $0.key.namespace == namespace } }
        for (key, entry) in running {
            guard let pod = server.store.get(Self.pods, key) else { continue }
            let wanted = bindAddresses(for: pod, podIP: entry.process.launch.address)
            guard wanted != entry.bindings else { continue }
            logger.info("pod addresses changed; restarting it", metadata: ["pod": "\(key)", "bind": "\(wanted)"])
            processes.withLock { $0.running[key] = nil }
            let process = entry.process
            Task {
                await process.stop()
                self.queue.async { self.syncPod(key) }
            }
        }
    }

    private func report(_ event: PodProcess.Event, key: ObjectKey, uid: String, address: String, container: JSONValue) {
        let now = ObjectMetaRules.timestamp(Date())
        let name = container["name"]?.stringValue ?? "main"
        _ = server.rewrite(ObjectLocation(storageKey: Self.pods, objectKey: key), uid: uid, manager: Self.manager, subresource: "status") { pod in
            var status = pod["status"] ?? .object([:])
            var ready = false
            let previousContainer = status["containerStatuses"]?.arrayValue?.first
            var restarts = Int64(previousContainer?["restartCount"]?.intValue ?? 0)
            var state: JSONValue
            switch event {
            case .started(let count):
                restarts = Int64(count)
                state = ["running": ["startedAt": .string(now)]]
            case .ready(let isReady):
                ready = isReady
                state = previousContainer?["state"] ?? ["running": ["startedAt": .string(now)]]
            case .exited(let code, let count):
                restarts = Int64(count)
                state = ["waiting": ["reason": "CrashLoopBackOff", "message": .string("exited with status \(code)")]]
            }
            status["phase"] = "Running"
            status["podIP"] = .string(address)
            status["podIPs"] = [["ip": .string(address)]]
            status["hostIP"] = "127.0.0.1"
            status["hostIPs"] = [["ip": "127.0.0.1"]]
            if status["startTime"] == nil { status["startTime"] = .string(now) }
            status["containerStatuses"] = [[
                "name": .string(name), "ready": .bool(ready), "started": .bool(ready), "restartCount": .int(restarts),
                "image": container["image"] ?? "", "imageID": "", "containerID": .string("causeway-dev://\(key.namespace)/\(key.name)"),
                "state": state,
            ]]
            func condition(_ type: String, _ value: Bool) -> JSONValue {
                let old = (status["conditions"]?.arrayValue ?? []).first { $0["type"] == .string(type) }
                let since = old?["status"] == .string(value ? "True" : "False") ? old?["lastTransitionTime"] ?? .string(now) : .string(now)
                return ["type": .string(type), "status": .string(value ? "True" : "False"), "lastTransitionTime": since]
            }
            status["conditions"] = [condition("PodScheduled", true), condition("Initialized", true),
                                    condition("ContainersReady", ready), condition("Ready", ready)]
            if pod["status"] == status { return nil }
            var next = pod
            next["status"] = status
            return next
        }
    }
}
