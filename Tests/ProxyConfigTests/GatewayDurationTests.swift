import Testing
@testable import ProxyConfig

@Suite struct GatewayDurationTests {
    @Test(arguments: [
        ("0s", Int64(0)), ("10s", 10_000), ("500ms", 500), ("1h30m", 5_400_000), ("1h1m1s1ms", 3_661_001),
        ("99999ms", 99_999),
    ])
    func parsesGEP2257(text: String, millis: Int64) {
        #expect(GatewayDuration(text)?.milliseconds == millis)
    }

    @Test(arguments: ["", "10", "s", "1.5s", "-1s", "100000s", "1h1m1s1ms1h", "10d", "1 s"])
    func rejectsOtherForms(text: String) {
        #expect(GatewayDuration(text) == nil)
    }

    @Test(arguments: [("60s", "1m"), ("0ms", "0s"), ("61001ms", "1m1s1ms"), ("5400s", "1h30m")])
    func printsCanonically(text: String, canonical: String) {
        #expect(GatewayDuration(text)?.description == canonical)
    }
}
