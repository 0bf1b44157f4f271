import Testing
import KubeModel

@Suite struct RFC3339Tests {
    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00Z"),
        (Int64(951_782_400), "2000-02-29T00:00:00Z"),
        (Int64(1_795_305_599), "2026-11-21T23:59:59Z"),
        (Int64(-1), "1969-12-31T23:59:59Z"),
        (Int64(4_107_542_400), "2100-03-01T00:00:00Z"),
    ])
    func formatsAsKubernetesWritesTimes(seconds: Int64, text: String) {
        #expect(RFC3339.format(secondsSinceEpoch: seconds) == text)
        #expect(RFC3339.secondsSinceEpoch(text) == Double(seconds))
    }

    @Test func parsesNanosecondsAndOffsetsAsGoDoes() throws {
        let parsed = try #require(RFC3339.parse("2026-12-04T18:00:00.123456789+01:00"))
        #expect(parsed.seconds == 1_796_403_600)  // 17:00 UTC
        #expect(parsed.nanos == 123_456_789)
        // Digits beyond nine are dropped, not rounded; fewer are scaled up.
        #expect(RFC3339.parse("1970-01-01T00:00:00.9999999999Z")?.nanos == 999_999_999)
        #expect(RFC3339.parse("1970-01-01T00:00:00.5Z")?.nanos == 500_000_000)
    }

    @Test(arguments: ["2026-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-12-31T23:59:60Z", "2026-12-04T18:00:00+24:00",
                      "2026-12-04T18:00:00.Z", "2026-12-04 18:00:00Z", "2026-12-04T18:00:00"])
    func refusesWhatGoRefuses(text: String) {
        #expect(RFC3339.parse(text) == nil)
        #expect(RFC3339.secondsSinceEpoch(text) == nil)
    }
}
