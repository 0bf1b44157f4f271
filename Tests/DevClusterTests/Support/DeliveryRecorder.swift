import Synchronization
@testable import DevCluster

/// Collects what a watcher is delivered (from whichever thread delivers).
final class DeliveryRecorder: Sendable {
    private let deliveries = Mutex<[WatchDelivery]>([])

    var first: WatchDelivery? { deliveries.withLock { $0.first } }

    @Sendable func record(_ delivery: WatchDelivery) {
        deliveries.withLock { $0.append(delivery) }
    }
}
