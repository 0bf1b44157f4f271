import Foundation
import Testing
import TestSupport

/// `causeway proxy` runs the data plane from the lean `causeway-proxy` binary next to `causeway`
/// (the same process, exec'd), and in-process when `causeway` is installed alone.
@Suite struct ProxyExecutableEndToEndTests {
    @Test func causewayProxyBecomesTheLeanBinaryAndServes() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("causeway-proxy-exec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("proxy.yaml")
        let port = freeTCPPort()
        // No route: the proxy answers 404 itself.
        try """
            version: lean
            listeners:
              - name: http
                address: 127.0.0.1
                port: \(port)
                virtualHosts: []
            backends: []
            """.write(to: config, atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: try DevProcess.binary())
        process.arguments = ["proxy", "--config", config.path, "--admin-port", "0", "--threads", "1", "--access-log", "off"]
        process.environment = childEnvironment()
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let output = LineCollector(pipe.fileHandleForReading)
        try process.run()
        defer { terminate(process, name: "causeway proxy", log: { output.text }) }

        #expect(output.waitFor("proxy serving", timeout: 20), "the proxy starts: \(output.text)")
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(process.processIdentifier)/exe")
        #expect(URL(fileURLWithPath: executable).lastPathComponent == "causeway-proxy")

        let curl = try #require(CommandRunner.which("curl"), "needs curl (Debian package: curl)")
        let answer = try CommandRunner.run(curl, ["-s", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(port)/anything"], timeout: 10)
        #expect(answer.stdout == "404")
    }

    @Test func withoutTheLeanBinaryTheProxyRunsInProcess() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("causeway-alone-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let alone = directory.appendingPathComponent("causeway").path
        // A hard link costs nothing where it works; /proc/self/exe names the link's directory.
        do {
            try FileManager.default.linkItem(atPath: try DevProcess.binary(), toPath: alone)
        } catch {
            try FileManager.default.copyItem(atPath: try DevProcess.binary(), toPath: alone)
        }
        let help = try CommandRunner.run(alone, ["proxy", "--help"], timeout: 30)
        #expect(help.stdout.contains("USAGE: causeway proxy"), "\(help.stdout)")
    }
}
