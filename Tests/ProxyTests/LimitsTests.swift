import NIOCore
import ProxyConfig
import Testing
@testable import Proxy

@Suite("Request limits and malformed input")
struct LimitsTests {
    private func fixture(limits: ListenerLimits = ListenerLimits(), rule: HTTPRouteRule? = nil) async throws -> ProxyFixture {
        try await ProxyFixture.start { TestConfig.simple($0, limits: limits, rule: rule) }
    }

    /// After any rejection, a fresh connection must still be served.
    private func expectStillServing(_ fixture: ProxyFixture) async throws {
        #expect(try await TestHTTPClient.get("/alive", port: fixture.port, group: fixture.group).status == 200)
    }

    @Test func garbageRequestLineIs400() async throws {
        let fixture = try await fixture()
        let text = try await RawClient.exchange(port: fixture.port, "NOT HTTP AT ALL\r\n\r\n", group: fixture.group)
        #expect(text.statusCodes == [400])
        try await expectStillServing(fixture)
        await fixture.stop()
    }

    @Test func contentLengthWithTransferEncodingIs400() async throws {
        let fixture = try await fixture()
        let raw = "POST / HTTP/1.1\r\nHost: example.com\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: example.com\r\n\r\n"
        let text = try await RawClient.exchange(port: fixture.port, raw, group: fixture.group)
        #expect(text.statusCodes == [400])
        #expect(!text.contains("/smuggled"))
        #expect(fixture.backends["a"]!.requests.load(ordering: .relaxed) == 0)
        try await expectStillServing(fixture)
        await fixture.stop()
    }

    @Test func conflictingContentLengthsAre400() async throws {
        let fixture = try await fixture()
        let raw = "POST / HTTP/1.1\r\nHost: example.com\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"
        let text = try await RawClient.exchange(port: fixture.port, raw, group: fixture.group)
        #expect(text.statusCodes == [400])
        #expect(fixture.backends["a"]!.requests.load(ordering: .relaxed) == 0)
        try await expectStillServing(fixture)
        await fixture.stop()
    }

    @Test func missingHostIs400() async throws {
        let fixture = try await fixture()
        let text = try await RawClient.exchange(port: fixture.port, "GET / HTTP/1.1\r\n\r\n", group: fixture.group)
        #expect(text.statusCodes == [400])
        await fixture.stop()
    }

    @Test func oversizedHeadersAre431() async throws {
        let fixture = try await fixture(limits: ListenerLimits(maxRequestHeaderBytes: 4096))
        let big = String(repeating: "v", count: 8000)
        let text = try await RawClient.exchange(port: fixture.port, "GET / HTTP/1.1\r\nHost: example.com\r\nX-Big: \(big)\r\n\r\n", group: fixture.group)
        #expect(text.statusCodes == [431])
        try await expectStillServing(fixture)
        await fixture.stop()
    }

    @Test func tooManyHeadersAre431() async throws {
        let fixture = try await fixture(limits: ListenerLimits(maxRequestHeaderCount: 10))
        var raw = "GET / HTTP/1.1\r\nHost: example.com\r\n"
        for index in 0..<30 { raw += "X-H\(index): v\r\n" }
        raw += "\r\n"
        let text = try await RawClient.exchange(port: fixture.port, raw, group: fixture.group)
        #expect(text.statusCodes == [431])
        try await expectStillServing(fixture)
        await fixture.stop()
    }

    /// A target over the limit is 414 (as nginx answers), with the connection kept; one so long
    /// that the head outgrows what the decoder reads is 431, and the connection closes.
    @Test func longRequestTargetIs414AndAnOversizedHeadIs431() async throws {
        let fixture = try await fixture(limits: ListenerLimits(maxRequestHeaderBytes: 2048))
        let path = "/" + String(repeating: "p", count: 6000)
        let text = try await RawClient.exchange(port: fixture.port, "GET \(path) HTTP/1.1\r\nHost: example.com\r\n\r\n", group: fixture.group)
        #expect(text.statusCodes == [414])
        let huge = "/" + String(repeating: "p", count: 2048 + HTTP1RequestParser.requestLineAllowance)
        let closed = try await RawClient.exchange(port: fixture.port, "GET \(huge) HTTP/1.1\r\nHost: example.com\r\n\r\n", group: fixture.group)
        #expect(closed.statusCodes == [431])
        try await expectStillServing(fixture)
        await fixture.stop()
    }

    @Test func declaredBodyOverRouteLimitIs413() async throws {
        let rule = HTTPRouteRule(backendRefs: [HTTPBackendRef(backend: "a")], maxRequestBodyBytes: 100)
        let fixture = try await fixture(rule: rule)
        let body = String(repeating: "b", count: 200)
        let text = try await RawClient.exchange(
            port: fixture.port, "POST / HTTP/1.1\r\nHost: example.com\r\nContent-Length: 200\r\n\r\n\(body)", group: fixture.group)
        #expect(text.statusCodes == [413])
        #expect(fixture.backends["a"]!.requests.load(ordering: .relaxed) == 0)
        try await expectStillServing(fixture)
        await fixture.stop()
    }

    @Test func chunkedBodyOverLimitIs413() async throws {
        let rule = HTTPRouteRule(backendRefs: [HTTPBackendRef(backend: "a")], maxRequestBodyBytes: 100)
        let fixture = try await fixture(rule: rule)
        let chunk = String(repeating: "c", count: 80)
        let raw = "POST / HTTP/1.1\r\nHost: example.com\r\nTransfer-Encoding: chunked\r\n\r\n50\r\n\(chunk)\r\n50\r\n\(chunk)\r\n0\r\n\r\n"
        let text = try await RawClient.exchange(port: fixture.port, raw, group: fixture.group)
        #expect(text.statusCodes == [413])
        try await expectStillServing(fixture)
        await fixture.stop()
    }

    @Test func slowHeadersAreCutOff() async throws {
        let fixture = try await fixture(limits: ListenerLimits(headerReadTimeout: GatewayDuration(milliseconds: 300)))
        // Half a request head, then silence: the proxy must close the connection on its own.
        let text = try await RawClient.exchange(
            port: fixture.port, "GET / HTTP/1.1\r\nHost: exam", group: fixture.group, idle: .seconds(10), total: .seconds(10))
        #expect(text.statusCodes.isEmpty)
        try await expectStillServing(fixture)
        await fixture.stop()
    }
}
