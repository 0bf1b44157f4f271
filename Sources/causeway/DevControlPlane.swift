import APIMachinery
import DevCluster
import Foundation
import KubeModel

/// What `causeway dev` installs into its API server before the controller starts, the way the
/// Helm chart does in a cluster: the Gateway API CRDs (only those absent — they belong to the
/// user), Causeway's own CRDs, its namespace, and the default GatewayClass and IngressClass.
enum DevControlPlane {
    static let namespace = "causeway-system"

    /// The `Manifests` directory: the one given, else `./Manifests`, else next to the binary's
    /// checkout or install prefix.
    static func locateManifests(_ explicit: String?) throws -> URL {
        if let explicit { return URL(fileURLWithPath: explicit) }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var candidates = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("Manifests")]
        var directory = executable.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(directory.appendingPathComponent("Manifests"))
            candidates.append(directory.appendingPathComponent("share/causeway/Manifests"))
            directory = directory.deletingLastPathComponent()
        }
        guard let found = candidates.first(where: {
            FileManager.default.fileExists(atPath: $0.appendingPathComponent("gateway-api/standard").path)
        }) else {
            throw DevControlPlaneError(
                "cannot find Causeway's Manifests directory (looked in \(candidates.map(\.path).joined(separator: ", "))); pass --manifests")
        }
        return found
    }

    /// Installs what the controller needs; returns one line per object for the console.
    static func install(into cluster: DevCluster, manifests: URL) throws -> [String] {
        let applier = ManifestApplier(server: cluster.apiServer)
        var lines: [String] = []
        let gatewayAPI = manifests.appendingPathComponent("gateway-api/standard")
        for file in try yamlFiles(in: gatewayAPI) {
            for object in try JSONValue.documents(yaml: String(contentsOf: file, encoding: .utf8)) {
                lines.append(try applier.create(object))
            }
        }
        for file in try yamlFiles(in: manifests.appendingPathComponent("crds")) {
            lines += try applier.apply(file: file)
        }
        let defaults: [JSONValue] = [
            ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(namespace)]],
            [
                "apiVersion": "gateway.networking.k8s.io/v1", "kind": "GatewayClass", "metadata": ["name": "causeway"],
                "spec": ["controllerName": "causeway.dev/gateway-controller", "description": "Causeway gateways"],
            ],
            [
                "apiVersion": "networking.k8s.io/v1", "kind": "IngressClass",
                "metadata": ["name": "causeway", "annotations": ["ingressclass.kubernetes.io/is-default-class": "true"]],
                "spec": ["controller": "causeway.dev/ingress-controller"],
            ],
        ]
        for object in defaults { lines.append(try applier.create(object)) }
        return lines
    }

    private static func yamlFiles(in directory: URL) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "yaml" || $0.pathExtension == "yml" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }
}

struct DevControlPlaneError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
