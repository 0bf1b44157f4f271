import Foundation
import KubeModel

/// Finishes namespace deletion: once a namespace is Terminating, deletes everything in it and,
/// when nothing is left, clears its `kubernetes` finalizer so the namespace itself goes.
/// Objects with finalizers of their own hold the namespace until those are removed.
final class NamespaceController: Sendable {
    let server: APIServer
    private let queue = DispatchQueue(label: "causeway.devcluster.namespace-controller")
    static let namespaces = StorageKey(group: "", resource: "namespaces")

    init(server: APIServer) {
        self.server = server
    }

    func start() {
        server.onCommit { [self] event in
            if event.storageKey == Self.namespaces {
                guard ObjectMetaRules.isDeleting(event.object), event.kind != .deleted else { return }
                let name = event.objectKey.name
                queue.async { self.sync(name) }
            } else if event.kind == .deleted, !event.objectKey.namespace.isEmpty {
                let name = event.objectKey.namespace
                guard let namespace = server.store.get(Self.namespaces, ObjectKey(namespace: "", name: name)),
                      ObjectMetaRules.isDeleting(namespace) else { return }
                queue.async { self.sync(name) }
            }
        }
        for (key, namespace) in server.store.list(Self.namespaces).items where ObjectMetaRules.isDeleting(namespace) {
            queue.async { self.sync(key.name) }
        }
    }

    private func sync(_ name: String) {
        guard let namespace = server.store.get(Self.namespaces, ObjectKey(namespace: "", name: name)),
              ObjectMetaRules.isDeleting(namespace) else { return }
        var remaining = 0
        for key in server.store.storageKeys {
            guard let definition = server.registry.anyVersion(of: key), definition.namespaced else { continue }
            for (objectKey, object) in server.store.list(key, namespace: name).items {
                remaining += 1
                if ObjectMetaRules.isDeleting(object) { continue }
                var options = APIServer.DeleteOptions()
                options.propagation = .background
                _ = try? server.delete(definition, namespace: name, name: objectKey.name, options: options)
            }
        }
        let left = server.store.storageKeys.reduce(0) { count, key in
            guard let definition = server.registry.anyVersion(of: key), definition.namespaced else { return count }
            return count + server.store.list(key, namespace: name).items.count
        }
        guard remaining == 0 || left == 0 else { return }
        var body = namespace
        body[path: ["spec", "finalizers"]] = .array([])
        _ = try? server.finalizeNamespace(name: name, body: body)
    }
}
