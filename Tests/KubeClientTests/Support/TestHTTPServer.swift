import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A tiny HTTP/1.1 server on 127.0.0.1, port 0, whose answers a test scripts.
final class TestHTTPServer: Sendable {
    struct Request: Sendable {
        var method: String
        var uri: String
        var headers: [(String, String)]
        var body: [UInt8]

        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    /// What to send back. `writer` lets a test stream chunks and decide when to end.
    struct Reply: Sendable {
        var status: Int
        var headers: [(String, String)]
        var body: [UInt8]
        var stream: (@Sendable (ChunkWriter) async throws -> Void)?

        static func json(_ status: Int, _ text: String, headers: [(String, String)] = []) -> Reply {
            Reply(status: status, headers: [("Content-Type", "application/json")] + headers, body: Array(text.utf8))
        }

        static func streaming(_ status: Int = 200, _ write: @escaping @Sendable (ChunkWriter) async throws -> Void) -> Reply {
            Reply(status: status, headers: [("Content-Type", "application/json")], body: [], stream: write)
        }
    }

    struct ChunkWriter: Sendable {
        let outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>
        func write(_ text: String) async throws {
            try await outbound.write(.body(.byteBuffer(ByteBuffer(string: text))))
        }
    }

    let port: Int
    private let channel: NIOAsyncChannel<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, Never>
    private let serveTask: Locked<Task<Void, Never>?> = Locked(nil)
    private let recorded = Locked<[Request]>([])

    var requests: [Request] { recorded.withLock { $0 } }

    init(handler: @escaping @Sendable (Request) async -> Reply) async throws {
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(wrappingChannelSynchronously: child)
                }
            }
        port = channel.channel.localAddress!.port!
        let channel = self.channel
        let recorded = self.recorded
        let task = Task {
            await withDiscardingTaskGroup { group in
                do {
                    try await channel.executeThenClose { inbound in
                        for try await connection in inbound {
                            group.addTask { await Self.serve(connection, handler: handler, recorded: recorded) }
                        }
                    }
                } catch {}
            }
        }
        serveTask.withLock { $0 = task }
    }

    private static func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>,
                              handler: @Sendable (Request) async -> Reply, recorded: Locked<[Request]>) async {
        try? await connection.executeThenClose { inbound, outbound in
            var current: Request?
            for try await part in inbound {
                switch part {
                case .head(let head):
                    current = Request(method: head.method.rawValue, uri: head.uri,
                                      headers: head.headers.map { ($0.name, $0.value) }, body: [])
                case .body(let buffer):
                    current?.body.append(contentsOf: buffer.readableBytesView)
                case .end:
                    guard let request = current else { continue }
                    recorded.withLock { $0.append(request) }
                    let reply = await handler(request)
                    var headers = HTTPHeaders(reply.headers)
                    if reply.stream == nil { headers.replaceOrAdd(name: "Content-Length", value: String(reply.body.count)) }
                    try await outbound.write(.head(HTTPResponseHead(version: .http1_1, status: .init(statusCode: reply.status), headers: headers)))
                    if let stream = reply.stream {
                        try await stream(ChunkWriter(outbound: outbound))
                        // The connection stays open: closing now could drop bytes still queued for a
                        // client that reads slowly.
                        try await outbound.write(.end(nil))
                        continue
                    }
                    if !reply.body.isEmpty { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: reply.body)))) }
                    try await outbound.write(.end(nil))
                }
            }
        }
    }

    var url: String { "http://127.0.0.1:\(port)" }

    func shutdown() async {
        try? await channel.channel.close()
        let task = serveTask.withLock { $0 }
        task?.cancel()
        await task?.value
    }
}
