import Foundation
import Testing

/// The real helm 3 against a running `causeway dev`: install, upgrade, list and uninstall a chart.
/// helm keeps its releases in Secrets written with client-go's protobuf encoding.
@Suite struct HelmEndToEndTests {
    static var chart: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/demo-chart").path
    }

    static func helmBinary() throws -> String {
        if let onPath = CommandRunner.which("helm") { return onPath }
        let local = KubectlEndToEndTests.root.appendingPathComponent(".tools/bin/helm").path
        guard FileManager.default.isExecutableFile(atPath: local) else {
            throw TestFailure("helm not found: scripts/setup.sh installs it into .tools/bin")
        }
        return local
    }

    @discardableResult
    func helm(_ cluster: DevProcess, _ arguments: [String]) throws -> CommandResult {
        let home = cluster.directory.appendingPathComponent("helm").path
        let result = try CommandRunner.run("/usr/bin/env", [
            "HELM_CACHE_HOME=\(home)/cache", "HELM_CONFIG_HOME=\(home)/config", "HELM_DATA_HOME=\(home)/data",
            try Self.helmBinary(), "--kubeconfig", cluster.kubeconfig,
        ] + arguments, timeout: 90)
        if result.status != 0 {
            throw TestFailure("helm \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.stderr)\(result.stdout)")
        }
        return result
    }

    @Test func installsUpgradesAndUninstallsAChart() throws {
        let cluster = try DevProcess()
        defer { cluster.stop() }
        try helm(cluster, ["install", "demo", Self.chart, "--namespace", "default", "--wait=false"])
        let greeting = try cluster.kubectl("get", "configmap", "demo-settings", "-o", "jsonpath={.data.greeting}").stdout
        #expect(greeting == "hello")
        let releases = try helm(cluster, ["list", "-o", "json"]).stdout
        #expect(releases.contains("\"name\":\"demo\"") && releases.contains("\"status\":\"deployed\""))

        try helm(cluster, ["upgrade", "demo", Self.chart, "--set", "greeting=bonjour", "--set", "replicas=2"])
        #expect(try cluster.kubectl("get", "configmap", "demo-settings", "-o", "jsonpath={.data.greeting}").stdout == "bonjour")
        #expect(try cluster.kubectl("get", "deployment", "demo-web", "-o", "jsonpath={.spec.replicas}").stdout == "2")
        #expect(try helm(cluster, ["history", "demo"]).stdout.contains("superseded"))

        try helm(cluster, ["uninstall", "demo"])
        let gone = try cluster.kubectl("get", "configmap", "demo-settings", allowFailure: true)
        #expect(gone.status != 0)
        #expect(try helm(cluster, ["list", "-q"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    }
}
