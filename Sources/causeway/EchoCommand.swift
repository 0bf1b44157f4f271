import ArgumentParser
import Foundation
import KubeModel
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ProcessSupport

/// `causeway echo`: a backend that answers every request with what it received (path, host,
/// method, headers) and who answered (pod, namespace), as JSON — in the manner of the Gateway API
/// conformance suite's echo server, so routes can be checked with curl. `?delay=500ms` delays the
/// answer; `X-Echo-Set-Header: Name:Value,...` adds response headers.
struct EchoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "echo", abstract: "Run an HTTP backend that echoes requests as JSON.")

    @Option(help: "Port to listen on.")
    var port: Int = Int(ProcessInfo.processInfo.environment["PORT"] ?? "") ?? 8080

    @Option(help: "Address to listen on (default: the first of CAUSEWAY_BIND_ADDRESSES, else all).")
    var address: String = ProcessInfo.processInfo.environment["CAUSEWAY_BIND_ADDRESSES"]?.split(separator: ",").first.map(String.init)
        ?? "0.0.0.0"

    func run() async throws {
        ParentWatch.startIfRequested()
        let environment = ProcessInfo.processInfo.environment
        let identity = EchoIdentity(pod: environment["POD_NAME"] ?? ProcessInfo.processInfo.hostName,
                                    namespace: environment["NAMESPACE"] ?? environment["POD_NAMESPACE"] ?? "",
                                    service: environment["SERVICE_NAME"] ?? "", port: port)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(EchoHandler(identity: identity))
                }
            }
            .bind(host: address, port: port).get()
        Console.line("causeway echo: listening on \(address):\(channel.localAddress?.port ?? port) as \(identity.namespace)/\(identity.pod)")
        await ShutdownSignal.wait()
        try await channel.close()
        try await group.shutdownGracefully()
    }
}

struct EchoIdentity: Sendable {
    var pod: String
    var namespace: String
    var service: String
    var port: Int
}

private final class EchoHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let identity: EchoIdentity
    private var head: HTTPRequestHead?

    init(identity: EchoIdentity) { self.identity = identity }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): self.head = head
        case .body: break
        case .end:
            guard let head else { return }
            self.head = nil
            let delay = URLComponents(string: head.uri)?.queryItems?.first { $0.name == "delay" }?.value.flatMap(Self.milliseconds) ?? 0
            let respond = { [self] in self.respond(to: head, context: context) }
            if delay > 0 {
                context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(delay)) { respond() }
            } else {
                respond()
            }
        }
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        var headers: [String: JSONValue] = [:]
        for (name, value) in head.headers { headers[name, default: .array([])] = .array((headers[name]?.arrayValue ?? []) + [.string(value)]) }
        let body: JSONValue = [
            "path": .string(head.uri), "host": .string(head.headers.first(name: "host") ?? ""), "method": .string(head.method.rawValue),
            "proto": .string("HTTP/\(head.version.major).\(head.version.minor)"), "headers": .object(headers),
            "namespace": .string(identity.namespace), "pod": .string(identity.pod), "service": .string(identity.service),
            "httpPort": .string(String(identity.port)),
        ]
        let bytes = body.prettySerialized() + [UInt8(ascii: "\n")]
        var response = HTTPHeaders()
        response.add(name: "content-type", value: "application/json")
        response.add(name: "content-length", value: String(bytes.count))
        response.add(name: "x-content-type-options", value: "nosniff")
        for pair in (head.headers.first(name: "x-echo-set-header") ?? "").split(separator: ",") {
            let parts = pair.split(separator: ":", maxSplits: 1)
            if parts.count == 2 { response.add(name: String(parts[0]).trimmingCharacters(in: .whitespaces), value: String(parts[1]).trimmingCharacters(in: .whitespaces)) }
        }
        if !head.isKeepAlive { response.add(name: "connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .ok, headers: response))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: bytes)))), promise: nil)
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !head.isKeepAlive { done.assumeIsolated().whenComplete { _ in context.close(promise: nil) } }
    }

    /// `500ms`, `1s`, `2m`: a Gateway API duration in milliseconds.
    static func milliseconds(_ text: String) -> Int64? {
        var total: Int64 = 0
        var number: Int64 = 0
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if let digit = character.wholeNumberValue {
                number = number * 10 + Int64(digit)
            } else if text[index...].hasPrefix("ms") {
                total += number; number = 0; index = text.index(after: index)
            } else if character == "s" {
                total += number * 1000; number = 0
            } else if character == "m" {
                total += number * 60_000; number = 0
            } else if character == "h" {
                total += number * 3_600_000; number = 0
            } else {
                return nil
            }
            index = text.index(after: index)
        }
        return number == 0 ? total : nil
    }
}
