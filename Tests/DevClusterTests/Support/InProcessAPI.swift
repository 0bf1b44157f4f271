import Foundation
@testable import DevCluster
import KubeModel

/// An API server with its controllers, as `DevCluster.start` wires it, called through the same
/// entry point the HTTP layer uses — without sockets, so API rules are tested fast and exactly.
struct InProcessAPI {
    let server: APIServer

    init() throws {
        server = APIServer(store: try ObjectStore())
        CRDController(server: server).start()
        BuiltInControllers.start(server)
        try Bootstrap.ensureSystemNamespaces(server)
    }

    struct Answer {
        var status: Int
        var body: JSONValue
        var warnings: [String]
    }

    func call(_ method: String, _ target: String, _ body: JSONValue? = nil, contentType: String = "application/json",
              accept: String? = nil) -> Answer {
        let (path, query) = APIRequest.splitTarget(target)
        var headers = ["content-type": contentType, "user-agent": "tests/1.0"]
        if let accept { headers["accept"] = accept }
        let response = server.handle(APIRequest(method: method, path: path, query: query, headers: headers,
                                                body: body?.serialized() ?? []))
        guard case .body(let status, _, let bytes, let warnings) = response else { return Answer(status: 0, body: .null, warnings: []) }
        return Answer(status: status, body: (try? JSONValue(parsing: bytes)) ?? .null, warnings: warnings)
    }
}
