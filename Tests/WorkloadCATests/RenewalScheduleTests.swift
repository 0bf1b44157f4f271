import Foundation
import TestSupport
import Testing
import WorkloadCA

/// When a workload renews, and how long it waits between failed attempts.
@Suite struct RenewalScheduleTests {
    typealias F = Fixture
    static let notBefore = Fixture.now
    static let notAfter = Fixture.now.addingTimeInterval(24 * 3600)

    @Test func renewalIsAtHalfTheLifetimeWithoutJitter() {
        #expect(RenewalSchedule.renewalTime(notBefore: Self.notBefore, notAfter: Self.notAfter, jitter: 0)
            == Self.notBefore.addingTimeInterval(12 * 3600))
        // Negative jitter is treated as none.
        #expect(RenewalSchedule.renewalTime(notBefore: Self.notBefore, notAfter: Self.notAfter, jitter: -3)
            == Self.notBefore.addingTimeInterval(12 * 3600))
    }

    @Test func jitterSpreadsRenewalUpToSixtyPercent() {
        let sixty = Self.notBefore.addingTimeInterval(0.6 * 24 * 3600)
        for jitter in [0.999_999, 1, 5] {
            let time = RenewalSchedule.renewalTime(notBefore: Self.notBefore, notAfter: Self.notAfter, jitter: jitter)
            #expect(time < sixty, "jitter \(jitter) must stay below 60%")
            #expect(sixty.timeIntervalSince(time) < 0.01, "jitter \(jitter) must approach 60%")
        }
        #expect(RenewalSchedule.renewalTime(notBefore: Self.notBefore, notAfter: Self.notAfter, jitter: 0.5)
            == Self.notBefore.addingTimeInterval(0.55 * 24 * 3600))
    }

    @Test func renewalCountsFromReceiptWhenLaterThanTheBackdatedStart() {
        // A one-hour certificate backdated five minutes, received at `issuedAt`.
        let issuedAt = F.now
        let notBefore = issuedAt.addingTimeInterval(-300)
        let notAfter = issuedAt.addingTimeInterval(3600)
        #expect(RenewalSchedule.renewalTime(notBefore: notBefore, notAfter: notAfter, issuedAt: issuedAt, jitter: 0)
            == issuedAt.addingTimeInterval(1800))
        // Without it, the backdated five minutes count.
        #expect(RenewalSchedule.renewalTime(notBefore: notBefore, notAfter: notAfter, jitter: 0)
            == notBefore.addingTimeInterval(1950))
        // An `issuedAt` before notBefore changes nothing.
        #expect(RenewalSchedule.renewalTime(notBefore: notBefore, notAfter: notAfter, issuedAt: notBefore.addingTimeInterval(-60),
                                            jitter: 0) == notBefore.addingTimeInterval(1950))
    }

    @Test func anIssuedCertificateRenewsHalfWayThroughItsDay() throws {
        var generator = SplitMix64(seed: 40)
        let issued = try F.hierarchy(generator: &generator).ca()
            .sign(pem: try F.csrPEM(), for: F.identity, now: F.now, generator: &generator)
        #expect(RenewalSchedule.renewalTime(notBefore: issued.notBefore, notAfter: issued.notAfter, issuedAt: F.now, jitter: 0)
            == F.now.addingTimeInterval(12 * 3600))
    }

    @Test func aCertificateAlreadyPastItsEndIsDueAtOnce() {
        // notAfter before the start: lifetime counts as zero, renewal is at the start.
        #expect(RenewalSchedule.renewalTime(notBefore: F.now, notAfter: F.now.addingTimeInterval(-10), jitter: 0.7) == F.now)
    }

    @Test func retryDelayDoublesFromOneSecondToAMinute() {
        let delays = (1...9).map { RenewalSchedule.retryDelay(failures: $0, jitter: 0, now: F.now, notAfter: nil) }
        #expect(delays == [1, 2, 4, 8, 16, 32, 60, 60, 60])
        #expect(RenewalSchedule.retryDelay(failures: 0, jitter: 0, now: F.now, notAfter: nil) == 1)
        #expect(RenewalSchedule.retryDelay(failures: 1_000, jitter: 0, now: F.now, notAfter: nil) == 60)
    }

    @Test func jitterTakesUpToHalfOff() {
        #expect(RenewalSchedule.retryDelay(failures: 3, jitter: 1, now: F.now, notAfter: nil) == 2)
        #expect(RenewalSchedule.retryDelay(failures: 3, jitter: 0.5, now: F.now, notAfter: nil) == 3)
        #expect(RenewalSchedule.retryDelay(failures: 10, jitter: 1, now: F.now, notAfter: nil) == 30)
        #expect(RenewalSchedule.retryDelay(failures: 10, jitter: 7, now: F.now, notAfter: nil) == 30)
        #expect(RenewalSchedule.retryDelay(failures: 10, jitter: -1, now: F.now, notAfter: nil) == 60)
    }

    @Test func retryDelayNeverExceedsAQuarterOfTheRemainingLife() {
        let notAfter = F.now.addingTimeInterval(40)
        #expect(RenewalSchedule.retryDelay(failures: 6, jitter: 0, now: F.now, notAfter: notAfter) == 10)
        #expect(RenewalSchedule.retryDelay(failures: 2, jitter: 0, now: F.now, notAfter: notAfter) == 2)
        for failures in 0...20 {
            for jitter in [0, 0.25, 0.5, 0.75, 1.0] {
                for remaining in [1.0, 7, 40, 100, 1_000, 86_400] {
                    let delay = RenewalSchedule.retryDelay(failures: failures, jitter: jitter, now: F.now,
                                                           notAfter: F.now.addingTimeInterval(remaining))
                    #expect(delay > 0)
                    #expect(delay <= 60)
                    #expect(delay <= remaining / 4, "failures \(failures), jitter \(jitter), \(remaining) s left")
                }
            }
        }
        // The floor: a retry is never scheduled sooner than 50 ms.
        #expect(RenewalSchedule.retryDelay(failures: 5, jitter: 0, now: F.now, notAfter: F.now.addingTimeInterval(0.1)) == 0.05)
        // Already expired: the plain backoff applies.
        #expect(RenewalSchedule.retryDelay(failures: 5, jitter: 0, now: F.now, notAfter: F.now.addingTimeInterval(-1)) == 16)
    }
}
