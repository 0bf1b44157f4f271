import NIOCore
import NIOHTTP1
import Testing

@testable import Proxy

@Suite struct HTTP1ConnectionStateMachineTests {
    let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
    func machine() -> HTTP1ConnectionStateMachine {
        HTTP1ConnectionStateMachine(headerTimeout: .seconds(10), idleTimeout: .seconds(60), now: start)
    }
    let head = HTTPServerRequestPart.head(HTTPRequestHead(version: .http1_1, method: .GET, uri: "/a"))

    @Test func aNewConnectionRunsTheHeaderDeadlineUntilAHeadArrives() {
        var connection = machine()
        #expect(connection.deadline == start + .seconds(10))
        guard case .deliver = connection.received(head) else { Issue.record("head not delivered"); return }
        #expect(connection.deadline == nil)
        let result1 = connection.timerFired(now: start + .seconds(11))
        #expect(result1 == .none)
        let result2 = connection.exchangeFinished(closeConnection: false, now: start + .seconds(12))
        #expect(result2 == .continueServing)
        #expect(connection.deadline == start + .seconds(72))
        let result3 = connection.timerFired(now: start + .seconds(30))
        #expect(result3 == .rearm(start + .seconds(72)))
        let result4 = connection.timerFired(now: start + .seconds(72))
        #expect(result4 == .close)
        #expect(connection.isClosing)
    }

    @Test func aRequestThatArrivesBehindAnotherWaitsAndHoldsReads() {
        var connection = machine()
        _ = connection.received(head)
        guard case .deliver = connection.received(.end(nil)) else { Issue.record("end of the first request not delivered"); return }
        // The response is pending: reads go on (no epoll_ctl churn per request).
        #expect(!connection.holdsReads)
        guard case .queued = connection.received(head) else { Issue.record("pipelined head not queued"); return }
        guard case .queued = connection.received(.end(nil)) else { Issue.record("pipelined end not queued"); return }
        #expect(connection.holdsReads)
        let result5 = connection.nextQueued(now: start)  // the first exchange is still running
        #expect(result5 == nil)
        let result6 = connection.exchangeFinished(closeConnection: false, now: start)
        #expect(result6 == .continueServing)
        guard case .part(.head)? = connection.nextQueued(now: start) else { Issue.record("queued head not handed out"); return }
        guard case .part(.end)? = connection.nextQueued(now: start) else { Issue.record("queued end not handed out"); return }
        let result7 = connection.nextQueued(now: start)
        #expect(result7 == nil)
        #expect(!connection.holdsReads)
        #expect(connection.deadline == nil)  // the second request is in flight
    }

    @Test func closeAfterAResponseDropsWhatWaits() {
        var connection = machine()
        _ = connection.received(head)
        _ = connection.received(.end(nil))
        _ = connection.received(head)
        let result8 = connection.exchangeFinished(closeConnection: true, now: start)
        #expect(result8 == .close)
        let result9 = connection.nextQueued(now: start)
        #expect(result9 == nil)
        guard case .drop = connection.received(.end(nil)) else { Issue.record("part after close not dropped"); return }
    }

    @Test func malformedBytesAreAnsweredAtOnceOrAfterTheRequestInFlight() {
        var idle = machine()
        let invalid = RequestRejection(status: .badRequest, reason: "invalid field name")
        let result10 = idle.malformedRequest(invalid)
        #expect(result10 == .answer(invalid))
        #expect(idle.isClosing)

        var busy = machine()
        _ = busy.received(head)
        let tooLarge = RequestRejection(status: .requestHeaderFieldsTooLarge, reason: "head too large")
        let result11 = busy.malformedRequest(tooLarge)
        #expect(result11 == .later)
        let result12 = busy.exchangeFinished(closeConnection: false, now: start)
        #expect(result12 == .continueServing)
        guard case .malformed(tooLarge)? = busy.nextQueued(now: start) else {
            Issue.record("malformed marker not handed out"); return
        }
        #expect(busy.isClosing)
    }

    @Test func drainClosesAnIdleConnectionNowAndABusyOneAfterItsResponse() {
        var idle = machine()
        let result13 = idle.drain()
        #expect(result13)
        var busy = machine()
        _ = busy.received(head)
        let result14 = busy.drain()
        #expect(!result14)
        let result15 = busy.exchangeFinished(closeConnection: false, now: start)
        #expect(result15 == .close)
    }
}

extension HTTP1ConnectionStateMachine.Queued: Equatable {
    public static func == (lhs: Self, rhs: Self) -> Bool {
        switch (lhs, rhs) {
        case (.part(let a), .part(let b)): return a == b
        case (.malformed(let a), .malformed(let b)): return a == b
        default: return false
        }
    }
}
