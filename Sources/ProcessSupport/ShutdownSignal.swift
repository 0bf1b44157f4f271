import Foundation
import Dispatch
import Synchronization

/// Waits for SIGINT or SIGTERM, so servers can close their listeners and finish cleanly.
public enum ShutdownSignal {
    private static let queue = DispatchQueue(label: "causeway.signals")

    /// Returns the signal that arrived first.
    @discardableResult
    public static func wait() async -> Int32 {
        let waiter = Waiter()
        let sources = [SIGINT, SIGTERM].map { signalNumber -> any DispatchSourceSignal in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            source.setEventHandler { waiter.fire(signalNumber) }
            source.resume()
            return source
        }
        let number = await withCheckedContinuation { waiter.install($0) }
        for source in sources { source.cancel() }
        return number
    }

    /// Resumes the waiting task once, whichever comes first: the signal or the installation.
    private final class Waiter: Sendable {
        private let state = Mutex<(fired: Int32?, continuation: CheckedContinuation<Int32, Never>?)>((nil, nil))

        func install(_ continuation: CheckedContinuation<Int32, Never>) {
            let firedAlready = state.withLock { state -> Int32? in
                if let fired = state.fired { return fired }
                state.continuation = continuation
                return nil
            }
            if let firedAlready { continuation.resume(returning: firedAlready) }
        }

        func fire(_ number: Int32) {
            let continuation = state.withLock { state -> CheckedContinuation<Int32, Never>? in
                guard state.fired == nil else { return nil }
                state.fired = number
                defer { state.continuation = nil }
                return state.continuation
            }
            continuation?.resume(returning: number)
        }
    }
}
