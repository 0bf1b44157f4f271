import Foundation
import NIOCore
import ProxyConfig
import Testing
@testable import Proxy

/// HTTP/2, TLS and trailers, driven by real clients. Debian packages: curl, nghttp2-client, openssl.
@Suite("HTTP/2, TLS and trailers")
struct HTTP2Tests {
    @Test func h2cPriorKnowledgeWithCurl() async throws {
        guard let curl = ExternalTool.find("curl") else {
            print("skipped: curl not installed (Debian package: curl)")
            return
        }
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

    @Test func manyConcurrentStreamsWithH2load() async throws {
        guard let h2load = ExternalTool.find("h2load") else {
            print("skipped: h2load not installed (Debian package: nghttp2-client)")
            return
        }
        let fixture = try await ProxyFixture.start { TestConfig.simple($0) }
        let result = try await ExternalTool.run(h2load, ["-n", "400", "-c", "4", "-m", "20", "http://127.0.0.1:\(fixture.port)/load"])
        #expect(result.stdout.contains("400 succeeded, 0 failed"), "\(result.stdout)")
        #expect(result.stdout.contains("status codes: 400 2xx"))
        await fixture.stop()
    }

    /// Two certificates on one HTTPS listener; the ClientHello's SNI picks one; ALPN offers h2.
    @Test func tlsTerminationWithSNIAndALPN() async throws {
        guard let curl = ExternalTool.find("curl"), let openssl = ExternalTool.find("openssl") else {
            print("skipped: curl or openssl not installed (Debian packages: curl, openssl)")
            return
        }
        let directory = try TestCertificate.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        guard let first = try await TestCertificate.make(commonName: "a.example", in: directory),
            let second = try await TestCertificate.make(commonName: "b.example", in: directory)
        else { return }
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
    @Test func grpcShapedTrailersWithNghttp() async throws {
        guard let nghttp = ExternalTool.find("nghttp") else {
            print("skipped: nghttp not installed (Debian package: nghttp2-client)")
            return
        }
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
        await fixture.stop()
    }
}
