import Testing

@testable import Proxy

@Suite struct RequestIDTests {
    /// Tracing tools parse request ids as UUIDs: 8-4-4-4-12 lowercase hex, version 4, RFC 4122 variant.
    @Test func requestIDsAreVersion4UUIDs() {
        var random = FastRandom(seed: 7)
        var seen = Set<String>()
        for _ in 0..<1_000 {
            let id = RequestID.make(using: &random)
            let groups = id.split(separator: "-", omittingEmptySubsequences: false)
            #expect(groups.map(\.count) == [8, 4, 4, 4, 12])
            #expect(id.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) || $0 == 45 })
            #expect(groups[2].first == "4")
            #expect(groups[3].first.map { "89ab".contains($0) } == true)
            seen.insert(id)
        }
        #expect(seen.count == 1_000)
    }
}
