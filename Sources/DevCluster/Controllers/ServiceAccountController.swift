import Foundation
import KubeModel

/// Gives every namespace its `default` ServiceAccount, as the real control plane's service
/// account controller does, and puts it back if it is deleted.
final class ServiceAccountController: Sendable {
    let server: APIServer
    private let queue = DispatchQueue(label: "causeway.devcluster.serviceaccount-controller")
    static let namespaces = StorageKey(group: "", resource: "namespaces")
    static let serviceAccounts = StorageKey(group: "", resource: "serviceaccounts")

    init(server: APIServer) {
        self.server = server
    }

    func start() {
        server.onCommit { [self] event in
            switch (event.storageKey, event.kind) {
            case (Self.namespaces, .added):
                let name = event.objectKey.name
                queue.async { self.ensureDefault(in: name) }
            case (Self.serviceAccounts, .deleted) where event.objectKey.name == "default":
                let name = event.objectKey.namespace
                queue.async { self.ensureDefault(in: name) }
            default:
                break
            }
        }
        for (key, _) in server.store.list(Self.namespaces).items {
            queue.async { self.ensureDefault(in: key.name) }
        }
    }

    private func ensureDefault(in namespace: String) {
        guard let definition = server.registry.lookup(group: "", version: "v1", resource: "serviceaccounts"),
              let owner = server.store.get(Self.namespaces, ObjectKey(namespace: "", name: namespace)),
              !ObjectMetaRules.isDeleting(owner),
              server.store.get(Self.serviceAccounts, ObjectKey(namespace: namespace, name: "default")) == nil else { return }
        _ = try? server.create(definition, namespace: namespace,
                               body: ["apiVersion": "v1", "kind": "ServiceAccount", "metadata": ["name": "default"]],
                               options: WriteOptions(fieldManager: "kube-controller-manager"))
    }
}
