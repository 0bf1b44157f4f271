import Foundation
import KubeClient
import Logging
import Synchronization

/// Timings and identity of a leader election, with client-go's usual values.
public struct LeaderElectionConfig: Sendable {
    public var identity: String
    /// How long others wait, from the last renewal they saw, before taking over.
    public var leaseDuration: Duration
    /// How long the leader keeps trying to renew before it gives up leading. Must be shorter
    /// than `leaseDuration`, so the old leader stops before anyone else may start.
    public var renewDeadline: Duration
    /// Pause between attempts to acquire or renew.
    public var retryPeriod: Duration
    /// Give the lease up on shutdown so a successor need not wait for it to expire.
    public var releaseOnCancel: Bool

    public init(identity: String, leaseDuration: Duration = .seconds(15), renewDeadline: Duration = .seconds(10),
                retryPeriod: Duration = .seconds(2), releaseOnCancel: Bool = true) {
        precondition(leaseDuration > renewDeadline, "leaseDuration must be greater than renewDeadline")
        precondition(renewDeadline > retryPeriod, "renewDeadline must be greater than retryPeriod")
        self.identity = identity
        self.leaseDuration = leaseDuration
        self.renewDeadline = renewDeadline
        self.retryPeriod = retryPeriod
        self.releaseOnCancel = releaseOnCancel
    }
}

/// Leader election on a `coordination.k8s.io/v1` Lease.
///
/// Expiry is judged by when *this* process last saw the lease record change, not by the
/// timestamps written in it, so clocks of different machines need not agree.
public final class LeaderElector: Sendable {
    public let config: LeaderElectionConfig
    private let store: any LeaseStore
    private let clock: any KubeClock
    private let random: any RandomSource
    private let logger: Logger
    private let onNewLeader: (@Sendable (String) -> Void)?

    private struct State {
        var observed: Lease.Spec?
        var observedTime: Date?
        var leader = false
        var reportedLeader: String?
    }
    private let state = Mutex(State())

    public init(config: LeaderElectionConfig, store: any LeaseStore, clock: any KubeClock = SystemClock(),
                random: any RandomSource = SystemRandom(), onNewLeader: (@Sendable (String) -> Void)? = nil,
                logger: Logger = Logger(label: "causeway.leaderelection")) {
        self.config = config
        self.store = store
        self.clock = clock
        self.random = random
        self.onNewLeader = onNewLeader
        self.logger = logger
    }

    public var isLeader: Bool { state.withLock { $0.leader } }

    /// Campaigns until elected, runs `whileLeading` while the lease is held, and returns when
    /// leadership is lost (after `whileLeading` has been cancelled and has returned) or when the
    /// calling task is cancelled (after releasing the lease).
    /// - Returns: true if leadership was lost, false if cancelled.
    @discardableResult
    public func run(onStoppedLeading: (@Sendable () -> Void)? = nil, whileLeading: @escaping @Sendable () async -> Void) async -> Bool {
        guard await acquire() else { return false }
        state.withLock { $0.leader = true }
        logger.info("became leader", metadata: ["identity": "\(config.identity)"])

        let lost = await withTaskGroup(of: Bool?.self) { group -> Bool in
            group.addTask {
                await whileLeading()
                return nil
            }
            group.addTask { await self.renewUntilLost() }
            var lost = false
            for await result in group {
                if let result {
                    lost = result
                    // Stop the leader's work before anything else can happen.
                    group.cancelAll()
                }
            }
            return lost
        }
        state.withLock { $0.leader = false }
        if lost {
            logger.warning("lost leadership", metadata: ["identity": "\(config.identity)"])
        } else if config.releaseOnCancel {
            // The calling task is cancelled, which would abort the release request: send it from a
            // task of its own and wait for it.
            await Task { await self.release() }.value
        }
        onStoppedLeading?()
        return lost
    }

    private func acquire() async -> Bool {
        while !Task.isCancelled {
            if await attempt(within: config.renewDeadline) { return true }
            let wait = Duration.seconds(double: config.retryPeriod.seconds * (1 + 1.2 * random.nextUnit()))
            do { try await clock.sleep(for: wait) } catch { return false }
        }
        return false
    }

