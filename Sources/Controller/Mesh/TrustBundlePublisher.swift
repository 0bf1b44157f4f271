import Foundation
import KubeClient
import KubeModel
import Logging

/// Keeps a ConfigMap `causeway-trust-bundle` (key `ca.crt`) with the mesh's roots in every
/// namespace, the way workloads and sidecars find them: created in new namespaces, rewritten when
/// someone edits or deletes it, updated when a root rotation changes the bundle.
struct TrustBundlePublisher: Sendable {
    static let name = "causeway-trust-bundle"
    static let key = "ca.crt"
    static let fieldManager = "causeway-mesh-ca"

    let client: KubeClient
    let caches: ClusterCaches
    let logger: Logger

    /// Applies the bundle where the cache shows it missing or different; returns how many were written.
    @discardableResult
    func publish(_ pem: String) async -> Int {
        var written = 0
        for namespace in caches.namespaces.cache.list() {
            guard let name = namespace.metaName, namespace[path: ["status", "phase"]]?.stringValue != "Terminating",
                  namespace[path: ["metadata", "deletionTimestamp"]] == nil else { continue }
            let existing = caches.configMaps.cache.get(name: Self.name, namespace: name)
            if existing?[path: ["data", Self.key]]?.stringValue == pem { continue }
            let object: JSONValue = [
                "apiVersion": "v1", "kind": "ConfigMap",
                "metadata": ["name": .string(Self.name), "namespace": .string(name),
                             "labels": ["app.kubernetes.io/managed-by": "causeway", "causeway.dev/trust-bundle": "true"]],
                "data": [.init(Self.key): .string(pem)],
            ]
            do {
                _ = try await client.resource(.configMaps).patch(Self.name, namespace: name, kind: .apply(fieldManager: Self.fieldManager, force: true),
                                                                 patch: object)
                written += 1
            } catch {
                logger.warning("could not publish the trust bundle", metadata: ["namespace": "\(name)", "error": "\(error)"])
            }
        }
        return written
    }
}
