import NIOCore
import NIOHTTP1

/// The life of one request/response exchange on a downstream connection or stream.
///
/// Events come from the client (request parts), the upstream (lease, response parts, failure)
/// and timers; each returns the action the handler performs. Request and response progress are
/// tracked separately because either may finish first (a backend may answer before the upload ends).
struct ExchangeStateMachine {
    enum State {
        case idle
        /// Waiting for an upstream stream; request parts are held (reads are paused meanwhile).
        case awaitingUpstream(buffer: [HTTPClientRequestPart], requestComplete: Bool)
        case forwarding(requestComplete: Bool, responseStarted: Bool)
        /// The proxy answered (locally or after the upstream ended); the rest of the request body is discarded.
        case answered(requestComplete: Bool, responseComplete: Bool, closeAfter: Bool)
        /// Held only while a buffered request is appended to: the state then owns the only
        /// reference to the buffer, so appending does not copy it (swift-nio's idiom).
        case modifying
    }

    enum Action {
        case none
        case leaseUpstream
        case flushToUpstream([HTTPClientRequestPart])
        case forwardToUpstream(HTTPClientRequestPart)
        case writeResponseHead
        case writeResponseBody
        case writeResponseEnd(releaseUpstream: Bool, exchangeDone: Bool)
        /// Answer with a proxy-made error and drop the upstream (if any).
        case failWith(HTTPResponseStatus, closeConnection: Bool, exchangeDone: Bool)
        /// The response is partly sent: the only honest signal left is to cut the connection.
        case abortConnection
        /// The request body ended after the response did: the exchange is over.
        case exchangeDone(closeConnection: Bool)
    }

    private(set) var state: State = .idle

    var isIdle: Bool { if case .idle = state { return true } else { return false } }

    var isAwaitingUpstream: Bool { if case .awaitingUpstream = state { return true } else { return false } }

    /// Client reads are paused while request body arrives with no upstream stream to take it. A
    /// request already complete does not hold them: only a pipelined request could follow, and
    /// the connection holds reads once one waits.
    var isBufferingRequestBody: Bool { if case .awaitingUpstream(_, false) = state { return true } else { return false } }

    var responseStarted: Bool {
        switch state {
        case .forwarding(_, let started): return started
        case .answered: return true
        default: return false
        }
    }

    mutating func startForwarding(_ head: HTTPClientRequestPart) -> Action {
        precondition(isIdle)
        state = .awaitingUpstream(buffer: [head], requestComplete: false)
        return .leaseUpstream
    }

    /// The proxy answers by itself (no route, redirect, rejection).
    mutating func answerLocally(closeAfter: Bool) {
        state = .answered(requestComplete: false, responseComplete: true, closeAfter: closeAfter)
    }

    mutating func requestPart(_ part: HTTPClientRequestPart) -> Action {
        let isEnd: Bool
        if case .end = part { isEnd = true } else { isEnd = false }
        switch state {
        case .modifying:
            preconditionFailure("state observed while being modified")
        case .idle:
            return .none
        case .awaitingUpstream(var buffer, _):
            state = .modifying
            buffer.append(part)
            state = .awaitingUpstream(buffer: buffer, requestComplete: isEnd)
            return .none
        case .forwarding(_, let responseStarted):
            state = .forwarding(requestComplete: isEnd, responseStarted: responseStarted)
            return .forwardToUpstream(part)
        case .answered(_, let responseComplete, let closeAfter):
            if isEnd && responseComplete {
                state = .idle
                return .exchangeDone(closeConnection: closeAfter)
            }
            state = .answered(requestComplete: isEnd, responseComplete: responseComplete, closeAfter: closeAfter)
            return .none
        }
    }

    mutating func upstreamLeased() -> Action {
        guard case .awaitingUpstream(let buffer, let requestComplete) = state else { return .none }
        state = .forwarding(requestComplete: requestComplete, responseStarted: false)
        return .flushToUpstream(buffer)
    }

    mutating func upstreamUnavailable() -> Action {
        fail(status: .serviceUnavailable)
    }

    mutating func responsePart(_ part: HTTPClientResponsePart) -> Action {
        guard case .forwarding(let requestComplete, _) = state else { return .none }
        switch part {
        case .head:
            state = .forwarding(requestComplete: requestComplete, responseStarted: true)
            return .writeResponseHead
        case .body:
            return .writeResponseBody
        case .end:
            if requestComplete {
                state = .idle
                return .writeResponseEnd(releaseUpstream: true, exchangeDone: true)
            }
            // The backend answered before the upload finished: keep reading the body to discard
            // it, then the connection can be reused (the upstream connection cannot).
            state = .answered(requestComplete: false, responseComplete: true, closeAfter: false)
            return .writeResponseEnd(releaseUpstream: false, exchangeDone: false)
        }
    }

    mutating func upstreamFailed() -> Action { fail(status: .badGateway) }

    /// A reused keep-alive connection failed before any response byte, for a request without a
    /// body that was fully sent: most likely the backend closed the idle connection as the request
    /// went out. The request is sent once more, on a fresh connection.
    mutating func retryOnFreshConnection(_ head: HTTPClientRequestPart) -> Action {
        guard case .forwarding(true, false) = state else { return fail(status: .badGateway) }
        state = .awaitingUpstream(buffer: [head, .end(nil)], requestComplete: true)
        return .leaseUpstream
    }

    /// Prepares another attempt (a retry policy's) of a request that had no body and was fully
    /// received, while no response byte has gone to the client; false when that no longer holds.
    mutating func prepareRetry(_ head: HTTPClientRequestPart) -> Bool {
        switch state {
        case .awaitingUpstream(_, true), .forwarding(true, false):
            state = .awaitingUpstream(buffer: [head, .end(nil)], requestComplete: true)
            return true
        default:
            return false
        }
    }

    mutating func timedOut() -> Action { fail(status: .gatewayTimeout) }

    /// The client sent more body than the route allows.
    mutating func bodyTooLarge() -> Action {
        switch state {
        case .modifying: preconditionFailure("state observed while being modified")
        case .idle, .answered: return .none
        case .awaitingUpstream, .forwarding:
            if responseStarted { state = .answered(requestComplete: true, responseComplete: true, closeAfter: true); return .abortConnection }
            state = .answered(requestComplete: true, responseComplete: true, closeAfter: true)
            return .failWith(.payloadTooLarge, closeConnection: true, exchangeDone: true)
        }
    }

    private mutating func fail(status: HTTPResponseStatus) -> Action {
        switch state {
        case .modifying:
            preconditionFailure("state observed while being modified")
        case .idle, .answered:
            return .none
        case .awaitingUpstream(_, let requestComplete):
            state = requestComplete ? .idle : .answered(requestComplete: false, responseComplete: true, closeAfter: true)
            return .failWith(status, closeConnection: !requestComplete, exchangeDone: requestComplete)
        case .forwarding(let requestComplete, let responseStarted):
            if responseStarted {
                state = .answered(requestComplete: true, responseComplete: true, closeAfter: true)
                return .abortConnection
            }
            state = requestComplete ? .idle : .answered(requestComplete: false, responseComplete: true, closeAfter: true)
            return .failWith(status, closeConnection: !requestComplete, exchangeDone: requestComplete)
        }
    }
}
