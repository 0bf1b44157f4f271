import Synchronization
import Translator

/// What the proxies of each data plane report (their applied and refused configuration
/// versions), kept for the translator's `Programmed` decision. Proxies report through the
/// configuration server; a proxy that disconnects is forgotten.
public final class DataPlaneRegistry: Sendable {
    /// Reports by proxy, with the id of the stream that made each: a proxy restarted under the
    /// same name opens a new stream before the old one is noticed gone, and the old one's
    /// departure must not erase the new one.
    private let reports = Mutex<[ProxyKey: [String: (report: ProxyReport, stream: UInt64)]]>([:])
    private let nextStream = Mutex<UInt64>(0)
    private let listener = Mutex<(@Sendable () -> Void)?>(nil)

    private let created = ContinuousClock.now
    /// How long proxies get to reconnect to a new control plane before "no proxy" means it.
    public static let reconnectGrace = Duration.seconds(10)

    public init() {}

    /// True while proxies may still be reconnecting to this (just started) control plane.
    public var inReconnectGrace: Bool { ContinuousClock.now - created < Self.reconnectGrace }

    /// Data planes a proxy has connected for since this control plane started. Once one has,
    /// losing every proxy is news, grace period or not: a proxy killed right after the controller
    /// started must not leave the Gateway `Programmed`.
    private let seen = Mutex<Set<ProxyKey>>([])

    /// Whether "no proxy reported" may still mean "not reconnected yet" for this data plane.
    public func awaitingReconnect(_ key: ProxyKey) -> Bool {
        inReconnectGrace && !seen.withLock { $0.contains(key) }
    }

    /// Called after every change (the controller enqueues a reconcile).
    func onChange(_ callback: @escaping @Sendable () -> Void) { listener.withLock { $0 = callback } }


    /// A proxy opened its stream: it counts as one of the data plane's proxies, running nothing
    /// yet. Returns the stream's id for `remove`.
    @discardableResult
    public func connect(proxy name: String, for key: ProxyKey) -> UInt64 {
        let stream = nextStream.withLock { $0 += 1; return $0 }
        reports.withLock { $0[key, default: [:]][name] = (ProxyReport(name: name), stream) }
        _ = seen.withLock { $0.insert(key) }
        listener.withLock { $0 }?()
        return stream
    }

    /// Acknowledgements count only for connected proxies: one arriving after its stream closed is stale.
    /// An acknowledged endpoint update (same generation, nothing refused before) is recorded
    /// without a reconcile: status depends only on which generation each proxy serves, and at
    /// a hundred endpoint changes a second, a full translation per acknowledgement would starve
    /// the endpoint fast path itself.
    public func applied(version: String, proxy name: String, for key: ProxyKey) {
        update(name, key, onlyIfConnected: true, notify: { old, new in
            old?.rejectedVersion != nil || old?.appliedVersion.map(ConfigVersion.generation(of:)) != new.appliedVersion.map(ConfigVersion.generation(of:))
        }) { old in
            var report = old ?? ProxyReport(name: name)
            report.appliedVersion = version
            report.rejectedVersion = nil
            report.rejectionMessage = nil
            return report
        }
    }

    /// A refused version leaves the applied one in place: the proxy keeps serving it.
    public func rejected(version: String, message: String, proxy name: String, for key: ProxyKey) {
        update(name, key, onlyIfConnected: true) { old in
            var report = old ?? ProxyReport(name: name)
            report.rejectedVersion = version
            report.rejectionMessage = message
            return report
        }
    }

    private func update(_ name: String, _ key: ProxyKey, onlyIfConnected: Bool = false,
                        notify: (ProxyReport?, ProxyReport) -> Bool = { _, _ in true }, _ change: (ProxyReport?) -> ProxyReport) {
        let changed = reports.withLock { reports -> Bool in
            let old = reports[key]?[name]
            if onlyIfConnected && old == nil { return false }
            let new = change(old?.report)
            guard new != old?.report else { return false }
            reports[key, default: [:]][name] = (new, old?.stream ?? 0)
            return notify(old?.report, new)
        }
        if changed { listener.withLock { $0 }?() }
    }

    /// The stream `stream` of a proxy ended; a newer stream of the same proxy stays.
    public func remove(proxy name: String, for key: ProxyKey, stream: UInt64) {
        let changed = reports.withLock { reports -> Bool in
            guard let entry = reports[key]?[name], entry.stream == stream else { return false }
            reports[key]?[name] = nil
            if reports[key]?.isEmpty == true { reports[key] = nil }
            return true
        }
        if changed { listener.withLock { $0 }?() }
    }

    /// Every data plane's proxies, sorted by name.
    public func snapshot() -> [ProxyKey: [ProxyReport]] {
        reports.withLock { reports in reports.mapValues { $0.values.map(\.report).sorted { $0.name < $1.name } } }
    }
}
