import Foundation
import TestSupport
import Testing

/// The proxy as the chart runs it: not as root (gateway pods run as UID 65532). A socket option
/// only root may set once made every accepted connection close for any other user; this keeps
/// a gateway's accept and upstream connect honest without root.
@Suite(.enabled(if: getuid() == 0, "needs root to start the proxy as another user (CI runs as root)"))
struct NonRootProxyEndToEndTests {
    @Test func aProxyRunningAsAnotherUserServesTraffic() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("causeway-nonroot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let binary = try DevProcess.binaryForOtherUsers(in: directory)
        let backendPort = freeTCPPort(), listenerPort = freeTCPPort()
        let backend = try ControllerProcess(name: "causeway echo", arguments: ["echo", "--port", String(backendPort), "--address", "127.0.0.1"],
                                            environment: ["POD_NAME": "backend"])
        defer { backend.stop() }
        let config = directory.appendingPathComponent("proxy.json")
        try #"""
        {"version": "1",
         "listeners": [{"name": "http", "address": "127.0.0.1", "port": \#(listenerPort),
                        "virtualHosts": [{"name": "all", "routes": [{"name": "r", "rules": [{"backendRefs": [{"backend": "echo"}]}]}]}]}],
         "backends": [{"name": "echo", "endpoints": [{"host": "127.0.0.1", "port": \#(backendPort)}]}]}
        """#.write(to: config, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: config.path)
        guard let setpriv = CommandRunner.which("setpriv"), let curl = CommandRunner.which("curl") else {
            throw TestFailure("setpriv (util-linux) and curl are needed")
        }
        let proxy = try ControllerProcess(name: "causeway proxy as 65532", arguments: [
            "--reuid=65532", "--regid=65532", "--clear-groups", binary, "proxy", "--config", config.path, "--admin-port", "0",
            "--threads", "1", "--access-log", "off",
        ], executable: setpriv)
        defer { proxy.stop() }
        var answer = CommandResult(status: -1, stdout: "", stderr: "")
        let served = try await eventually(timeout: .seconds(15), interval: .milliseconds(100)) {
            answer = try CommandRunner.run(curl, ["-sS", "--max-time", "2", "http://127.0.0.1:\(listenerPort)/"])
            return answer.status == 0 && answer.stdout.contains("\"pod\"")
        }
        #expect(served, "through a proxy running as UID 65532: \(answer.stderr)\(answer.stdout)\n\(proxy.output.text.suffix(2000))")
    }
}
