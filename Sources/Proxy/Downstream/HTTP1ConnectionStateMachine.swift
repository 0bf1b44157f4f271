import NIOCore
import NIOHTTP1

/// The connection-level life of one downstream HTTP/1 connection, as a value: which request part
/// goes to the exchange now and which waits behind the one in flight (pipelining), when reads are
/// held, when the connection closes (drain, `Connection: close`, a malformed request) and which
/// deadline applies while no request is in flight (the header timeout on a new connection, the
/// idle timeout between requests).
///
/// Reads are held only while a later request is already waiting, never just because a response is
/// pending: holding them would make the event loop drop and re-add the socket's read interest
/// (two `epoll_ctl` calls) on every request.
struct HTTP1ConnectionStateMachine {
    enum Phase: Equatable {
        /// No request in flight; `deadline` runs.
        case awaitingHead
        /// A request's head went to the exchange, which has not finished yet.
        case exchange
        /// The connection is closing; nothing more is read or answered.
        case closing
    }

    /// What arrived while an exchange was in flight, in arrival order.
    enum Queued {
        case part(HTTPServerRequestPart)
        /// The decoder could not parse the bytes after the last complete request.
        case malformed(RequestRejection)
    }

    enum ReceiveAction {
        case deliver(HTTPServerRequestPart)
        /// Waits for the exchange in flight; reads are held from now on.
        case queued
        case drop
    }

    enum FinishAction: Equatable {
        case close
        /// Deliver what `nextQueued()` hands out; when nothing is left, wait for the next head.
        case continueServing
    }

    enum MalformedAction: Equatable {
        /// Answer with this status and reason, and close.
        case answer(RequestRejection)
        /// Answered once the exchange in flight is over (`nextQueued` hands it out).
        case later
        case none
    }

    enum TimerAction: Equatable {
        case none
        case close
        case rearm(NIODeadline)
    }

    private(set) var phase: Phase = .awaitingHead
    private var queue = CircularBuffer<Queued>()
    private var draining = false
    private let headerTimeout: TimeAmount
    private let idleTimeout: TimeAmount
    /// When the connection closes unless a request head arrives; nil while a request is in flight.
    private(set) var deadline: NIODeadline?

    init(headerTimeout: TimeAmount, idleTimeout: TimeAmount, now: NIODeadline) {
        self.headerTimeout = headerTimeout
        self.idleTimeout = idleTimeout
        deadline = now + headerTimeout
    }

    /// Reads stop while a later request waits (bounded pipelining) and once the connection closes.
    var holdsReads: Bool { !queue.isEmpty || phase == .closing }

    var isClosing: Bool { phase == .closing }

    mutating func received(_ part: HTTPServerRequestPart) -> ReceiveAction {
        if phase == .closing { return .drop }
        if !queue.isEmpty {
            queue.append(.part(part))
            return .queued
        }
        switch part {
        case .head:
            if phase == .exchange {
                queue.append(.part(part))
                return .queued
            }
            phase = .exchange
            deadline = nil
            return .deliver(part)
        case .body, .end:
            // Parts without a head cannot come from the decoder; parts of the request in flight go to it.
            return phase == .exchange ? .deliver(part) : .drop
        }
    }

    /// The exchange in flight is over (response written, request fully read).
    mutating func exchangeFinished(closeConnection: Bool, now: NIODeadline) -> FinishAction {
        guard phase != .closing else { return .close }
        if closeConnection || draining {
            phase = .closing
            queue.removeAll()
            return .close
        }
        phase = .awaitingHead
        if queue.isEmpty { deadline = now + idleTimeout }
        return .continueServing
    }

    /// The next waiting item to deliver, or nil when the queue is empty or its head must wait for
    /// the exchange it would start behind.
    mutating func nextQueued(now: NIODeadline) -> Queued? {
        guard phase != .closing, let next = queue.first else { return nil }
        switch next {
        case .part(.head):
            guard phase == .awaitingHead else { return nil }
            phase = .exchange
            deadline = nil
        case .part:
            guard phase == .exchange else {
                queue.removeFirst()
                return nextQueued(now: now)
            }
        case .malformed:
            guard phase == .awaitingHead else { return nil }
            phase = .closing
            queue.removeAll()
            return next
        }
        queue.removeFirst()
        if queue.isEmpty, phase == .awaitingHead { deadline = now + idleTimeout }
        return next
    }

    /// The decoder gave up on the bytes after the last complete request.
    mutating func malformedRequest(_ rejection: RequestRejection) -> MalformedAction {
        switch phase {
        case .closing:
            return .none
        case .awaitingHead where queue.isEmpty:
            phase = .closing
            return .answer(rejection)
        case .awaitingHead, .exchange:
            queue.append(.malformed(rejection))
            return .later
        }
    }

    /// The proxy is draining: an idle connection closes now, a busy one after its response.
    mutating func drain() -> Bool {
        draining = true
        guard phase == .awaitingHead, queue.isEmpty else { return false }
        phase = .closing
        return true
    }

    /// The connection's timer fired at `now`.
    mutating func timerFired(now: NIODeadline) -> TimerAction {
        guard phase == .awaitingHead, queue.isEmpty, let deadline else { return .none }
        if deadline <= now {
            phase = .closing
            return .close
        }
        return .rearm(deadline)
    }

    mutating func closed() {
        phase = .closing
        queue.removeAll()
    }
}
