import Foundation
import Injection
import KubeModel
import Logging
import NIOCore
import NIOPosix
import PKI
import TestSupport
import Testing
@testable import Webhook

/// `causeway webhook`'s server over real HTTPS on loopback, the way the API server calls it.
@Suite struct WebhookServerTests {
    /// A CA and a serving certificate for localhost, written to files in a fresh directory.
    struct Files {
        let directory: URL
        var certificate: String { directory.appendingPathComponent("tls.crt").path }
        var key: String { directory.appendingPathComponent("tls.key").path }

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("webhook-tests-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }

        /// Issues a serving certificate from a new CA, writes it, and returns the CA's PEM.
        @discardableResult
        func writeNewPair() throws -> String {
            let authority = try CertificateIssuer.authority(commonName: "test-ca", lifetime: 3600, now: Date())
            let leaf = try CertificateIssuer.issue(commonName: "causeway-webhook", names: ["localhost", "127.0.0.1"], usage: .server,
                                                   lifetime: 3600, now: Date(), by: authority)
            try write(certificate: leaf.certificatePEM, key: leaf.privateKeyPEM)
            return authority.certificatePEM
        }

        func write(certificate: String, key: String) throws {
            try certificate.write(toFile: self.certificate, atomically: true, encoding: .utf8)
            try key.write(toFile: self.key, atomically: true, encoding: .utf8)
        }

        func remove() { try? FileManager.default.removeItem(at: directory) }
    }

    func start(_ files: Files, group: any EventLoopGroup) async throws -> (WebhookServer, Int, Task<Void, Never>) {
        let server = WebhookServer(
            endpoint: InjectionEndpoint(webhook: InjectionWebhook(settings: InjectionSettings()), logger: Logger(label: "test")),
            certificates: try CertificateReloader(certificatePath: files.certificate, keyPath: files.key), logger: Logger(label: "test"))
        let port = try await server.bind(host: "127.0.0.1", port: 0, group: group)
        let task = Task { await server.run(certificateCheckInterval: .milliseconds(20)) }
        return (server, port, task)
    }

    @Test func answersReviewsOverHTTPS() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let files = try Files()
        defer { files.remove() }
        let ca = try files.writeNewPair()
        let (_, port, task) = try await start(files, group: group)
        defer { task.cancel() }

        let answer = try await HTTPSClient.request(port: port, path: "/inject?timeout=10s", body: Reviews.review(uid: "over-tls").serialized(),
                                                   trusting: ca, group: group)
        #expect(answer.status == 200)
        let response = try JSONValue(parsing: answer.body)["response"]
        #expect(response?["uid"] == "over-tls")
        #expect(response?["patchType"] == "JSONPatch")

        let malformed = try await HTTPSClient.request(port: port, path: "/inject", body: Array("{}".utf8), trusting: ca, group: group)
        #expect(malformed.status == 400)
        #expect(malformed.text.contains("apiVersion"), "\(malformed.text)")
        let health = try await HTTPSClient.request(port: port, method: .GET, path: "/healthz", trusting: ca, group: group)
        #expect(health.status == 200)
        let metrics = try await HTTPSClient.request(port: port, method: .GET, path: "/metrics", trusting: ca, group: group)
        #expect(metrics.text.contains("causeway_webhook_reviews_total{outcome=\"injected\"} 1"), "\(metrics.text)")
        let other = try await HTTPSClient.request(port: port, method: .GET, path: "/elsewhere", trusting: ca, group: group)
        #expect(other.status == 404)
        task.cancel()
        await task.value
        try await group.shutdownGracefully()
    }

    @Test func servesTheNewCertificateOnceTheFilesChange() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let files = try Files()
        defer { files.remove() }
        let oldCA = try files.writeNewPair()
        let (_, port, task) = try await start(files, group: group)
        defer { task.cancel() }
        let body = Reviews.review().serialized()
        #expect(try await HTTPSClient.request(port: port, path: "/inject", body: body, trusting: oldCA, group: group).status == 200)

        let newCA = try files.writeNewPair()
        let switched = await eventually(timeout: .seconds(10)) {
            (try? await HTTPSClient.request(port: port, path: "/inject", body: body, trusting: newCA, group: group))?.status == 200
        }
        #expect(switched, "the server never presented the certificate of the new files")
        await #expect(throws: (any Error).self) {
            _ = try await HTTPSClient.request(port: port, path: "/inject", body: body, trusting: oldCA, group: group)
        }
        task.cancel()
        await task.value
        try await group.shutdownGracefully()
    }

    @Test func aHalfWrittenPairKeepsThePreviousCertificate() throws {
        let files = try Files()
        defer { files.remove() }
        try files.writeNewPair()
        let reloader = try CertificateReloader(certificatePath: files.certificate, keyPath: files.key)
        let before = reloader.context
        // A new certificate beside the old key, as a non-atomic update would leave it for a moment.
        let key = try String(contentsOfFile: files.key, encoding: .utf8)
        try files.writeNewPair()
        try key.write(toFile: files.key, atomically: true, encoding: .utf8)
        #expect(throws: (any Error).self) { try reloader.reload() }
        #expect(reloader.context === before)
        // Once the matching key lands, the new pair is served.
        try files.writeNewPair()
        #expect(try reloader.reload())
        #expect(reloader.context !== before)
    }

    @Test func refusesToStartWithoutUsableFiles() throws {
        let files = try Files()
        defer { files.remove() }
        #expect(throws: (any Error).self) { try CertificateReloader(certificatePath: files.certificate, keyPath: files.key) }
        try files.write(certificate: "not a certificate", key: "not a key")
        #expect(throws: (any Error).self) { try CertificateReloader(certificatePath: files.certificate, keyPath: files.key) }
    }
}
