#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import Synchronization

/// Gives freed heap back to the kernel once the proxy has been quiet for a whole period.
///
/// After a burst of traffic glibc keeps the memory freed by closed connections (read buffers,
/// decoded headers, pooled upstream state) in its per-thread arenas, so RSS stays at its peak long
/// after the load stops. Every `period` the trimmer asks each event loop how many requests it has
/// started; when none started during the last period and some did before it, `malloc_trim(0)`
/// returns the free pages of every arena. It trims once per quiet spell, never under load.
final class IdleMemoryTrimmer: Sendable {
    private let task: RepeatedTask

    init(loops: [NIOLoopBound<LoopContext>], period: TimeAmount = .seconds(5)) {
        let home = loops[0].eventLoop
        let activity = Mutex(QuietSpell())
        task = home.scheduleRepeatedTask(initialDelay: period, delay: period) { _ in
            let counts = loops.map { bound in bound.eventLoop.submit { bound.value.metrics.requestsStarted } }
            EventLoopFuture.whenAllSucceed(counts, on: home).whenSuccess { counts in
                let total = counts.reduce(0, &+)
                if activity.withLock({ $0.endsPeriod(requestsStarted: total) }) { _ = IdleMemoryTrimmer.mallocTrim?(0) }
            }
        }
    }

    func cancel() { task.cancel() }

    /// When to trim: at the end of the first period without a new request after one with some.
    struct QuietSpell {
        private var requests: UInt64 = 0
        private var servedSinceTrim = false

        mutating func endsPeriod(requestsStarted total: UInt64) -> Bool {
            defer { requests = total }
            if total != requests {
                servedSinceTrim = true
                return false
            }
            guard servedSinceTrim else { return false }
            servedSinceTrim = false
            return true
        }
    }

    /// glibc's `malloc_trim`, which the Glibc module map does not export; nil on other C libraries.
    private static let mallocTrim: (@convention(c) (Int) -> Int32)? = {
        #if canImport(Glibc)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
        #else
        return nil
        #endif
    }()
}
