import Foundation
import KubeModel

/// What a container's volume mounts hold, written into the pod's directory: projected
/// service-account tokens (from the TokenRequest API, for their audience), ConfigMap and Secret
/// keys, empty directories. Paths inside the container become paths under the pod's directory.
struct PodVolumes {
    let root: URL
    /// Container mount path → host directory.
    private(set) var mounts: [(container: String, host: URL)] = []

    init(root: URL) { self.root = root }

    /// Writes every mounted volume; throws when a referenced object is missing (the pod waits).
    mutating func materialize(pod: JSONValue, container: JSONValue, server: APIServer) throws {
        let namespace = pod[path: ["metadata", "namespace"]]?.stringValue ?? "default"
        let serviceAccount = pod[path: ["spec", "serviceAccountName"]]?.stringValue ?? "default"
        let volumes = Dictionary(
            (pod[path: ["spec", "volumes"]]?.arrayValue ?? []).compactMap { v in v["name"]?.stringValue.map { ($0, v) } },
            uniquingKeysWith: { a, _ in a })
        for mount in container["volumeMounts"]?.arrayValue ?? [] {
            guard let name = mount["name"]?.stringValue, let path = mount["mountPath"]?.stringValue, let volume = volumes[name] else { continue }
            let directory = root.appendingPathComponent("volumes").appendingPathComponent(name)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            if let sources = volume[path: ["projected", "sources"]]?.arrayValue {
                for source in sources {
                    if let token = source["serviceAccountToken"] {
                        let request: JSONValue = ["spec": [
                            "audiences": token["audience"].map { .array([$0]) } ?? .array([]),
                            "expirationSeconds": token["expirationSeconds"] ?? 3600,
                        ]]
                        let answer = try server.requestToken(namespace: namespace, serviceAccount: serviceAccount, body: request)
                        try write(answer[path: ["status", "token"]]?.stringValue ?? "", to: directory,
                                  file: token["path"]?.stringValue ?? "token")
                    }
                    if let configMap = source["configMap"]?["name"]?.stringValue {
                        try copyData(kind: "configmaps", name: configMap, namespace: namespace, into: directory, server: server, base64: false)
                    }
                }
            } else if let configMap = volume[path: ["configMap", "name"]]?.stringValue {
                try copyData(kind: "configmaps", name: configMap, namespace: namespace, into: directory, server: server, base64: false)
            } else if let secret = volume[path: ["secret", "secretName"]]?.stringValue {
                try copyData(kind: "secrets", name: secret, namespace: namespace, into: directory, server: server, base64: true)
            }
            mounts.append((path, directory))
        }
    }

    /// A container path with its mount replaced by the host directory; other text unchanged.
    func hostPath(_ text: String) -> String {
        for mount in mounts.sorted(by: { $0.container.count > $1.container.count })
        where text == mount.container || text.hasPrefix(mount.container + "/") {
            return mount.host.path + text.dropFirst(mount.container.count)
        }
        return text
    }

    private func copyData(kind: String, name: String, namespace: String, into directory: URL, server: APIServer, base64: Bool) throws {
        guard let definition = server.registry.lookup(group: "", version: "v1", resource: kind) else { return }
        let object = try server.get(definition, namespace: namespace, name: name)
        for (key, value) in object["data"]?.objectValue ?? [:] {
            guard let text = value.stringValue else { continue }
            if base64, case .success(let bytes) = Base64.decode(text) {
                try write(String(decoding: bytes, as: UTF8.self), to: directory, file: key)
            } else {
                try write(text, to: directory, file: key)
            }
        }
    }

    private func write(_ text: String, to directory: URL, file: String) throws {
        let url = directory.appendingPathComponent(file)
        try text.write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
    }
}
