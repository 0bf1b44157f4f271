import Foundation
import KubeModel

/// What a new cluster has before anyone writes to it.
enum Bootstrap {
    static let systemNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"]

    static func ensureSystemNamespaces(_ server: APIServer) throws {
        guard let namespaces = server.registry.lookup(group: "", version: "v1", resource: "namespaces") else { return }
        for name in systemNamespaces where server.store.get(namespaces.storageKey, ObjectKey(namespace: "", name: name)) == nil {
            _ = try server.create(namespaces, namespace: nil,
                                  body: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]],
                                  options: WriteOptions(fieldManager: "causeway-dev"))
        }
    }

    /// The admin bearer token; kept in the data directory so kubeconfigs survive restarts.
    static func adminToken(_ server: APIServer, directory: URL?) throws -> String {
        let groups = ["system:masters", "system:authenticated"]
        if let directory {
            let url = directory.appendingPathComponent("admin.token")
            if let saved = try? String(contentsOf: url, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines), !saved.isEmpty {
                server.tokens.register(saved, .init(username: "causeway-admin", uid: "causeway-admin", groups: groups,
                                                    audiences: [], expires: nil))
                return saved
            }
            let token = server.tokens.issue(for: "causeway-admin", groups: groups)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try token.write(to: url, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
            return token
        }
        return server.tokens.issue(for: "causeway-admin", groups: groups)
    }
}
