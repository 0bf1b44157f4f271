import KubeModel
import Testing

@Suite struct StableHashTests {
    /// The published FNV-1a 64 test vectors: the hash must never change between releases, since
    /// versions and object names made with it outlive the process.
    @Test func knownVectors() {
        #expect(StableHash.hex64([UInt8]()) == "cbf29ce484222325")
        #expect(StableHash.hex64("a".utf8) == "af63dc4c8601ec8c")
        #expect(StableHash.hex64("foobar".utf8) == "85944171f73967e8")
    }
}
