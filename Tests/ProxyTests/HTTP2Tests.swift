import Foundation
import NIOCore
import ProxyConfig
import Testing
import TestSupport
@testable import Proxy

/// HTTP/2, TLS and trailers, driven by real clients. Debian packages: curl, nghttp2-client, openssl.
@Suite("HTTP/2, TLS and trailers")
struct HTTP2Tests {
    @Test(.enabled(if: ExternalTool.find("curl") != nil, "needs curl (Debian package: curl)"))
    func h2cPriorKnowledgeWithCurl() async throws {
        let curl = try #require(ExternalTool.find("curl"))
        let fixture = try await ProxyFixture.start { TestConfig.simple($0) }
        let result = try await ExternalTool.run(curl, [
            "-s", "--http2-prior-knowledge", "-H", "Host: example.com", "-w", "\nversion=%{http_version} status=%{http_code}",
            "http://127.0.0.1:\(fixture.port)/h2c?x=1",
        ])
        #expect(result.stdout.contains("version=2 status=200"), "\(result.stdout) \(result.stderr)")
        #expect(result.stdout.contains("GET /h2c?x=1\n"))
        #expect(result.stdout.contains("x-forwarded-proto: http\n"))
        // The same listener still speaks HTTP/1.1.
        let plain = try await ExternalTool.run(curl, ["-s", "-w", "\nversion=%{http_version}", "http://127.0.0.1:\(fixture.port)/h1"])
        #expect(plain.stdout.contains("version=1.1"))
        await fixture.stop()
    }

    @Test(.enabled(if: ExternalTool.find("h2load") != nil, "needs h2load (Debian package: nghttp2-client)"))
    func manyConcurrentStreamsWithH2load() async throws {
        let h2load = try #require(ExternalTool.find("h2load"))
        let fixture = try await ProxyFixture.start { TestConfig.simple($0) }
        let result = try await ExternalTool.run(h2load, ["-n", "400", "-c", "4", "-m", "20", "http://127.0.0.1:\(fixture.port)/load"])
        #expect(result.stdout.contains("400 succeeded, 0 failed"), "\(result.stdout)")
        #expect(result.stdout.contains("status codes: 400 2xx"))
        await fixture.stop()
    }

    /// Two certificates on one HTTPS listener; the ClientHello's SNI picks one; ALPN offers h2.
    @Test(.enabled(
        if: ExternalTool.find("curl") != nil && ExternalTool.find("openssl") != nil, "needs curl and openssl (Debian packages: curl, openssl)"))
    func tlsTerminationWithSNIAndALPN() async throws {
        let curl = try #require(ExternalTool.find("curl"))
        let openssl = try #require(ExternalTool.find("openssl"))
        let directory = try TestCertificate.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try #require(try await TestCertificate.make(commonName: "a.example", in: directory))
        let second = try #require(try await TestCertificate.make(commonName: "b.example", in: directory))
        let tls = TLSConfig(certificates: [
            TLSCertificate(hostnames: ["a.example"], certificateChain: .file(first.certificatePath), privateKey: .file(first.keyPath)),
            TLSCertificate(hostnames: ["b.example"], certificateChain: .file(second.certificatePath), privateKey: .file(second.keyPath)),
        ])
        let fixture = try await ProxyFixture.start { ports in
            TestConfig.config(
                routes: [TestConfig.route("r", rules: [HTTPRouteRule(backendRefs: [HTTPBackendRef(backend: "a")])])],
                backends: [TestConfig.backend("a", port: ports["a"]!)], protocol: .https, tls: tls, listenerName: "http")
        }
        let port = fixture.port
        for name in ["a.example", "b.example"] {
            let handshake = try await ExternalTool.run(
                openssl, ["s_client", "-connect", "127.0.0.1:\(port)", "-servername", name, "-alpn", "h2"], stdin: "")
            #expect(handshake.stdout.contains("subject=CN = \(name)") || handshake.stdout.contains("subject=CN=\(name)"), "\(handshake.stdout)")
            #expect(handshake.stdout.contains("ALPN protocol: h2"))
            let response = try await ExternalTool.run(curl, [
                "-s", "--http2", "--cacert", name == "a.example" ? first.certificatePath : second.certificatePath,
                "--resolve", "\(name):\(port):127.0.0.1", "-w", "\nversion=%{http_version} status=%{http_code}",
                "https://\(name):\(port)/secure",
            ])
            #expect(response.stdout.contains("version=2 status=200"), "\(response.stdout) \(response.stderr)")
            #expect(response.stdout.contains("x-forwarded-proto: https\n"))
        }
        let http1 = try await ExternalTool.run(curl, [
            "-s", "--http1.1", "--cacert", first.certificatePath, "--resolve", "a.example:\(port):127.0.0.1",
            "-w", "\nversion=%{http_version}", "https://a.example:\(port)/h1",
        ])
        #expect(http1.stdout.contains("version=1.1"))
        await fixture.stop()
    }

