import Foundation

/// When a workload replaces its certificate, and how long it waits after a failed attempt. Pure
/// functions of the certificate's validity and a jitter value in [0, 1), so a fleet issued at the
/// same moment does not come back at the same moment.
public enum RenewalSchedule {
    /// Half the lifetime plus up to a tenth of it more. The lifetime counts from `issuedAt` (when
    /// the workload received the certificate) where that is later than `notBefore`: certificates
    /// are backdated a few minutes for clock skew, and a short-lived one would otherwise be due at once.
    public static func renewalTime(notBefore: Date, notAfter: Date, issuedAt: Date? = nil, jitter: Double) -> Date {
        let start = max(notBefore, issuedAt ?? notBefore)
        let lifetime = max(notAfter.timeIntervalSince(start), 0)
        let fraction = 0.5 + 0.1 * min(max(jitter, 0), 0.999_999)
        return start.addingTimeInterval(lifetime * fraction)
    }

    /// After `failures` failed attempts: 1 s doubling to 60 s, with jitter taking up to half off,
    /// but never past the point where a retry could still land before `notAfter`.
    public static func retryDelay(failures: Int, jitter: Double, now: Date, notAfter: Date?) -> TimeInterval {
        let base = min(60, pow(2, Double(min(max(failures - 1, 0), 6))))
        var delay = base * (1 - 0.5 * min(max(jitter, 0), 1))
        if let notAfter {
            let remaining = notAfter.timeIntervalSince(now)
            if remaining > 0 { delay = min(delay, max(remaining / 4, 0.05)) }
        }
        return delay
    }
}
