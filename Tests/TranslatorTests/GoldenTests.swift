import Foundation
import Testing

/// Every `testdata/*.in.yaml` against its `.out.yaml`. `UPDATE_GOLDEN=1 swift test --filter
/// GoldenTests` rewrites the outputs; review them as diffs.
@Suite struct GoldenTests {
    @Test(arguments: try GoldenCase.all())
    func translation(_ name: String) throws {
        let golden = GoldenCase(name: name)
        let rendered = try golden.render()
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try rendered.write(to: golden.outputURL, atomically: true, encoding: .utf8)
            return
        }
        let expected = try? String(contentsOf: golden.outputURL, encoding: .utf8)
        #expect(expected != nil, "\(name).out.yaml is missing; run with UPDATE_GOLDEN=1 to write it")
        #expect(rendered == expected, "\(name): translation differs from \(name).out.yaml; run with UPDATE_GOLDEN=1 and review the diff")
    }

    @Test func everyInputHasAnOutput() throws {
        let inputs = try GoldenCase.all()
        let outputs = try FileManager.default.contentsOfDirectory(atPath: GoldenCase.directory.path)
            .filter { $0.hasSuffix(".out.yaml") }.map { String($0.dropLast(".out.yaml".count)) }
        #expect(Set(outputs).subtracting(inputs).isEmpty, "outputs without inputs: \(Set(outputs).subtracting(inputs).sorted())")
    }
}
