import DevCluster
import Foundation
import KubeClient
import KubeModel

/// The API server an integration test talks to: a DevCluster started in-process on 127.0.0.1
/// (port 0), or, when `CAUSEWAY_TEST_KUBECONFIG` names a kubeconfig, that existing cluster —
/// as controller-runtime's envtest does with `USE_EXISTING_CLUSTER`.
final class TestCluster: Sendable {
    static let externalKubeconfig = ProcessInfo.processInfo.environment["CAUSEWAY_TEST_KUBECONFIG"]
    static var isExternal: Bool { externalKubeconfig != nil }

    let devCluster: DevCluster?
    let kubeconfig: KubeConfigFile
    /// A namespace of this test's own, so parallel tests do not see each other's objects.
    let namespace: String

    private init(devCluster: DevCluster?, kubeconfig: KubeConfigFile, namespace: String) {
        self.devCluster = devCluster
        self.kubeconfig = kubeconfig
        self.namespace = namespace
    }

    static func start(dataDirectory: URL? = nil, port: Int = 0, eventLogCapacity: Int? = nil) async throws -> TestCluster {
        let namespace = "kc-" + UUID().uuidString.lowercased().prefix(12)
        let cluster: TestCluster
        if let path = externalKubeconfig {
            cluster = TestCluster(devCluster: nil, kubeconfig: try KubeConfigFile(path: path), namespace: String(namespace))
        } else {
            var configuration = DevCluster.Configuration()
            configuration.dataDirectory = dataDirectory
            configuration.port = port
            if let eventLogCapacity { configuration.eventLogCapacity = eventLogCapacity }
            let dev = try await DevCluster.start(configuration)
            cluster = TestCluster(devCluster: dev, kubeconfig: try KubeConfigFile(yaml: dev.kubeconfig()), namespace: String(namespace))
        }
        _ = try await cluster.client().resource(.namespaces).create(["metadata": ["name": .string(cluster.namespace)]])
        return cluster
    }

    /// The client configuration of a kubeconfig context (the current one by default), aimed at the test namespace.
    func config(context: String? = nil, qps: Double = 500, burst: Int = 1000) throws -> ClientConfig {
        var config = try kubeconfig.clientConfig(context: Self.isExternal ? nil : context)
        config.namespace = namespace
        config.qps = qps
        config.burst = burst
        return config
    }

    func client(context: String? = nil) throws -> KubeClient {
        KubeClient(config: try config(context: context))
    }

    /// Deletes the test namespace (on an existing cluster) and stops the DevCluster (if started here).
    func stop() async {
        if let devCluster {
            await devCluster.stop()
        } else if let client = try? client() {
            _ = try? await client.resource(.namespaces).delete(namespace)
        }
    }
}

/// Runs `body` with a fresh cluster and always stops it.
func withTestCluster<T>(dataDirectory: URL? = nil, _ body: (TestCluster) async throws -> T) async throws -> T {
    let cluster = try await TestCluster.start(dataDirectory: dataDirectory)
    do {
        let result = try await body(cluster)
        await cluster.stop()
        return result
    } catch {
        await cluster.stop()
        throw error
    }
}
