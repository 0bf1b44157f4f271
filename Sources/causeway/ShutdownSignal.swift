import Foundation
import Dispatch
import Synchronization

/// Waits for SIGINT or SIGTERM, so servers can close their listeners and finish cleanly.
enum ShutdownSignal {
    private static let queue = DispatchQueue(label: "causeway.signals")

    static func wait() async {
        let waiter = Waiter()
        let sources = [SIGINT, SIGTERM].map { signalNumber -> any DispatchSourceSignal in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            source.setEventHandler { waiter.fire() }
            source.resume()
            return source
        }
        await withCheckedContinuation { waiter.install($0) }
        for source in sources { source.cancel() }
    }

    /// Resumes the waiting task once, whichever comes first: the signal or the installation.
    private final class Waiter: Sendable {
        private let state = Mutex<(fired: Bool, continuation: CheckedContinuation<Void, Never>?)>((false, nil))

        func install(_ continuation: CheckedContinuation<Void, Never>) {
            let resumeNow = state.withLock { state -> Bool in
                if state.fired { return true }
                state.continuation = continuation
                return false
            }
            if resumeNow { continuation.resume() }
        }

        func fire() {
            let continuation = state.withLock { state -> CheckedContinuation<Void, Never>? in
                guard !state.fired else { return nil }
                state.fired = true
                defer { state.continuation = nil }
                return state.continuation
            }
            continuation?.resume()
        }
    }
}
