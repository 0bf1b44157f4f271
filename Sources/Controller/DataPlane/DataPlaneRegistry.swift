import Synchronization
import Translator

/// What the proxies of each data plane report (their applied and refused configuration
/// versions), kept for the translator's `Programmed` decision. Proxies report through the
/// configuration server; a proxy that disconnects is forgotten.
public final class DataPlaneRegistry: Sendable {
    private let reports = Mutex<[ProxyKey: [String: ProxyReport]]>([:])
    private let listener = Mutex<(@Sendable () -> Void)?>(nil)

    public init() {}

    /// Called after every change (the controller enqueues a reconcile).
    func onChange(_ callback: @escaping @Sendable () -> Void) { listener.withLock { $0 = callback } }

    public func report(_ report: ProxyReport, for key: ProxyKey) {
        let changed = reports.withLock { reports -> Bool in
            guard reports[key]?[report.name] != report else { return false }
            reports[key, default: [:]][report.name] = report
            return true
        }
        if changed { listener.withLock { $0 }?() }
    }

    /// A proxy opened its stream: it counts as one of the data plane's proxies, running nothing yet.
    public func connect(proxy name: String, for key: ProxyKey) {
        update(name, key) { _ in ProxyReport(name: name) }
    }

    /// Acknowledgements count only for connected proxies: one arriving after its stream closed is stale.
    public func applied(version: String, proxy name: String, for key: ProxyKey) {
        update(name, key, onlyIfConnected: true) { old in
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

    private func update(_ name: String, _ key: ProxyKey, onlyIfConnected: Bool = false, _ change: (ProxyReport?) -> ProxyReport) {
        let changed = reports.withLock { reports -> Bool in
            let old = reports[key]?[name]
            if onlyIfConnected && old == nil { return false }
            let new = change(old)
            guard new != old else { return false }
            reports[key, default: [:]][name] = new
            return true
        }
        if changed { listener.withLock { $0 }?() }
    }

    public func remove(proxy name: String, for key: ProxyKey) {
        let changed = reports.withLock { reports -> Bool in
            guard reports[key]?.removeValue(forKey: name) != nil else { return false }
            if reports[key]?.isEmpty == true { reports[key] = nil }
            return true
        }
        if changed { listener.withLock { $0 }?() }
    }

    /// Every data plane's proxies, sorted by name.
    public func snapshot() -> [ProxyKey: [ProxyReport]] {
        reports.withLock { reports in reports.mapValues { $0.values.sorted { $0.name < $1.name } } }
    }
}
