import NIOCore
import ProxyConfig
import Testing
@testable import Proxy

/// HTTP/1.0 clients and request-target forms over a raw socket, where nginx and HAProxy already
/// behave: 1.0 keep-alive, Transfer-Encoding in a 1.0 request (smuggling), chunked responses to
/// 1.0 clients, and absolute-form targets (RFC 9112 §9.3, §6.1, §7, §3.2.2).
@Suite struct HTTP10AndFramingTests {
    @Test func anHTTP10KeepAliveClientIsToldTheConnectionStaysAndCanUseIt() async throws {
        let fixture = try await ProxyFixture.start { TestConfig.simple($0) }
        defer { Task { await fixture.stop() } }
        let text = try await RawClient.exchange(
            port: fixture.port,
            "GET /one HTTP/1.0\r\nHost: example.com\r\nConnection: keep-alive\r\n\r\n"
                + "GET /two HTTP/1.0\r\nHost: example.com\r\nConnection: keep-alive\r\n\r\n",
            group: fixture.group, idle: .milliseconds(300))
        let responses = text.components(separatedBy: "HTTP/1.0 200 OK").dropFirst()
        #expect(responses.count == 2, "\(text)")
        for response in responses {
            #expect(response.lowercased().contains("connection: keep-alive"), "\(response)")
            #expect(response.lowercased().contains("content-length:"))
        }
        #expect(text.contains("GET /one") && text.contains("GET /two"))
    }

    @Test func transferEncodingInAnHTTP10RequestIsRefusedAndNothingAfterItIsForwarded() async throws {
        let fixture = try await ProxyFixture.start { TestConfig.simple($0) }
        defer { Task { await fixture.stop() } }
        let text = try await RawClient.exchange(
            port: fixture.port,
            "POST /upload HTTP/1.0\r\nHost: example.com\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n"
                + "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: example.com\r\n\r\n",
            group: fixture.group, idle: .milliseconds(500))
        #expect(text.hasPrefix("HTTP/1.0 400"), "\(text)")
        #expect(text.lowercased().contains("connection: close"))
        #expect(!text.contains("\nHTTP/1."), "one response only: \(text)")
        #expect(fixture.backends["a"]?.requests.load(ordering: .relaxed) == 0)
    }

    @Test func aChunkedResponseReachesAnHTTP10ClientUnchunkedAndCloseDelimited() async throws {
        let fixture = try await ProxyFixture.start { TestConfig.simple($0) }
        defer { Task { await fixture.stop() } }
        let text = try await RawClient.exchange(port: fixture.port, "GET /trailers HTTP/1.0\r\nHost: example.com\r\n\r\n",
                                                group: fixture.group, idle: .seconds(2))
        #expect(text.hasPrefix("HTTP/1.0 200"), "\(text)")
        #expect(!text.lowercased().contains("transfer-encoding"), "\(text)")
        #expect(text.hasSuffix("\r\n\r\npayload"), "the body as sent, no chunk sizes: \(text)")
    }

    @Test func anAbsoluteFormTargetIsRoutedByItsAuthority() async throws {
        let fixture = try await ProxyFixture.start { ports in
            TestConfig.config(routes: [TestConfig.route("api", hostnames: ["api.example.com"], rules: [
                HTTPRouteRule(backendRefs: [HTTPBackendRef(backend: "a")]),
            ])], backends: [TestConfig.backend("a", port: ports["a"]!)])
        }
        defer { Task { await fixture.stop() } }
        let text = try await RawClient.exchange(
            port: fixture.port,
            "GET http://api.example.com/v1/users?page=2 HTTP/1.1\r\nHost: elsewhere.invalid\r\nConnection: close\r\n\r\n",
            group: fixture.group)
        #expect(text.hasPrefix("HTTP/1.1 200"), "\(text)")
        #expect(text.contains("GET /v1/users?page=2\n"), "\(text)")
        #expect(text.contains("host: api.example.com\n"), "\(text)")
        let bare = try await RawClient.exchange(
            port: fixture.port, "GET HTTP://api.example.com HTTP/1.1\r\nConnection: close\r\n\r\n", group: fixture.group)
        #expect(bare.hasPrefix("HTTP/1.1 200"), "\(bare)")
        #expect(bare.contains("GET /\n"), "\(bare)")
    }
}
