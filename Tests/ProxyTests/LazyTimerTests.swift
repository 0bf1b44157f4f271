import NIOCore
import NIOEmbedded
import Testing

@testable import Proxy

@Suite struct LazyTimerTests {
    /// A later deadline keeps the pending task; an earlier one replaces it; after firing, the
    /// next arm schedules anew.
    @Test func keepsOneTaskAndMovesOnlyEarlier() {
        let loop = EmbeddedEventLoop()
        final class Log { var fired: [Int64] = [] }
        let log = Log()
        var timer = LazyTimer()
        let start = loop.now
        func arm(_ milliseconds: Int64) {
            timer.arm(at: start + .milliseconds(milliseconds), on: loop) {
                timer.fired()
                log.fired.append((loop.now - start).nanoseconds / 1_000_000)
            }
        }
        arm(100)
        arm(300)  // later: the task at 100 stays
        #expect(timer.fires(by: start + .milliseconds(300)))
        arm(50)  // earlier: replaces it
        loop.advanceTime(by: .milliseconds(400))
        #expect(log.fired == [50])
        #expect(!timer.fires(by: start + .milliseconds(1_000)))
        arm(500)
        loop.advanceTime(by: .milliseconds(200))
        #expect(log.fired == [50, 500])
        arm(700)
        timer.cancel()
        loop.advanceTime(by: .milliseconds(500))
        #expect(log.fired == [50, 500])
    }
}
