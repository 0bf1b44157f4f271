import KubeModel

/// The discovery documents kubectl reads before anything else: `/version`, `/api`, `/api/v1`,
/// `/apis`, `/apis/GROUP/VERSION`. Legacy (unaggregated) discovery; kubectl falls back to it.
enum Discovery {
    static let serverVersion: JSONValue = [
        "major": "1", "minor": "32", "gitVersion": "v1.32.0-causeway", "gitCommit": "", "gitTreeState": "clean",
        "buildDate": "2026-11-21T00:00:00Z", "goVersion": "swift6", "compiler": "swift", "platform": "linux/amd64",
    ]

    static func coreVersions(serverAddress: String) -> JSONValue {
        ["kind": "APIVersions", "versions": ["v1"],
         "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": .string(serverAddress)]]]
    }

    static func groupList(_ registry: ResourceRegistry) -> JSONValue {
        var groups: [JSONValue] = []
        for (group, versions) in registry.groupVersions where !group.isEmpty {
            groups.append(groupDocument(group, versions: versions, registry: registry))
        }
        return ["kind": "APIGroupList", "apiVersion": "v1", "groups": .array(groups)]
    }

    static func groupDocument(_ group: String, versions: [String], registry: ResourceRegistry) -> JSONValue {
        let storage = registry.all.first { $0.group == group && $0.version == $0.storageVersion }?.version ?? versions[0]
        let preferred = versions.contains(storage) ? storage : versions[0]
        let entries: [JSONValue] = versions.map { ["groupVersion": .string("\(group)/\($0)"), "version": .string($0)] }
        return ["kind": "APIGroup", "apiVersion": "v1", "name": .string(group), "versions": .array(entries),
                "preferredVersion": ["groupVersion": .string("\(group)/\(preferred)"), "version": .string(preferred)]]
    }

    static func resourceList(group: String, version: String, registry: ResourceRegistry) -> JSONValue? {
        let definitions = registry.resources(group: group, version: version)
        guard !definitions.isEmpty else { return nil }
        var resources: [JSONValue] = []
        for definition in definitions {
            var entry: [String: JSONValue] = [
                "name": .string(definition.resource), "singularName": .string(definition.singular),
                "namespaced": .bool(definition.namespaced), "kind": .string(definition.kind),
                "verbs": .array(definition.verbs.map { .string($0) }),
            ]
            if !definition.shortNames.isEmpty { entry["shortNames"] = .array(definition.shortNames.map { .string($0) }) }
            if !definition.categories.isEmpty { entry["categories"] = .array(definition.categories.map { .string($0) }) }
            if !definition.isVirtual {
                entry["storageVersionHash"] = .string(storageVersionHash(definition))
            }
            resources.append(.object(entry))
            if definition.hasStatus {
                resources.append(["name": .string("\(definition.resource)/status"), "singularName": "",
                                  "namespaced": .bool(definition.namespaced), "kind": .string(definition.kind),
                                  "verbs": ["get", "patch", "update"]])
            }
            if definition.scale != nil {
                resources.append(["name": .string("\(definition.resource)/scale"), "singularName": "",
                                  "namespaced": .bool(definition.namespaced), "group": "autoscaling", "version": "v1",
                                  "kind": "Scale", "verbs": ["get", "patch", "update"]])
            }
            if definition.group.isEmpty, definition.resource == "serviceaccounts" {
                resources.append(["name": "serviceaccounts/token", "singularName": "", "namespaced": true,
                                  "group": "authentication.k8s.io", "version": "v1", "kind": "TokenRequest", "verbs": ["create"]])
            }
            if definition.group.isEmpty, definition.resource == "namespaces" {
                resources.append(["name": "namespaces/finalize", "singularName": "", "namespaced": false,
                                  "kind": "Namespace", "verbs": ["update"]])
            }
        }
        let groupVersion = group.isEmpty ? version : "\(group)/\(version)"
        return ["kind": "APIResourceList", "apiVersion": "v1", "groupVersion": .string(groupVersion),
                "resources": .array(resources)]
    }

    /// A short stable hash of the storage identity, as the real server publishes (8 bytes, base64).
    private static func storageVersionHash(_ definition: ResourceDefinition) -> String {
        var hash: UInt64 = 14_695_981_039_346_656_037
        for byte in "\(definition.group)/\(definition.storageVersion)/\(definition.kind)".utf8 {
            hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211
        }
        let bytes = withUnsafeBytes(of: hash.bigEndian) { Array($0) }
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        var out = ""
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            var value = 0
            for byte in chunk { value = value << 8 | Int(byte) }
            value <<= (3 - chunk.count) * 8
            for position in 0..<4 {
                if position <= chunk.count {
                    out.append(alphabet[(value >> (18 - position * 6)) & 0x3F])
                } else {
                    out.append("=")
                }
            }
            index += 3
        }
        return out
    }
}
