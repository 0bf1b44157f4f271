import KubeClient
import KubeModel
import Logging

/// Something the manager runs until it is cancelled.
public protocol Runnable: Sendable {
    var name: String { get }
    func run() async
}

/// Workers that take keys from a work queue and hand them to a reconciler.
public final class Controller: Runnable {
    public let name: String
    public let queue: WorkQueue<ReconcileRequest>
    private let reconciler: any Reconciler
    private let workers: Int
    private let logger: Logger

    public init(name: String, reconciler: any Reconciler, workers: Int = 1,
                queue: WorkQueue<ReconcileRequest> = WorkQueue(), logger: Logger? = nil) {
        self.name = name
        self.reconciler = reconciler
        self.workers = max(1, workers)
        self.queue = queue
        self.logger = logger ?? Logger(label: "causeway.controller.\(name)")
    }

    /// Enqueues the keys `map` derives from every change the informer sees
    /// (by default the object's own key; map an HTTPRoute to its parent Gateways, for example).
    public func watch(_ informer: SharedInformer, map: (@Sendable (JSONValue) -> [ReconcileRequest])? = nil) {
        let queue = self.queue
        let map = map ?? { [ReconcileRequest(object: $0)] }
        informer.addEventHandler(EventHandler(
            onAdd: { for request in map($0) { queue.add(request) } },
            onUpdate: { old, new in
                // A changed object may stop mapping to some keys; those need a look as well.
                for request in Set(map(old) + map(new)) { queue.add(request) }
            },
            onDelete: { for request in map($0) { queue.add(request) } }))
    }

    /// Runs the workers until cancelled, then lets the ones mid-reconcile finish.
    public func run() async {
        await withTaskCancellationHandler {
            await withDiscardingTaskGroup { group in
                for _ in 0..<workers {
                    group.addTask { await self.work() }
                }
            }
        } onCancel: {
            queue.shutdown()
        }
    }

    private func work() async {
        while let request = await queue.get() {
            await process(request)
            queue.done(request)
        }
    }

    private func process(_ request: ReconcileRequest) async {
        do {
            let result = try await reconciler.reconcile(request)
            if let after = result.requeueAfter {
                queue.forget(request)
                queue.addAfter(request, after)
            } else if result.requeue {
                queue.addRateLimited(request)
            } else {
                queue.forget(request)
            }
        } catch let error as TerminalError {
            queue.forget(request)
            logger.error("reconcile failed permanently; not retrying", metadata: ["object": "\(request)", "error": "\(error.underlying)"])
        } catch is CancellationError {
            // Shutting down: the key is simply not retried by this process.
        } catch {
            queue.addRateLimited(request)
            logger.warning("reconcile failed; will retry", metadata: [
                "object": "\(request)", "error": "\(error)", "retries": "\(queue.numRequeues(request))",
            ])
        }
    }
}