    /// A client that reuses a connection made for one listener's host to ask for another's gets
    /// 421, so it opens a new connection with the right SNI (and certificate).
    @Test(.enabled(if: ExternalTool.find("curl") != nil && ExternalTool.find("openssl") != nil, "needs curl and openssl (Debian packages: curl, openssl)"))
    func misdirectedRequestIs421() async throws {
        let curl = try #require(ExternalTool.find("curl"))
        let directory = try TestCertificate.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try #require(try await TestCertificate.make(commonName: "a.example", in: directory))
        let second = try #require(try await TestCertificate.make(commonName: "b.example", in: directory))
        let tls = TLSConfig(certificates: [
            TLSCertificate(hostnames: ["a.example"], certificateChain: .file(first.certificatePath), privateKey: .file(first.keyPath)),
            TLSCertificate(hostnames: ["b.example"], certificateChain: .file(second.certificatePath), privateKey: .file(second.keyPath)),
        ])
        let fixture = try await ProxyFixture.start { ports in
            let route = TestConfig.route("r", rules: [HTTPRouteRule(backendRefs: [HTTPBackendRef(backend: "a")])])
            var config = TestConfig.config(routes: [route], backends: [TestConfig.backend("a", port: ports["a"]!)], protocol: .https, tls: tls)
            config.listeners[0].virtualHosts = [
                VirtualHost(name: "a", hostname: "a.example", routes: [route]),
                VirtualHost(name: "b", hostname: "b.example", routes: [route]),
            ]
            return config
        }
        let port = fixture.port
        func status(host: String) async throws -> String {
            let result = try await ExternalTool.run(curl, [
                "-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", first.certificatePath,
                "--resolve", "a.example:\(port):127.0.0.1", "-H", "Host: \(host)", "https://a.example:\(port)/",
            ])
            return result.stdout
        }
        #expect(try await status(host: "a.example") == "200")
        #expect(try await status(host: "b.example") == "421")
        await fixture.stop()
    }

    @Test func http1ClientToH2cBackendGetsTrailers() async throws {
        let fixture = try await ProxyFixture.start(h2cBackends: ["a"]) { ports in
            TestConfig.config(
                routes: [TestConfig.route("r", rules: [HTTPRouteRule(backendRefs: [HTTPBackendRef(backend: "a")])])],
                backends: [TestConfig.backend("a", port: ports["a"]!, protocol: .h2c)])
        }
        let client = try await TestHTTPClient.connect(port: fixture.port, group: fixture.group)
        let echo = try await client.request(.POST, "/echo", headers: [("te", "trailers")], body: ByteBuffer(string: "hello"))
        #expect(echo.status == 200)
        #expect(echo.body.contains("body-bytes: 5\n"))
        #expect(echo.body.contains("te: trailers\n"))
        let grpc = try await client.request(.POST, "/trailers", headers: [("te", "trailers"), ("content-type", "application/grpc")])
        #expect(grpc.body == "payload")
        #expect(grpc.trailers?.first(name: "grpc-status") == "0")
        #expect(grpc.trailers?.first(name: "grpc-message") == "ok")
        await client.close()
        await fixture.stop()
    }

    @Test func anIdleH2cBackendConnectionClosesAfterTheIdleTimeoutAndStaysWhileUsed() async throws {
        let fixture = try await ProxyFixture.start(h2cBackends: ["a"], threads: 1) { ports in
            var backend = TestConfig.backend("a", port: ports["a"]!, protocol: .h2c)
            backend.idleTimeout = GatewayDuration(milliseconds: 1_000)
            return TestConfig.config(
                routes: [TestConfig.route("r", rules: [HTTPRouteRule(backendRefs: [HTTPBackendRef(backend: "a")])])],
                backends: [backend])
        }
        let backend = fixture.backends["a"]!
        let client = try await TestHTTPClient.connect(port: fixture.port, group: fixture.group)
        // The first stream leaves the connection idle and its timer armed; the second outlasts the
        // timer, which must find the connection busy and leave it open.
        #expect(try await client.request(.GET, "/first").status == 200)
        #expect(try await client.request(.GET, "/slow?ms=1500").status == 200)
        #expect(backend.connections.load(ordering: .relaxed) == 1)
        #expect(await eventually(timeout: .seconds(5)) { backend.closedConnections.load(ordering: .relaxed) == 1 })
        #expect(try await client.request(.GET, "/after").status == 200)
        #expect(backend.connections.load(ordering: .relaxed) == 2)
        await client.close()
        await fixture.stop()
    }

