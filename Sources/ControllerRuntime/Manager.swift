import KubeClient
import Logging
import Synchronization

/// Runs a controller process: informers first, then — once every cache has synced, and while
/// this process leads, if leader election is configured — the controllers. Cancelling `run`
/// stops in reverse: controllers finish their current keys, then informers stop, then the
/// lease is released.
public final class Manager: Sendable {
    private struct State {
        var informers: [SharedInformer] = []
        var runnables: [any Runnable] = []
        var started = false
    }

    private let state = Mutex(State())
    private let elector: LeaderElector?
    private let logger: Logger

    /// - Parameter leaderElector: when set, controllers run only while this process holds the lease.
    public init(leaderElector: LeaderElector? = nil, logger: Logger = Logger(label: "causeway.manager")) {
        elector = leaderElector
        self.logger = logger
    }

    public func add(_ informer: SharedInformer) {
        state.withLock { state in
            precondition(!state.started, "add informers before run()")
            state.informers.append(informer)
        }
    }

    public func add(_ runnable: any Runnable) {
        state.withLock { state in
            precondition(!state.started, "add controllers before run()")
            state.runnables.append(runnable)
        }
    }

    /// Errors that end a manager's run.
    public enum Outcome: Sendable, Equatable {
        /// The calling task was cancelled: an orderly shutdown.
        case stopped
        /// Another process took the lease; a controller process should exit and be restarted.
        case leadershipLost
    }

    /// Runs until cancelled or until leadership is lost.
    public func run() async -> Outcome {
        let (informers, runnables) = state.withLock { state in
            state.started = true
            return (state.informers, state.runnables)
        }
        let informerTask = Task {
            await withDiscardingTaskGroup { group in
                for informer in informers { group.addTask { await informer.run() } }
            }
        }
        defer { informerTask.cancel() }

        let outcome: Outcome = await { () async -> Outcome in
            // Wait for every cache before any reconciler reads one.
            for informer in informers {
                guard await informer.waitForSync() else { return .stopped }
            }
            logger.info("caches synced", metadata: ["informers": "\(informers.map(\.name))"])
            let runControllers: @Sendable () async -> Void = {
                await withDiscardingTaskGroup { group in
                    for runnable in runnables { group.addTask { await runnable.run() } }
                }
            }
            if let elector {
                return await elector.run(whileLeading: runControllers) ? .leadershipLost : .stopped
            }
            await runControllers()
            return .stopped
        }()
        informerTask.cancel()
        await informerTask.value
        return outcome
    }
}
