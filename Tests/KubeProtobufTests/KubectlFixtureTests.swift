import KubeModel
import Testing

@testable import KubeProtobuf

/// The strongest evidence of fidelity: real kubectl bodies decode to the JSON kubectl itself prints.
@Suite struct KubectlFixtureTests {
    @Test(arguments: Fixtures.pairedNames)
    func decodesToKubectlJSON(_ name: String) throws {
        let decoded = try KubeProtobuf.decode(try Fixtures.body(name))
        let expected = try Fixtures.json(name).droppingNulls
        #expect(decoded == expected, "\(name):\n\(decoded.prettyJSONString)\n---\n\(expected.prettyJSONString)")
    }

    @Test func fixturesArePresent() {
        #expect(Fixtures.pairedNames.count >= 18)
        #expect(Fixtures.allBodies.count >= 21)
    }
}
