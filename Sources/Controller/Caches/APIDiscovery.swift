import KubeClient
import KubeModel

/// Which versions of the Gateway API (and Causeway's own) kinds the API server serves right now.
/// Users may have installed an older Gateway API bundle, or none of some kinds (GRPCRoute came in
/// v1.1): the controller watches what exists and nothing else.
struct ServedKinds: Sendable, Equatable {
    /// Gateway API resource name → the version to use.
    var gatewayAPI: [String: String] = [:]
    var gatewayConfigs = false
    var meshConfigs = false
    var meshTLSPolicies = false
    /// networking.k8s.io/v1 Ingress and IngressClass (every supported Kubernetes serves them).
    var ingresses = false

    static func discover(_ client: KubeClient) async throws -> ServedKinds {
        var served = ServedKinds()
        if let group = try await groupVersions(client, path: "/apis/\(WatchedKind.gatewayAPIGroup)") {
            // Prefer v1; ReferenceGrant was v1beta1 only before v1.5.
            for version in group.reversed() {
                for resource in try await resources(client, path: "/apis/\(WatchedKind.gatewayAPIGroup)/\(version)") {
                    if served.gatewayAPI[resource] == nil || version == "v1" { served.gatewayAPI[resource] = version }
                }
            }
        }
        if let versions = try await groupVersions(client, path: "/apis/causeway.dev") {
            if versions.contains("v1alpha1") {
                let resources = try await resources(client, path: "/apis/causeway.dev/v1alpha1")
                served.gatewayConfigs = resources.contains("gatewayconfigs")
                served.meshConfigs = resources.contains("meshconfigs")
                served.meshTLSPolicies = resources.contains("meshtlspolicies")
            }
        }
        served.ingresses = try await resources(client, path: "/apis/networking.k8s.io/v1").contains("ingresses")
        return served
    }

    /// The group's versions, preferred first; nil when the group is not served.
    private static func groupVersions(_ client: KubeClient, path: String) async throws -> [String]? {
        do {
            let document = try await client.sendJSON(method: "GET", path: path)
            return (document["versions"]?.arrayValue ?? []).compactMap { $0["version"]?.stringValue }
        } catch let error as KubeAPIError where error.code == .notFound {
            return nil
        }
    }

    private static func resources(_ client: KubeClient, path: String) async throws -> [String] {
        do {
            let document = try await client.sendJSON(method: "GET", path: path)
            return (document["resources"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }.filter { !$0.contains("/") }
        } catch let error as KubeAPIError where error.code == .notFound {
            return []
        }
    }
}
