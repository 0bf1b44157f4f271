import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The app's own kubelet probes, which the injector moved to the proxy's health port
/// (`/app-health/<container>/<readiness|liveness|startup>`): under STRICT mTLS the kubelet's
/// plaintext probe of the app's port would be refused, so the proxy runs the original probe
/// against the app over loopback and answers with its outcome. The originals come from the
/// `CAUSEWAY_APP_PROBES` environment variable the injector sets.
public struct AppProbes: Sendable {
    struct Probe: Decodable, Sendable, Equatable {
        var port: Int
        var path: String?
        var scheme: String?
        var tcp: Bool?
    }

    let probes: [String: Probe]
    /// How long one probe may take; the kubelet's own timeout on its request to the proxy
    /// usually ends it sooner.
    static let timeout = TimeAmount.seconds(10)

    /// - Throws: `DecodingError` when the variable is not the injector's JSON.
    public init(json: String) throws {
        probes = try JSONDecoder().decode([String: Probe].self, from: Data(json.utf8))
    }

    public static let pathPrefix = "/app-health/"

    /// Runs the probe named by `path`; nil when there is no such probe. Success means what it
    /// means to the kubelet: a connection for TCP, a status from 200 to 399 for HTTP(S).
    public func run(path: String, group: any EventLoopGroup) async -> Bool? {
        guard path.hasPrefix(Self.pathPrefix), let probe = probes[String(path.dropFirst(Self.pathPrefix.count))] else { return nil }
        do {
            if probe.tcp == true {
                let channel = try await ClientBootstrap(group: group).connectTimeout(Self.timeout)
                    .connect(host: "127.0.0.1", port: probe.port).get()
                try? await channel.close()
                return true
            }
            return try await httpStatus(probe, group: group).map { (200..<400).contains($0) } ?? false
        } catch {
            return false
        }
    }

    private func httpStatus(_ probe: Probe, group: any EventLoopGroup) async throws -> Int? {
        let https = probe.scheme?.uppercased() == "HTTPS"
        let eventLoop = group.next()
        let promise = eventLoop.makePromise(of: Int?.self)
        let connecting = ClientBootstrap(group: eventLoop).connectTimeout(Self.timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if https {
                        // The kubelet does not verify the app's certificate either.
                        var tls = TLSConfiguration.makeClientConfiguration()
                        tls.certificateVerification = .none
                        try channel.pipeline.syncOperations.addHandler(
                            NIOSSLClientHandler(context: NIOSSLContext(configuration: tls), serverHostname: nil))
                    }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(ProbeResponseHandler(promise: promise))
                }
            }
            .connect(host: "127.0.0.1", port: probe.port)
        let channel: any Channel
        do {
            channel = try await connecting.get()
        } catch {
            promise.succeed(nil)
            throw error
        }
        var headers = HTTPHeaders()
        headers.add(name: "host", value: "127.0.0.1:\(probe.port)")
        headers.add(name: "user-agent", value: "kube-probe (via causeway)")
        headers.add(name: "connection", value: "close")
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: probe.path ?? "/", headers: headers)
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        let timeout = eventLoop.scheduleTask(in: Self.timeout) { channel.close(promise: nil) }
        defer {
            timeout.cancel()
            channel.close(promise: nil)
        }
        return try await promise.futureResult.get()
    }
}

/// Completes with the status of the first response head, or nil if the connection closes first.
private final class ProbeResponseHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    private let promise: EventLoopPromise<Int?>
    private var completed = false

    init(promise: EventLoopPromise<Int?>) { self.promise = promise }

    private func complete(_ status: Int?) {
        guard !completed else { return }
        completed = true
        promise.succeed(status)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = unwrapInboundIn(data) { complete(Int(head.status.code)) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        complete(nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        complete(nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        complete(nil)
        context.close(promise: nil)
    }
}
