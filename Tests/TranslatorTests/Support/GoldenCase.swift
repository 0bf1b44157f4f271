import APIMachinery
import Foundation
import KubeModel
import KubeTypes
import ProxyConfig
import Translator

/// One golden case: `testdata/<name>.in.yaml` (Kubernetes objects, plus optional test-only
/// `TestDataPlane` documents) translated and rendered as `testdata/<name>.out.yaml`.
///
/// Data planes are taken to be running the configuration they were just given, at address
/// 192.0.2.1, unless a `TestDataPlane` document says otherwise:
///
/// ```yaml
/// kind: TestDataPlane
/// metadata: {name: gateway/default/gw}      # the ProxyKey
/// addresses: []                              # none assigned yet
/// proxies: [{name: p-0, state: rejected, message: "..."}]   # current | stale | rejected
/// ```
struct GoldenCase {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("testdata")

    let name: String

    static func all() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".in.yaml") }
            .map { String($0.dropLast(".in.yaml".count)) }
            .sorted()
    }

    var inputURL: URL { Self.directory.appendingPathComponent("\(name).in.yaml") }
    var outputURL: URL { Self.directory.appendingPathComponent("\(name).out.yaml") }

    /// Translates the input the way the controller's loop would after the proxies answered.
    func render() throws -> String {
        var snapshot = ResourceSnapshot()
        var planes: [String: JSONValue] = [:]
        for object in try JSONValue.documents(yaml: String(contentsOf: inputURL, encoding: .utf8)) {
            if object["kind"]?.stringValue == "TestDataPlane" {
                planes[object[path: ["metadata", "name"]]?.stringValue ?? ""] = object
            } else if try !snapshot.add(TestCertificates.fillIn(object)) {
                throw GoldenFailure("\(name): unexpected kind \(object["kind"]?.stringValue ?? "?")")
            }
        }
        let first = Translator.translate(snapshot)
        for (key, config) in first.proxyConfigs {
            snapshot.dataPlanes[key] = Self.dataPlane(planes[key.description], version: config.version)
        }
        for key in first.gatewayStatuses.keys where !first.proxyConfigs.keys.contains(where: { $0.description == "gateway/\(key)" }) {
            let parts = key.split(separator: "/")
            let proxyKey = ProxyKey.gateway(namespace: String(parts[0]), name: String(parts[1]))
            if snapshot.dataPlanes[proxyKey] == nil, let plane = planes[proxyKey.description] {
                snapshot.dataPlanes[proxyKey] = Self.dataPlane(plane, version: nil)
            }
        }
        let result = Translator.translate(snapshot)
        return try Self.document(result).yamlString()
    }

    private static func dataPlane(_ spec: JSONValue?, version: String?) -> DataPlaneState {
        let addresses = spec?["addresses"]?.arrayValue?.compactMap(\.stringValue) ?? ["192.0.2.1"]
        let proxies = spec?["proxies"]?.arrayValue ?? [["name": "proxy-0", "state": "current"]]
        return DataPlaneState(
            addresses: addresses.map { GatewayAPI.Gateway.Address(type: "IPAddress", value: $0) },
            proxies: proxies.map { proxy in
                let name = proxy["name"]?.stringValue ?? "proxy"
                switch proxy["state"]?.stringValue {
                case "stale": return ProxyReport(name: name, appliedVersion: "0-stale")
                case "rejected":
                    return ProxyReport(name: name, appliedVersion: "0-stale", rejectedVersion: version,
                                       rejectionMessage: proxy["message"]?.stringValue)
                default: return ProxyReport(name: name, appliedVersion: version)
                }
            })
    }

    /// The result as one YAML document with sorted keys; empty `lastTransitionTime`s dropped.
    static func document(_ result: TranslationResult) throws -> JSONValue {
        let encoder = JSONValueEncoder()
        var out: [String: JSONValue] = [:]
        func put(_ key: String, _ entries: [String: JSONValue]) { if !entries.isEmpty { out[key] = .object(entries) } }
        put("gatewayClasses", try result.gatewayClassStatuses.mapValues { try encoder.encode($0) })
        put("gateways", try result.gatewayStatuses.mapValues { try encoder.encode($0) })
        put("httpRoutes", try result.httpRouteParents.mapValues { try encoder.encode($0) })
        put("grpcRoutes", try result.grpcRouteParents.mapValues { try encoder.encode($0) })
        put("ingresses", try result.ingressStatuses.mapValues { try encoder.encode($0) })
        put("ingressWarnings", try result.ingressWarnings.mapValues { try encoder.encode($0) })
        put("meshTLSPolicies", try result.meshTLSPolicyStatuses.mapValues { try encoder.encode($0) })
        // The content hash of a version changes with the generated certificates; the generation stays.
        put("proxyConfigs", try Dictionary(uniqueKeysWithValues: result.proxyConfigs.map { key, config in
            var masked = config
            masked.version = "\(ConfigVersion.generation(of: config.version) ?? -1)-<hash>"
            return (key.description, try encoder.encode(masked))
        }))
        put("infrastructure", Dictionary(uniqueKeysWithValues: result.infrastructure.map { ($0.key.description, describe($0.value)) }))
        return TestCertificates.maskPEM(stripEmptyTimes(.object(out)))
    }

    private static func describe(_ plan: InfrastructurePlan) -> JSONValue {
        var fields: [String: JSONValue] = [
            "namespace": .string(plan.namespace), "name": .string(plan.name),
            "owner": .string("\(plan.owner.kind)/\(plan.owner.name)"),
            "ports": .array(plan.ports.map { .int(Int64($0)) }),
        ]
        if let config = try? JSONValueEncoder().encode(plan.config), config != .object([:]) { fields["config"] = config }
        if !plan.labels.isEmpty { fields["labels"] = .object(plan.labels.mapValues { .string($0) }) }
        if !plan.annotations.isEmpty { fields["annotations"] = .object(plan.annotations.mapValues { .string($0) }) }
        if let address = plan.requestedAddress { fields["requestedAddress"] = .string(address) }
        return .object(fields)
    }

    private static func stripEmptyTimes(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let fields):
            var copy: [String: JSONValue] = [:]
            for (key, child) in fields where !(key == "lastTransitionTime" && child == .string("")) {
                copy[key] = stripEmptyTimes(child)
            }
            return .object(copy)
        case .array(let items): return .array(items.map(stripEmptyTimes))
        default: return value
        }
    }
}

struct GoldenFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
