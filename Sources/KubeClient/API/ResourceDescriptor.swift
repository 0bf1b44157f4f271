import KubeModel

/// A served collection and how to address it: group/version/resource, the kind it holds, and
/// whether its objects live in a namespace.
public struct ResourceDescriptor: Sendable, Hashable, CustomStringConvertible {
    public var gvr: GroupVersionResource
    public var kind: String
    public var namespaced: Bool

    public init(group: String, version: String, resource: String, kind: String, namespaced: Bool) {
        gvr = GroupVersionResource(group: group, version: version, resource: resource)
        self.kind = kind
        self.namespaced = namespaced
    }

    public var apiVersion: String { gvr.apiVersion }
    public var description: String { gvr.description }

    /// `/api/v1/namespaces/ns/pods/name/status`, or `/apis/group/version/...` for named groups.
    /// A nil namespace on a namespaced resource addresses all namespaces (list and watch only).
    public func path(namespace: String?, name: String? = nil, subresource: String? = nil) -> String {
        var path = gvr.group.isEmpty ? "/api/\(gvr.version)" : "/apis/\(gvr.group)/\(gvr.version)"
        if namespaced, let namespace, !namespace.isEmpty { path += "/namespaces/\(PathEscaping.segment(namespace))" }
        path += "/\(gvr.resource)"
        if let name { path += "/\(PathEscaping.segment(name))" }
        if let subresource { path += "/\(subresource)" }
        return path
    }
}

extension ResourceDescriptor {
    public static let namespaces = ResourceDescriptor(group: "", version: "v1", resource: "namespaces", kind: "Namespace", namespaced: false)
    public static let configMaps = ResourceDescriptor(group: "", version: "v1", resource: "configmaps", kind: "ConfigMap", namespaced: true)
    public static let secrets = ResourceDescriptor(group: "", version: "v1", resource: "secrets", kind: "Secret", namespaced: true)
    public static let services = ResourceDescriptor(group: "", version: "v1", resource: "services", kind: "Service", namespaced: true)
    public static let pods = ResourceDescriptor(group: "", version: "v1", resource: "pods", kind: "Pod", namespaced: true)
    public static let events = ResourceDescriptor(group: "", version: "v1", resource: "events", kind: "Event", namespaced: true)
    public static let leases = ResourceDescriptor(group: "coordination.k8s.io", version: "v1", resource: "leases", kind: "Lease", namespaced: true)
}

enum PathEscaping {
    private static let unreserved: Set<UInt8> = Set(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8))

    /// Percent-encodes everything but RFC 3986 unreserved characters.
    static func escape(_ text: String, keeping extra: Set<UInt8> = []) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if unreserved.contains(byte) || extra.contains(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }

    static func segment(_ text: String) -> String { escape(text, keeping: Set(Array(":@".utf8))) }

    static func query(_ items: [(String, String)]) -> String {
        items.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
