import Foundation
import Dispatch
import Synchronization

/// Waits for SIGINT or SIGTERM, so servers can close their listeners and finish cleanly.
enum ShutdownSignal {
    private static let queue = DispatchQueue(label: "causeway.signals")
    /// Signal sources must outlive the wait; kept here once installed.
    private static let sources = Mutex<[any DispatchSourceSignal]>([])

    static func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumed = Mutex(false)
            var installed: [any DispatchSourceSignal] = []
            for signalNumber in [SIGINT, SIGTERM] {
                signal(signalNumber, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
                source.setEventHandler {
                    let first = resumed.withLock { done -> Bool in
                        defer { done = true }
                        return !done
                    }
                    if first { continuation.resume() }
                }
                source.resume()
                installed.append(source)
            }
            sources.withLock { $0 = installed }
        }
    }
}
