import Foundation
import NIOCore
import NIOPosix
import ProxyConfig
import Testing
@testable import Proxy

/// The sidecar's pieces that need no network namespace: protocol detection, the compiled
/// destination table, the downward API's labels file and the app probes it runs for the kubelet.
/// Capture itself runs in Tests/EndToEndTests/SidecarMeshEndToEndTests.swift.
@Suite struct SidecarTests {
    static func buffer(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    @Test func outboundBytesAreHTTPOnlyOnceAMethodAndSpaceOrThePrefaceArrive() {
        #expect(OutboundProtocol.decide(Self.buffer("GET / HTTP/1.1\r\n")) == .http)
        #expect(OutboundProtocol.decide(Self.buffer("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")) == .http)
        #expect(OutboundProtocol.decide(Self.buffer("DELETE ")) == .http)
        #expect(OutboundProtocol.decide(Self.buffer("GE")) == nil, "still a prefix of GET")
        #expect(OutboundProtocol.decide(Self.buffer("P")) == nil, "POST, PUT, PATCH or the preface")
        #expect(OutboundProtocol.decide(Self.buffer("GETX")) == .tcp)
        #expect(OutboundProtocol.decide(Self.buffer("\u{16}\u{03}\u{01}")) == .tcp, "a TLS ClientHello is relayed")
        #expect(OutboundProtocol.decide(Self.buffer("\0\0\0\u{8}")) == .tcp, "a binary protocol")
        #expect(OutboundProtocol.decide(ByteBuffer()) == nil)
    }

    @Test func inboundTLSIsTellTaleByItsFirstByte() {
        #expect(InboundTransport.decide(ByteBuffer(bytes: [0x16, 0x03, 0x01])) == .tls)
        #expect(InboundTransport.decide(Self.buffer("GET / HTTP/1.1")) == .plaintext)
        #expect(InboundTransport.decide(ByteBuffer()) == nil)
    }

    @Test func destinationsAreLookedUpByNormalisedAddressAndPort() throws {
        let routing = SidecarRouting(SidecarConfig(services: [
            MeshServicePort(service: "shop/web", addresses: ["10.96.0.10", "fd00:0:0::a"], port: 80, listener: "l", backend: "b"),
        ]))
        #expect(routing.service(at: try SocketAddress(ipAddress: "10.96.0.10", port: 80))?.service == "shop/web")
        #expect(routing.service(at: try SocketAddress(ipAddress: "fd00::a", port: 80))?.service == "shop/web")
        #expect(routing.service(at: try SocketAddress(ipAddress: "10.96.0.10", port: 81)) == nil)
        #expect(routing.service(at: try SocketAddress(ipAddress: "10.96.0.11", port: 80)) == nil, "not a mesh Service: passthrough")
    }

    @Test func theDownwardAPILabelsFileIsReadWithGoQuoting() {
        let labels = PodLabels.parse("""
            app="web"
            pod-template-hash="5d8f7c"
            note="say \\"hi\\"\\tthen\\\\go"
            empty=""

            """)
        #expect(labels == ["app": "web", "pod-template-hash": "5d8f7c", "note": "say \"hi\"\tthen\\go", "empty": ""])
    }

    @Test func appProbesRunAgainstTheAppOverLoopback() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let backend = try await TestBackend.start(name: "app", group: group)
        let refusing = try RefusingPort()
        defer { refusing.close() }
        let closed = refusing.port
        let probes = try AppProbes(json: """
            {"web/readiness": {"port": \(backend.port), "path": "/healthz", "scheme": "HTTP"},
             "web/liveness": {"port": \(backend.port), "path": "/reset", "scheme": "HTTP"},
             "web/startup": {"port": \(backend.port), "tcp": true},
             "db/readiness": {"port": \(closed), "tcp": true},
             "db/liveness": {"port": \(closed), "path": "/", "scheme": "HTTP"}}
            """)
        #expect(await probes.run(path: "/app-health/web/readiness", group: group) == true)
        #expect(await probes.run(path: "/app-health/web/liveness", group: group) == false, "no response is a failure")
        #expect(await probes.run(path: "/app-health/web/startup", group: group) == true)
        #expect(await probes.run(path: "/app-health/db/readiness", group: group) == false)
        #expect(await probes.run(path: "/app-health/db/liveness", group: group) == false)
        #expect(await probes.run(path: "/app-health/other/readiness", group: group) == nil)
        #expect(throws: DecodingError.self) { try AppProbes(json: #"{"web/readiness": {"path": "/"}}"#) }

        let runtime = ProxyRuntime(appProbes: probes, group: group)
        #expect(await runtime.healthAnswer("/app-health/web/readiness").status == .ok)
        #expect(await runtime.healthAnswer("/app-health/db/readiness").status == .serviceUnavailable)
        #expect(await runtime.healthAnswer("/app-health/nope/readiness").status == .notFound)
        await backend.stop()
        try await group.shutdownGracefully()
    }
}