    /// Renews every `retryPeriod`; returns true when renewal failed for `renewDeadline`, false when cancelled.
    private func renewUntilLost() async -> Bool {
        var lastRenewal = clock.now()
        while true {
            do { try await clock.sleep(for: config.retryPeriod) } catch { return false }
            let remaining = config.renewDeadline.seconds - clock.now().timeIntervalSince(lastRenewal)
            if remaining > 0, await attempt(within: .seconds(double: remaining)) {
                lastRenewal = clock.now()
                continue
            }
            if Task.isCancelled { return false }
            if clock.now().timeIntervalSince(lastRenewal) >= config.renewDeadline.seconds { return true }
        }
    }

    /// One acquire-or-renew, abandoned if it takes longer than `limit` (a hung API server must not
    /// keep a leader believing it still leads). The limit is measured in real time: it bounds a
    /// request in flight, which only real time can delay, and it keeps the injected clock's
    /// sleepers to the election's own waits, so tests can tell when every candidate is parked.
    private func attempt(within limit: Duration) async -> Bool {
        await withTaskGroup(of: Bool?.self) { group in
            group.addTask { await self.tryAcquireOrRenew() }
            group.addTask {
                do { try await Task.sleep(for: limit) } catch { return nil }
                return false
            }
            var outcome = false
            for await result in group {
                if let result {
                    outcome = result
                    group.cancelAll()
                    break
                }
            }
            group.cancelAll()
            return outcome
        }
    }

    func tryAcquireOrRenew() async -> Bool {
        let now = clock.now()
        let nowText = RFC3339.formatMicro(now)
        let identity = config.identity
        let duration = Int(config.leaseDuration.seconds.rounded())
        do {
            guard var lease = try await store.get() else {
                let spec = Lease.Spec(holderIdentity: identity, leaseDurationSeconds: duration, acquireTime: nowText,
                                      renewTime: nowText, leaseTransitions: 0)
                let created = try await store.create(Lease(metadata: .init(name: store.name, namespace: store.namespace), spec: spec))
                observe(created.spec, at: now)
                return true
            }
            let record = lease.spec
            let observedTime = state.withLock { state -> Date in
                if state.observed != record || state.observedTime == nil {
                    state.observed = record
                    state.observedTime = now
                }
                return state.observedTime!
            }
            let holder = record.holderIdentity ?? ""
            report(holder)
            let recordDuration = Double(record.leaseDurationSeconds ?? duration)
            if !holder.isEmpty, holder != identity, observedTime.addingTimeInterval(recordDuration) > now {
                return false
            }
            var spec = record
            if holder != identity {
                spec.acquireTime = nowText
                spec.leaseTransitions = (record.leaseTransitions ?? 0) + 1
            }
            spec.holderIdentity = identity
            spec.leaseDurationSeconds = duration
            spec.renewTime = nowText
            lease.spec = spec
            let updated = try await store.update(lease)
            observe(updated.spec, at: now)
            report(identity)
            return true
        } catch {
            if !(error is CancellationError) {
                logger.warning("lease acquire/renew failed", metadata: ["identity": "\(identity)", "error": "\(error)"])
            }
            return false
        }
    }

    private func observe(_ spec: Lease.Spec, at time: Date) {
        state.withLock { state in
            state.observed = spec
            state.observedTime = time
        }
    }

    private func report(_ holder: String) {
        guard !holder.isEmpty else { return }
        let changed = state.withLock { state -> Bool in
            guard state.reportedLeader != holder else { return false }
            state.reportedLeader = holder
            return true
        }
        if changed { onNewLeader?(holder) }
    }

    /// Gives the lease up: empty holder and a one-second duration, so a successor takes over at once.
    private func release() async {
        do {
            guard var lease = try await store.get(), lease.spec.holderIdentity == config.identity else { return }
            let nowText = RFC3339.formatMicro(clock.now())
            lease.spec.holderIdentity = ""
            lease.spec.leaseDurationSeconds = 1
            lease.spec.renewTime = nowText
            lease.spec.acquireTime = nowText
            _ = try await store.update(lease)
            logger.info("released the lease", metadata: ["identity": "\(config.identity)"])
        } catch {
            logger.warning("could not release the lease", metadata: ["identity": "\(config.identity)", "error": "\(error)"])
        }
    }
}
