import CCurl
import Foundation
import Synchronization

/// Drives every transfer of the process through one libcurl multi handle on one dedicated thread.
///
/// Why a thread of its own rather than NIO's event loops: libcurl wants to own its sockets and be
/// told when they are ready (CURLMOPT_SOCKETFUNCTION), and NIO offers no public way to register a
/// foreign file descriptor with an event loop's selector. A single thread blocked in
/// `curl_multi_poll` never stalls an event loop, costs one thread for all requests (not one per
/// request), and `curl_multi_wakeup` lets other threads hand it work at once. The multi handle
/// keeps the connection cache, so connections are reused and HTTP/2 streams multiplexed.
public final class CurlEngine: Sendable {
    /// The process-wide engine, started on first use.
    public static let shared = CurlEngine()

    private enum Command {
        case add(CurlTransfer)
        case cancel(UInt64)
        case resume(UInt64)
    }

    private struct State {
        var commands: [Command] = []
        var nextID: UInt64 = 1
        var stopping = false
        var started = false
    }

    private let state = Mutex(State())
    /// Touched only by the engine thread after start, except for the thread-safe `curl_multi_wakeup`.
    private nonisolated(unsafe) let multi: UnsafeMutableRawPointer

    public init() {
        _ = ccurl_global_init()
        multi = curl_multi_init()
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX)
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, 64)
    }

    private func startIfNeeded() {
        let start = state.withLock { state -> Bool in
            if state.started { return false }
            state.started = true
            return true
        }
        guard start else { return }
        let thread = Thread { [self] in run() }
        thread.name = "causeway-curl"
        thread.start()
    }

    /// Starts a transfer; returns its id for `cancel`.
    func submit(request: HTTPRequest, head: CheckedContinuation<HTTPResponseHead, any Error>,
                body: AsyncThrowingStream<[UInt8], any Error>.Continuation, flow: FlowControl) -> UInt64? {
        let (id, stopping) = state.withLock { state -> (UInt64, Bool) in
            defer { state.nextID += 1 }
            return (state.nextID, state.stopping)
        }
        if stopping {
            let error = TransportError(code: .shutdown, message: "the HTTP engine is shut down")
            head.resume(throwing: error)
            body.finish(throwing: error)
            return nil
        }
        let transfer: CurlTransfer
        do {
            transfer = try CurlTransfer(id: id, request: request, head: head, body: body, flow: flow)
        } catch {
            head.resume(throwing: error)
            body.finish(throwing: error)
            return nil
        }
        startIfNeeded()
        state.withLock { $0.commands.append(.add(transfer)) }
        curl_multi_wakeup(multi)
        return id
    }

    func cancel(_ id: UInt64) {
        state.withLock { $0.commands.append(.cancel(id)) }
        curl_multi_wakeup(multi)
    }

    /// Resumes a transfer paused because its consumer fell behind.
    func resume(_ id: UInt64) {
        state.withLock { $0.commands.append(.resume(id)) }
        curl_multi_wakeup(multi)
    }

    /// Aborts every transfer and stops the thread. The shared engine is never shut down.
    public func shutdown() {
        state.withLock { $0.stopping = true }
        curl_multi_wakeup(multi)
    }

    private func run() {
        var transfers: [UInt64: CurlTransfer] = [:]
        var byHandle: [UnsafeMutableRawPointer: UInt64] = [:]

        func remove(_ id: UInt64, result: CURLcode?) {
            guard let transfer = transfers.removeValue(forKey: id) else { return }
            byHandle.removeValue(forKey: transfer.easy)
            curl_multi_remove_handle(multi, transfer.easy)
            transfer.complete(result)
            transfer.release()
        }

        while true {
            let (commands, stopping) = state.withLock { state -> ([Command], Bool) in
                defer { state.commands.removeAll(keepingCapacity: true) }
                return (state.commands, state.stopping)
            }
            for command in commands {
                switch command {
                case .add(let transfer):
                    let code = curl_multi_add_handle(multi, transfer.easy)
                    if code != CURLM_OK {
                        transfer.fail(TransportError(code: .other, message: String(cString: curl_multi_strerror(code))))
                        transfer.release()
                        continue
                    }
                    transfers[transfer.id] = transfer
                    byHandle[transfer.easy] = transfer.id
                case .cancel(let id):
                    // A cancel always follows its add in this queue (ids are handed out by `submit`),
                    // so an unknown id is a transfer that already finished.
                    remove(id, result: nil)
                case .resume(let id):
                    // CURLPAUSE_CONT (0): libcurl redelivers the refused chunk from here, possibly at once.
                    if let transfer = transfers[id] { curl_easy_pause(transfer.easy, 0) }
                }
            }
            if stopping {
                for id in Array(transfers.keys) { remove(id, result: nil) }
                curl_multi_cleanup(multi)
                return
            }

            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            var remaining: Int32 = 0
            while let message = curl_multi_info_read(multi, &remaining) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                      let id = byHandle[easy] else { continue }
                remove(id, result: ccurl_message_result(message))
            }
            // Sleeps until a socket is ready, libcurl's own timer fires, or `curl_multi_wakeup`.
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
    }
}

/// The HTTP transport over `CurlEngine`.
public struct CurlTransport: HTTPTransport {
    public let engine: CurlEngine
    /// Bytes of a response body allowed to wait for a slow consumer before the transfer pauses.
    public let bufferLimit: Int

    public init(engine: CurlEngine = .shared, bufferLimit: Int = 4 << 20) {
        self.engine = engine
        self.bufferLimit = bufferLimit
    }

    /// Sends the request; returns once the status line and headers are in, the body still streaming.
    public func execute(_ request: HTTPRequest) async throws -> HTTPResponse {
        let (stream, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        let idBox = Mutex<UInt64?>(nil)
        let cancelled = Mutex(false)
        let engine = self.engine
        let flow = FlowControl(highWater: bufferLimit, lowWater: bufferLimit / 4)
        let head = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (head: CheckedContinuation<HTTPResponseHead, any Error>) in
                let id = engine.submit(request: request, head: head, body: continuation, flow: flow)
                idBox.withLock { $0 = id }
                if let id, cancelled.withLock({ $0 }) { engine.cancel(id) }
            }
        } onCancel: {
            cancelled.withLock { $0 = true }
            if let id = idBox.withLock({ $0 }) { engine.cancel(id) }
        }
        let id = idBox.withLock { $0 }
        if let id {
            // The consumer dropping the body (or its task being cancelled) aborts the transfer.
            continuation.onTermination = { termination in
                if case .cancelled = termination { engine.cancel(id) }
            }
        }
        return HTTPResponse(head: head, body: HTTPBody(stream: stream, flow: flow, resume: { if let id { engine.resume(id) } }))
    }
}
