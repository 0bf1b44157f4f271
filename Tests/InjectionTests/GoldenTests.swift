import APIMachinery
import Foundation
import Injection
import KubeModel
import Testing

/// Every `Golden/<case>/` (see `GoldenCase`): the outcome of injection, its idempotence, and the
/// JSON Patch that the webhook would send. `CAUSEWAY_UPDATE_GOLDEN=1 swift test --filter
/// InjectionTests` rewrites the expectations; review them as diffs, as a user would read them.
@Suite struct GoldenTests {
    static let updating = ProcessInfo.processInfo.environment["CAUSEWAY_UPDATE_GOLDEN"] == "1"

    @Test(arguments: try GoldenCase.all())
    func outcome(_ golden: GoldenCase) throws {
        let actual = try Self.run(golden)
        if Self.updating {
            try golden.write(actual)
            return
        }
        let expected = try #require(try golden.expected(), "\(golden): no expectation; run with CAUSEWAY_UPDATE_GOLDEN=1 to write one")
        switch (expected, actual) {
        case let (.injected(want), .injected(got)):
            if want.serialized() != got.serialized() {
                let diff = LineDiff.render(expected: want.yamlString(), actual: got.yamlString())
                Issue.record("\(golden): injected pod differs from pod.injected.yaml (- expected, + actual):\n\(diff)")
            }
        default:
            #expect(actual == expected, "\(golden)")
        }
    }

    /// Injecting an injected pod changes nothing: the webhook may be called again
    /// (`reinvocationPolicy: IfNeeded`) after other webhooks changed the pod.
    @Test(arguments: try GoldenCase.all())
    func injectingTwiceChangesNothing(_ golden: GoldenCase) throws {
        guard case .injected(let once) = try Self.run(golden) else { return }
        let request = try golden.request()
        let again = InjectionRequest(pod: once, namespace: request.namespace, namespaceLabels: request.namespaceLabels)
        let outcome = try Injector.inject(again, settings: try golden.settings())
        guard case .unchanged(let reason) = outcome else {
            Issue.record("\(golden): a second injection changed the pod")
            return
        }
        #expect(reason.contains("already injected"), "\(golden): \(reason)")
        #expect(Injector.patch(from: once, to: once).isEmpty)
    }

    /// The patch, applied by the API server's rules to the pod it was computed from, gives exactly
    /// the injected pod — also after a round trip through JSON bytes, as the webhook sends it. It
    /// only adds, except where injection must change what is there: the handlers of rewritten probes
    /// and a stale marker annotation.
    @Test(arguments: try GoldenCase.all())
    func patchRoundTrip(_ golden: GoldenCase) throws {
        guard case .injected(let injected) = try Self.run(golden) else { return }
        let original = try golden.pod()
        let operations = Injector.patch(from: original, to: injected)
        let bytes = JSONValue.array(operations).serialized()
        let applied = try JSONPatch.apply(try JSONValue(parsing: bytes), to: original)
        #expect(applied.serialized() == injected.serialized(), "\(golden): the patch does not reproduce the injected pod")
        for operation in operations where operation["op"] != "add" {
            let path = operation["path"]?.stringValue ?? ""
            #expect(Self.mayChange(path), "\(golden): \(operation.jsonString) changes what the pod had")
        }
    }

    static func mayChange(_ path: String) -> Bool {
        if path == "/metadata/annotations/causeway.dev~1injected" { return true }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count >= 6 && parts[1] == "spec" && ["containers", "initContainers"].contains(parts[2]) && Int(parts[3]) != nil
            && ["readinessProbe", "livenessProbe", "startupProbe"].contains(parts[4]) && ["httpGet", "tcpSocket"].contains(parts[5])
    }

    @Test func everyCaseHasOneExpectation() throws {
        let cases = try GoldenCase.all()
        #expect(cases.count >= 20)
        for golden in cases {
            let present = GoldenCase.expectationFiles.filter { golden.text($0) != nil }
            #expect(present.count == 1, "\(golden): expectation files \(present)")
            #expect(golden.text("pod.yaml") != nil, "\(golden): no pod.yaml")
        }
    }

    static func run(_ golden: GoldenCase) throws -> GoldenCase.Expected {
        let request = try golden.request()
        let settings = try golden.settings()
        do {
            switch try Injector.inject(request, settings: settings) {
            case .injected(let pod): return .injected(pod)
            case .unchanged(let reason): return .unchanged(reason)
            }
        } catch {
            return .error(error.message)
        }
    }
}
