import Crypto
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization
import Testing
import TestSupport
import WorkloadCA
@testable import Proxy

/// The proxy's CA client against a small CA on loopback that signs with an in-process
/// `WorkloadCA` and can be told to fail or to change its bundle.
@Suite struct WorkloadCertificateClientTests {
    final class FakeCA: Sendable {
        let ca: MeshTLSTests.CA
        let failing = Atomic<Bool>(false)
        let signings = Atomic<Int>(0)
        let bundle: Mutex<TrustBundle>
        let reports = Mutex<[String]>([])
        let channel: Mutex<Channel?> = Mutex(nil)

        init() throws {
            ca = try MeshTLSTests.CA()
            bundle = Mutex(ca.bundle)
        }

        func start(group: any EventLoopGroup) async throws -> Int {
            let server = try await ServerBootstrap(group: group)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                        try channel.pipeline.syncOperations.addHandler(FakeCAHandler(owner: self))
                    }
                }
                .bind(host: "127.0.0.1", port: 0).get()
            channel.withLock { $0 = server }
            return server.localAddress!.port!
        }

        func stop() async { try? await channel.withLock { $0 }?.close() }

        func answer(_ head: HTTPRequestHead, body: [UInt8]) -> (HTTPResponseStatus, [UInt8]) {
            reports.withLock { $0.append(head.headers.first(name: CAProtocol.bundleHeader) ?? "") }
            if failing.load(ordering: .relaxed) { return (.serviceUnavailable, Array(#"{"code":"Unavailable","message":"down"}"#.utf8)) }
            let bundle = self.bundle.withLock { $0 }
            do {
                if head.uri == CAProtocol.trustBundlePath {
                    return (.ok, Array(try JSONEncoder().encode(TrustBundleResponse(trustBundle: bundle.pem, fingerprint: bundle.fingerprint))))
                }
                let request = try JSONDecoder().decode(CertificateRequest.self, from: Data(body))
                var generator = SystemRandomNumberGenerator()
                let certificate = try ca.ca.sign(pem: request.csr, for: MeshTLSTests.clientID,
                                                 requestedLifetime: request.lifetimeSeconds.map(TimeInterval.init), now: Date(),
                                                 generator: &generator)
                signings.add(1, ordering: .relaxed)
                return (.ok, Array(try JSONEncoder().encode(CertificateResponse(
                    certificateChain: certificate.chainPEM, trustBundle: bundle.pem, trustBundleFingerprint: bundle.fingerprint))))
            } catch {
                return (.badRequest, Array("\(error)".utf8))
            }
        }
    }

    final class FakeCAHandler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let owner: FakeCA
        var head: HTTPRequestHead?
        var body: [UInt8] = []

        init(owner: FakeCA) { self.owner = owner }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                body = []
            case .body(let buffer): body.append(contentsOf: buffer.readableBytesView)
            case .end:
                guard let head else { return }
                let (status, answer) = owner.answer(head, body: body)
                var headers = HTTPHeaders()
                headers.add(name: "content-length", value: String(answer.count))
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: answer)))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }

    @Test func obtainsRenewsBeforeExpiryKeepsItsCertificateWhileTheCAIsDownAndFollowsTheBundle() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let fake = try FakeCA()
        let port = try await fake.start(group: group)
        let identity = WorkloadIdentity(trustDomain: MeshTLSTests.trustDomain)
        let client = try WorkloadCertificateClient(
            settings: .init(url: "http://127.0.0.1:\(port)", caFile: nil, tokenFile: nil, namespace: "mesh", serviceAccount: "client",
                            pod: "client-0", lifetime: 2, bundlePollInterval: .milliseconds(50)),
            identity: identity, group: group, logger: Logger(label: "test"))
        let running = Task { await client.run() }
        defer { running.cancel() }

        // A certificate for exactly this identity, renewed at about half of its 2 s. The first one
        // waits for a key to be generated, which takes seconds on a loaded debug build: the bound is generous.
        #expect(await eventually(timeout: .seconds(20)) { identity.current != nil })
        let first = try #require(identity.current)
        #expect(first.identity == MeshTLSTests.clientID)
        #expect(await eventually(timeout: .seconds(15)) { identity.current?.certificate.serialNumber != first.certificate.serialNumber })
        #expect(identity.current.map { $0.certificate.notAfter > first.certificate.notAfter } == true)

        // The CA goes away: the proxy keeps the certificate it has and keeps asking.
        fake.failing.store(true, ordering: .relaxed)
        let held = try #require(identity.current).certificate.serialNumber
        func failures() -> Int {
            identity.renderMetrics().split(separator: "\n").first { $0.contains("result=\"failure\"") }
                .flatMap { $0.split(separator: " ").last.flatMap { Int($0) } } ?? 0
        }
        #expect(await eventually(timeout: .seconds(5)) { failures() >= 2 })
        #expect(identity.current?.certificate.serialNumber == held)
        fake.failing.store(false, ordering: .relaxed)
        #expect(await eventually(timeout: .seconds(10)) { identity.current?.certificate.serialNumber != held })

        // A second root in the CA's bundle reaches the proxy through its poll, and the proxy
        // reports the bundle it holds.
        let next = try MeshTLSTests.CA()
        let rotated = TrustBundle(roots: [fake.ca.root.certificate, next.root.certificate])
        fake.bundle.withLock { $0 = rotated }
        #expect(await eventually(timeout: .seconds(5)) { identity.current?.bundle.fingerprint == rotated.fingerprint })
        #expect(await eventually(timeout: .seconds(5)) { fake.reports.withLock { $0.last } == rotated.fingerprint })
        running.cancel()
        await running.value
        await fake.stop()
        try await group.shutdownGracefully()
    }
}
