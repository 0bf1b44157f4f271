import Foundation
import Testing

/// The real helm 3 against a running `causeway dev`: install, upgrade, list and uninstall a chart.
/// helm keeps its releases in Secrets written with client-go's protobuf encoding.
@Suite struct HelmEndToEndTests {
    static var chart: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/demo-chart").path
    }

    @discardableResult
    func helm(_ cluster: DevProcess, _ arguments: [String]) throws -> CommandResult {
        try Helm.helm3.run(cluster, arguments)
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
