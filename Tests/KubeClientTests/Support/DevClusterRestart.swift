import DevCluster
import Foundation

/// Starts DevCluster again on the same port and data directory, as after a crash or upgrade.
struct DevClusterRestart {
    var directory: URL
    var port: Int

    mutating func start() async throws -> DevCluster {
        var configuration = DevCluster.Configuration()
        configuration.dataDirectory = directory
        configuration.port = port
        return try await DevCluster.start(configuration)
    }
}
