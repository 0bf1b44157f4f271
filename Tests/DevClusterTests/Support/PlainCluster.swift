import Foundation
@testable import DevCluster
import KubeModel

/// A DevCluster over plain HTTP (no TLS, no authentication), so `RawHTTPConnection` can speak
/// to it byte for byte, with writes made in process — faster than any client and exactly ordered.
struct PlainCluster {
    let cluster: DevCluster

    var port: Int { cluster.server.port }
    var store: ObjectStore { cluster.store }

    static func run<T>(_ configure: (inout DevCluster.Configuration) -> Void = { _ in },
                       journal: (any StoreJournal)? = nil,
                       _ body: (PlainCluster) async throws -> T) async throws -> T {
        var configuration = DevCluster.Configuration()
        configuration.tls = false
        configure(&configuration)
        let cluster = try await DevCluster.start(configuration, journal: journal)
        do {
            let result = try await body(PlainCluster(cluster: cluster))
            await cluster.stop()
            return result
        } catch {
            await cluster.stop()
            throw error
        }
    }

    /// Sends one request through the API entry point the HTTP layer uses; returns status and body.
    @discardableResult
    func call(_ method: String, _ target: String, _ body: JSONValue? = nil,
              contentType: String = "application/json") -> (status: Int, body: JSONValue) {
        let (path, query) = APIRequest.splitTarget(target)
        let response = cluster.apiServer.handle(APIRequest(method: method, path: path, query: query,
                                                           headers: ["content-type": contentType],
                                                           body: body?.serialized() ?? []))
        guard case .body(let status, _, let bytes, _) = response else { return (0, .null) }
        return (status, (try? JSONValue(parsing: bytes)) ?? .null)
    }
}
