import TestSupport
import Foundation
@testable import KubeClient
import Synchronization
import Testing

@Suite("libcurl transport")
struct CurlTransportTests {
    @Test("sends method, headers and body, and reads the reply")
    func roundTrip() async throws {
        let server = try await TestHTTPServer { request in
            .json(201, #"{"echo":"\#(String(decoding: request.body, as: UTF8.self))","method":"\#(request.method)"}"#,
                  headers: [("X-Test", "yes")])
        }
        defer { Task { await server.shutdown() } }
        let response = try await CurlTransport().execute(HTTPRequest(
            method: "PATCH", url: server.url + "/api/v1/things?x=1",
            headers: [(name: "Authorization", value: "Bearer abc")], body: Array("hello".utf8)))
        #expect(response.head.status == 201)
        #expect(response.head.header("x-test") == "yes")
        let body = String(decoding: try await response.collectBody(), as: UTF8.self)
        #expect(body == #"{"echo":"hello","method":"PATCH"}"#)
        let request = try #require(server.requests.first)
        #expect(request.uri == "/api/v1/things?x=1")
        #expect(request.header("Authorization") == "Bearer abc")
        #expect(request.header("Expect") == nil)
    }

    @Test("delivers a streamed body chunk by chunk, before the server finishes")
    func streaming() async throws {
        let (gate, gateContinuation) = AsyncStream<Void>.makeStream()
        let gateBox = Locked<AsyncStream<Void>?>(gate)
        let server = try await TestHTTPServer { _ in
            .streaming { writer in
                try await writer.write("first\n")
                // Wait until the client has seen the first chunk: proves it was not buffered to the end.
                let gate = gateBox.withLock { $0 }!
                for await _ in gate { break }
                try await writer.write("second\n")
            }
        }
        defer { Task { await server.shutdown() } }
        let response = try await CurlTransport().execute(HTTPRequest(method: "GET", url: server.url + "/watch", timeout: nil))
        var received = ""
        for try await chunk in response.body {
            received += String(decoding: chunk, as: UTF8.self)
            if received == "first\n" { gateContinuation.yield() }
        }
        #expect(received == "first\nsecond\n")
    }

    @Test("a consumer that falls behind pauses the transfer, which resumes and loses nothing")
    func backpressure() async throws {
        let chunk = String(repeating: "x", count: 1 << 20)
        let server = try await TestHTTPServer { _ in
            .streaming { writer in
                for _ in 0..<24 { try await writer.write(chunk) }
            }
        }
        defer { Task { await server.shutdown() } }
        let transport = CurlTransport(bufferLimit: 2 << 20)
        let response = try await transport.execute(HTTPRequest(method: "GET", url: server.url, timeout: nil))
        let flow = try #require(response.body.flow)
        // Nobody reads yet: the transfer must stop at the limit instead of buffering 24 MiB.
        #expect(await eventually { flow.isPaused })
        #expect(flow.bufferedBytes <= (2 << 20) + (1 << 20))
        var total = 0
        for try await part in response.body { total += part.count }
        #expect(total == 24 << 20)
    }

    @Test("many concurrent requests share the engine")
    func concurrent() async throws {
        let server = try await TestHTTPServer { request in .json(200, #"{"uri":"\#(request.uri)"}"#) }
        defer { Task { await server.shutdown() } }
        let transport = CurlTransport()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<50 {
                group.addTask {
                    let response = try await transport.execute(HTTPRequest(method: "GET", url: server.url + "/\(index)"))
                    let body = String(decoding: try await response.collectBody(), as: UTF8.self)
                    #expect(body == #"{"uri":"/\#(index)"}"#)
                }
            }
            try await group.waitForAll()
        }
    }

    @Test("an unreachable server is a couldNotConnect error")
    func unreachable() async throws {
        let server = try await TestHTTPServer { _ in .json(200, "{}") }
        let port = server.port
        await server.shutdown()
        await #expect(throws: TransportError(code: .couldNotConnect, message: "")) {
            _ = try await CurlTransport().execute(HTTPRequest(method: "GET", url: "http://127.0.0.1:\(port)/"))
        }
    }

    @Test("a slow server hits the request timeout")
    func timeout() async throws {
        let server = try await TestHTTPServer { _ in
            .streaming { _ in try await Task.sleep(for: .seconds(30)) }
        }
        defer { Task { await server.shutdown() } }
        await #expect(throws: TransportError(code: .timedOut, message: "")) {
            let response = try await CurlTransport().execute(HTTPRequest(method: "GET", url: server.url, timeout: .milliseconds(300)))
            _ = try await response.collectBody()
        }
    }

    @Test("cancelling the consumer aborts a long stream")
    func cancellation() async throws {
        let server = try await TestHTTPServer { _ in
            .streaming { writer in
                try await writer.write("tick\n")
                try await Task.sleep(for: .seconds(60))
            }
        }
        defer { Task { await server.shutdown() } }
        let task = Task {
            let response = try await CurlTransport().execute(HTTPRequest(method: "GET", url: server.url, timeout: nil))
            for try await _ in response.body {}
        }
        #expect(await eventually { server.requests.count == 1 })
        task.cancel()
        // Finishing at all (the server would stream for a minute) shows the transfer was aborted.
        _ = await task.result
    }

    @Test("tls-server-name rewrites the URL host and connects to the real address")
    func serverNameRedirect() throws {
        let rewritten = try #require(CurlTransfer.redirect(url: "https://10.0.0.1:6443/api?x=1", toServerName: "kubernetes"))
        #expect(rewritten.url == "https://kubernetes:6443/api?x=1")
        #expect(rewritten.connectTo == "kubernetes:6443:10.0.0.1:6443")
        #expect(rewritten.originalAuthority == "10.0.0.1:6443")
        #expect(CurlTransfer.redirect(url: "https://kubernetes/api", toServerName: "kubernetes") == nil)
    }
}
