import Foundation
import Synchronization

/// One pod's container as a local process: started, restarted with backoff when it exits (as
/// `restartPolicy: Always` does), probed for readiness, and stopped with SIGTERM (SIGKILL after
/// the grace period) when the pod goes. Every change is reported through `report`.
final class PodProcess: Sendable {
    struct Launch: Sendable {
        var executable: String
        var arguments: [String]
        var environment: [String: String]
        var directory: URL
        var logFile: URL
        /// Readiness probe target: (port, path); nil means ready once started.
        var probe: (port: Int, path: String)?
        var address: String
        var gracePeriod: Duration
    }

    enum Event: Sendable {
        case started(restarts: Int)
        case ready(Bool)
        case exited(status: Int32, restarts: Int)
    }

    let launch: Launch
    let report: @Sendable (Event) -> Void
    private struct State {
        var process: Process?
        var stopping = false
        var restarts = 0
        var ready = false
    }
    private let state = Mutex(State())
    private let supervisor = Mutex<Task<Void, Never>?>(nil)

    init(launch: Launch, report: @escaping @Sendable (Event) -> Void) {
        self.launch = launch
        self.report = report
    }

    func start() {
        let task = Task { await supervise() }
        supervisor.withLock { $0 = task }
    }

    /// SIGTERM, then SIGKILL after the grace period; returns once the process is gone.
    func stop() async {
        let process = state.withLock { state -> Process? in
            state.stopping = true
            return state.process
        }
        supervisor.withLock { $0 }?.cancel()
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = ContinuousClock.now + launch.gracePeriod
        while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    private func supervise() async {
        var backoff = Duration.milliseconds(500)
        while !Task.isCancelled, !state.withLock({ $0.stopping }) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: launch.executable)
            process.arguments = launch.arguments
            process.environment = launch.environment
            process.currentDirectoryURL = launch.directory
            if !FileManager.default.fileExists(atPath: launch.logFile.path) {
                _ = FileManager.default.createFile(atPath: launch.logFile.path, contents: nil)
            }
            let log = try? FileHandle(forWritingTo: launch.logFile)
            _ = try? log?.seekToEnd()
            process.standardOutput = log ?? FileHandle.nullDevice
            process.standardError = log ?? FileHandle.nullDevice
            let started = ContinuousClock.now
            do {
                try process.run()
            } catch {
                try? await Task.sleep(for: backoff)
                continue
            }
            // `stop()` may have run while the process was starting; it could not see it then.
            let registered = state.withLock { state -> Int? in
                guard !state.stopping else { return nil }
                state.process = process
                state.ready = false
                return state.restarts
            }
            guard let restarts = registered else {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                try? log?.close()
                return
            }
            report(.started(restarts: restarts))
            await probeUntilExit(process)
            try? log?.close()
            let exited = state.withLock { state -> (Int, Bool) in
                state.process = nil
                if !state.stopping { state.restarts += 1 }
                return (state.restarts, state.stopping)
            }
            report(.exited(status: process.terminationStatus, restarts: exited.0))
            if exited.1 { return }
            // A process that ran a while gets a fresh backoff, as the kubelet's does.
            if ContinuousClock.now - started > .seconds(10) { backoff = .milliseconds(500) }
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, .seconds(10))
        }
    }

    /// Probes every 500 ms while the process runs, reporting each change of readiness.
    private func probeUntilExit(_ process: Process) async {
        var lastReady: Bool?
        while process.isRunning {
            var ready = true
            if let probe = launch.probe {
                let address = launch.address
                // The probe blocks for up to two seconds: on a thread of its own, never one of the
                // few that run the controller's tasks in this process.
                ready = await withCheckedContinuation { continuation in
                    DispatchQueue.global().async {
                        continuation.resume(returning: ReadinessProbe.httpGet(host: address, port: probe.port, path: probe.path))
                    }
                }
            }
            if ready != lastReady {
                state.withLock { $0.ready = ready }
                report(.ready(ready))
                lastReady = ready
            }
            for _ in 0..<10 where process.isRunning { try? await Task.sleep(for: .milliseconds(50)) }
        }
    }
}