    /// nginx closes an HTTP/2 connection after 1,000 streams with a GOAWAY; a stream the proxy
    /// opened after the GOAWAY's last stream id was never processed and is sent again on a new
    /// connection, whatever its method, and the old connection takes no new stream.
    @Test func aStreamAboveTheBackendsGoAwayIsSentAgainOnANewConnection() async throws {
        let fixture = try await ProxyFixture.start(h2cBackends: ["a"], threads: 1) { ports in
            TestConfig.config(
                routes: [TestConfig.route("r", rules: [HTTPRouteRule(backendRefs: [HTTPBackendRef(backend: "a")])])],
                backends: [TestConfig.backend("a", port: ports["a"]!, protocol: .h2c)])
        }
        let backend = fixture.backends["a"]!
        let client = try await TestHTTPClient.connect(port: fixture.port, group: fixture.group)
        // Streams 1 and 3 are served; stream 5 gets GOAWAY(last: 3) and must be sent again.
        #expect(try await client.request(.GET, "/goaway?after=2").status == 200)
        #expect(try await client.request(.GET, "/goaway?after=2").status == 200)
        let refused = try await client.request(.POST, "/goaway?after=2")
        #expect(refused.status == 200)
        #expect(refused.body.hasPrefix("POST /goaway?after=2\n"))
        #expect(backend.connections.load(ordering: .relaxed) == 2)
        #expect(try await client.request(.GET, "/after").status == 200)
        #expect(backend.connections.load(ordering: .relaxed) == 2)
        // The old connection had no stream left, so the proxy closed it.
        #expect(await eventually(timeout: .seconds(5)) { backend.closedConnections.load(ordering: .relaxed) == 1 })
        await client.close()
        await fixture.stop()
    }

    /// After a connection error NIO sends GOAWAY but leaves the connection open, and streams
    /// opened on it hang: the pool must retire it and dial a new one.
    @Test func aBackendConnectionErrorRetiresTheConnection() async throws {
        let fixture = try await ProxyFixture.start(h2cBackends: ["a"], threads: 1) { ports in
            TestConfig.config(
                routes: [TestConfig.route("r", rules: [HTTPRouteRule(
                    backendRefs: [HTTPBackendRef(backend: "a")],
                    timeouts: HTTPRouteTimeouts(backendRequest: GatewayDuration(milliseconds: 300)))])],
                backends: [TestConfig.backend("a", port: ports["a"]!, protocol: .h2c)])
        }
        let backend = fixture.backends["a"]!
        let client = try await TestHTTPClient.connect(port: fixture.port, group: fixture.group)
        #expect(try await client.request(.GET, "/first").status == 200)
        #expect(try await client.request(.GET, "/connection-error").status == 504)
        #expect(try await client.request(.GET, "/after").status == 200)
        #expect(backend.connections.load(ordering: .relaxed) == 2)
        await client.close()
        await fixture.stop()
    }

    @Test func requestTrailersReachTheBackend() async throws {
        let fixture = try await ProxyFixture.start(h2cBackends: ["a"]) { ports in
            TestConfig.config(
                routes: [TestConfig.route("r", rules: [HTTPRouteRule(backendRefs: [HTTPBackendRef(backend: "a")])])],
                backends: [TestConfig.backend("a", port: ports["a"]!, protocol: .h2c)])
        }
        let raw = "POST /t HTTP/1.1\r\nHost: example.com\r\nTE: trailers\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n0\r\nx-checksum: 42\r\n\r\n"
        let text = try await RawClient.exchange(port: fixture.port, raw, group: fixture.group)
        #expect(text.statusCodes == [200])
        #expect(text.contains("trailer x-checksum: 42\n"))
        await fixture.stop()
    }

    /// gRPC-shaped exchange end to end over HTTP/2 on both sides: h2 client, h2c backend, trailers back.
    @Test(.enabled(if: ExternalTool.find("nghttp") != nil, "needs nghttp (Debian package: nghttp2-client)"))
    func grpcShapedTrailersWithNghttp() async throws {
        let nghttp = try #require(ExternalTool.find("nghttp"))
        let fixture = try await ProxyFixture.start(h2cBackends: ["a"]) { ports in
            TestConfig.config(
                routes: [TestConfig.route("r", rules: [HTTPRouteRule(backendRefs: [HTTPBackendRef(backend: "a")])])],
                backends: [TestConfig.backend("a", port: ports["a"]!, protocol: .h2c)])
        }
        let result = try await ExternalTool.run(nghttp, [
            "-v", "-H", "te: trailers", "-H", "content-type: application/grpc", "http://127.0.0.1:\(fixture.port)/trailers",
        ])
        #expect(result.stdout.contains("grpc-status: 0"), "\(result.stdout)")
        #expect(result.stdout.contains("grpc-message: ok"))
        #expect(result.stdout.contains("payload"))
        // A request body over HTTP/2 on both sides (gRPC clients stream like this).
        let directory = try TestCertificate.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let bodyPath = directory + "/body"
        try Data(repeating: UInt8(ascii: "g"), count: 100_000).write(to: URL(fileURLWithPath: bodyPath))
        let upload = try await ExternalTool.run(nghttp, ["-d", bodyPath, "-H", "te: trailers", "http://127.0.0.1:\(fixture.port)/echo"])
        #expect(upload.stdout.contains("POST /echo\n"), "\(upload.stdout) \(upload.stderr)")
        #expect(upload.stdout.contains("body-bytes: 100000\n"))
        await fixture.stop()
    }
}
