import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// One request over a new HTTPS connection to 127.0.0.1, trusting only `trusting` (PEM) and
/// checking the certificate names `serverName` — what kube-apiserver does when it calls a webhook.
enum HTTPSClient {
    struct Response: Sendable {
        var status: Int
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    static func request(port: Int, method: HTTPMethod = .POST, path: String, body: [UInt8] = [], trusting: String?,
                        serverName: String = "localhost", group: any EventLoopGroup) async throws -> Response {
        let channel = try await ClientBootstrap(group: group).connect(host: "127.0.0.1", port: port) { channel in
            channel.eventLoop.makeCompletedFuture {
                if let trusting {
                    var configuration = TLSConfiguration.makeClientConfiguration()
                    configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(trusting.utf8)))
                    let context = try NIOSSLContext(configuration: configuration)
                    try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: context, serverHostname: serverName))
                }
                try channel.pipeline.syncOperations.addHTTPClientHandlers()
                return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
            }
        }
        return try await channel.executeThenClose { inbound, outbound in
            var head = HTTPRequestHead(version: .http1_1, method: method, uri: path)
            head.headers.add(name: "host", value: serverName)
            head.headers.add(name: "content-type", value: "application/json")
            head.headers.add(name: "content-length", value: String(body.count))
            try await outbound.write(.head(head))
            if !body.isEmpty { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body)))) }
            try await outbound.write(.end(nil))
            var status = 0
            var received: [UInt8] = []
            for try await part in inbound {
                switch part {
                case .head(let head): status = Int(head.status.code)
                case .body(let buffer): received += Array(buffer.readableBytesView)
                case .end: return Response(status: status, body: received)
                }
            }
            return Response(status: status, body: received)
        }
    }
}
