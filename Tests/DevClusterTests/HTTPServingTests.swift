import Foundation
import Testing
import DevCluster
import KubeModel

/// DevCluster over real sockets: TLS with its own CA, client-certificate and bearer-token
/// authentication, body limits, persistence across restarts. Driven with curl.
@Suite struct HTTPServingTests {
    struct Curl {
        var directory: URL
        var cluster: DevCluster

        init(_ cluster: DevCluster) throws {
            self.cluster = cluster
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("devcluster-http-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            if let pki = cluster.pki {
                try pki.caCertificatePEM.write(to: directory.appendingPathComponent("ca.crt"), atomically: true, encoding: .utf8)
                try pki.adminCertificatePEM.write(to: directory.appendingPathComponent("admin.crt"), atomically: true, encoding: .utf8)
                try pki.adminKeyPEM.write(to: directory.appendingPathComponent("admin.key"), atomically: true, encoding: .utf8)
            }
        }

        /// Returns the HTTP status and body of one request.
        func request(_ path: String, method: String = "GET", auth: String = "cert", body: String? = nil,
                     contentType: String = "application/json") throws -> (Int, String) {
            var arguments = ["-sS", "-o", "-", "-w", "\n%{http_code}", "-X", method,
                             "--cacert", directory.appendingPathComponent("ca.crt").path]
            switch auth {
            case "cert":
                arguments += ["--cert", directory.appendingPathComponent("admin.crt").path,
                              "--key", directory.appendingPathComponent("admin.key").path]
            case "token": arguments += ["-H", "Authorization: Bearer \(cluster.adminToken)"]
            case "bad-token": arguments += ["-H", "Authorization: Bearer not-a-token"]
            default: break
            }
            if let body {
                let file = directory.appendingPathComponent("body-\(UUID().uuidString)")
                try body.write(to: file, atomically: true, encoding: .utf8)
                arguments += ["-H", "Content-Type: \(contentType)", "--data-binary", "@\(file.path)"]
            }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
            process.arguments = arguments + [cluster.url + path]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            let text = String(decoding: data, as: UTF8.self)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            return (Int(lines.last ?? "") ?? 0, lines.dropLast().joined(separator: "\n"))
        }
    }

    /// Runs `body` against a fresh cluster and stops the cluster whatever happens.
    func withCluster(_ configuration: DevCluster.Configuration = .init(), _ body: (Curl) throws -> Void) async throws {
        let cluster = try await DevCluster.start(configuration)
        do {
            try body(try Curl(cluster))
        } catch {
            await cluster.stop()
            throw error
        }
        await cluster.stop()
    }

    @Test func authenticatesWithClientCertificateOrToken() async throws {
        try await withCluster { curl in
        #expect(try curl.request("/api/v1/namespaces").0 == 200)
        #expect(try curl.request("/api/v1/namespaces", auth: "token").0 == 200)
        let anonymous = try curl.request("/api/v1/namespaces", auth: "none")
        #expect(anonymous.0 == 401)
        #expect(anonymous.1.contains("\"reason\":\"Unauthorized\""))
        #expect(try curl.request("/api/v1/namespaces", auth: "bad-token").0 == 401)
        }
    }

    @Test func watchStreamsEventsBookmarksAndEndsAtItsTimeout() async throws {
        var configuration = DevCluster.Configuration()
        configuration.bookmarkIntervalSeconds = 1
        try await withCluster(configuration) { curl in
            let (_, listBody) = try curl.request("/api/v1/namespaces/default/configmaps")
            let revision = try JSONValue(parsing: listBody)[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""
            let creator = Thread {
                // Written while the watch below is open; the watch starts from the list's revision, so
                // it sees this change whichever comes first.
                _ = try? curl.request("/api/v1/namespaces/default/configmaps", method: "POST",
                                      body: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"watched"}}"#)
            }
            creator.start()
            let (status, stream) = try curl.request(
                "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=\(revision)&allowWatchBookmarks=true&timeoutSeconds=3")
            #expect(status == 200)
            let events = stream.split(separator: "\n").compactMap { try? JSONValue(parsing: String($0)) }
            let types = events.compactMap { $0["type"]?.stringValue }
            #expect(types.first == "ADDED")
            #expect(events.first?[path: ["object", "metadata", "name"]] == "watched")
            #expect(types.contains("BOOKMARK"))
        }
    }

    @Test func rejectsOversizedBodiesAndKeepsServing() async throws {
        try await withCluster { curl in
        let huge = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"big\"},\"data\":{\"x\":\""
            + String(repeating: "a", count: 3 * 1024 * 1024 + 10) + "\"}}"
        let (status, body) = try curl.request("/api/v1/namespaces/default/configmaps", method: "POST", body: huge)
        #expect(status == 413)
        #expect(body.contains("RequestEntityTooLarge"))
        #expect(try curl.request("/api/v1/namespaces/default/configmaps/big").0 == 404)
        #expect(try curl.request("/version").0 == 200)
        }
    }

    @Test func persistsObjectsAndRevisionAcrossRestarts() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("devcluster-data-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        var configuration = DevCluster.Configuration()
        configuration.dataDirectory = data
        var revision: UInt64 = 0
        try await withCluster(configuration) { curl in
            let (created, body) = try curl.request("/api/v1/namespaces/default/configmaps", method: "POST",
                                                   body: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"kept"},"data":{"k":"v"}}"#)
            #expect(created == 201)
            revision = UInt64(try JSONValue(parsing: body)[path: ["metadata", "resourceVersion"]]?.stringValue ?? "") ?? 0
        }
        try await withCluster(configuration) { again in
            let (status, kept) = try again.request("/api/v1/namespaces/default/configmaps/kept")
            #expect(status == 200)
            #expect(try JSONValue(parsing: kept)[path: ["data", "k"]] == "v")
            let (_, next) = try again.request("/api/v1/namespaces/default/configmaps", method: "POST",
                                              body: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"later"}}"#)
            let nextRevision = UInt64(try JSONValue(parsing: next)[path: ["metadata", "resourceVersion"]]?.stringValue ?? "") ?? 0
            #expect(nextRevision > revision)
        }
    }
}
