import Testing

@testable import Proxy

@Suite struct IdleMemoryTrimmerTests {
    /// Trims once per quiet spell: never while requests keep starting, never twice without new ones.
    @Test func trimsOnceAtTheFirstQuietPeriodAfterTraffic() {
        var spell = IdleMemoryTrimmer.QuietSpell()
        // Requests started so far at the end of each period, and whether that period ends in a trim.
        let periods: [(UInt64, Bool)] = [
            (0, false),  // idle since start: nothing to give back
            (500, false),  // busy
            (900, false),  // still busy
            (900, true),  // a whole quiet period: trim
            (900, false),  // already trimmed
            (901, false),
            (901, true),
        ]
        for (total, trims) in periods {
            let decision = spell.endsPeriod(requestsStarted: total)
            #expect(decision == trims, "after \(total) requests")
        }
    }
}
