import Foundation

/// Ends this process when the process that started it is gone, for processes started with
/// `CAUSEWAY_PARENT_PID`: the pods `causeway dev` runs, and the `causeway` processes tests start.
/// A `causeway dev` that is killed (or a test runner that crashes) cannot stop its children
/// itself, and a proxy left behind keeps its ports and outlives every run that follows.
/// `PR_SET_PDEATHSIG` would not do: it fires when the *thread* that spawned the child exits,
/// and the threads of Swift's executors come and go.
public enum ParentWatch {
    public static func startIfRequested() {
        guard let text = ProcessInfo.processInfo.environment["CAUSEWAY_PARENT_PID"], let expected = pid_t(text) else { return }
        let thread = Thread {
            while getppid() == expected { usleep(250_000) }
            // Shut down as on SIGTERM (listeners close, children stop); if that does not end the
            // process soon, end it here.
            kill(getpid(), SIGTERM)
            sleep(15)
            _exit(1)
        }
        thread.name = "causeway.parent-watch"
        thread.start()
    }
}
