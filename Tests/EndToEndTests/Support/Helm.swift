import Foundation
import Testing

/// The helm binaries the tests drive: helm 3 and helm 4 (scripts/install-helm.sh puts them in
/// .tools/bin).
enum Helm: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case helm3, helm4

    var major: String { self == .helm3 ? "v3." : "v4." }
    var testDescription: String { self == .helm3 ? "helm 3" : "helm 4" }

    /// helm 3 is .tools/bin/helm or the helm on PATH; helm 4 is .tools/bin/helm4. Both are
    /// checked for their major version, so a helm 4 on PATH is never taken for helm 3.
    func binary() throws -> String {
        let tools = KubectlEndToEndTests.root.appendingPathComponent(".tools/bin")
        let candidates = self == .helm3
            ? [tools.appendingPathComponent("helm").path, CommandRunner.which("helm")].compactMap { $0 }
            : [tools.appendingPathComponent("helm4").path]
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) {
            let version = try CommandRunner.run(candidate, ["version", "--short"], timeout: 20).stdout
            if version.hasPrefix(major) { return candidate }
        }
        throw TestFailure("\(testDescription) not found (looked at \(candidates.joined(separator: ", "))); "
                          + "scripts/setup.sh installs it through scripts/install-helm.sh")
    }

    /// Runs helm against `cluster` with a helm home of its own; throws on a non-zero exit unless `allowFailure`.
    @discardableResult
    func run(_ cluster: DevProcess, _ arguments: [String], allowFailure: Bool = false) throws -> CommandResult {
        let home = cluster.directory.appendingPathComponent(rawValue).path
        let result = try CommandRunner.run("/usr/bin/env", [
            "HELM_CACHE_HOME=\(home)/cache", "HELM_CONFIG_HOME=\(home)/config", "HELM_DATA_HOME=\(home)/data",
            try binary(), "--kubeconfig", cluster.kubeconfig,
        ] + arguments, timeout: 120)
        if result.status != 0, !allowFailure {
            throw TestFailure("\(self) \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.stderr)\(result.stdout)")
        }
        return result
    }
}
