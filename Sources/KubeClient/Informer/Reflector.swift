import Foundation
import KubeModel
import Logging

/// Receives what a `Reflector` learns, in order.
public protocol ReflectorSink: Sendable {
    /// A complete list: the new truth.
    func replace(_ objects: [JSONValue], resourceVersion: String)
    /// One ADDED, MODIFIED or DELETED event.
    func apply(_ event: WatchEvent)
}

/// Keeps a sink in step with the server: list, then watch from the list's resourceVersion.
///
/// - A watch the server closes (timeout, restart) is reopened from the last resourceVersion
///   seen, including bookmarks, so nothing is replayed and nothing is missed.
/// - `410 Gone` — as the watch's HTTP status or as an ERROR event carrying a Status with code
///   410 — means that version is compacted away: list again and replace.
/// - Other failures wait with exponential backoff and jitter, then retry.
public struct Reflector: Sendable {
    public let listerWatcher: any ListerWatcher
    public let clock: any KubeClock
    public let random: any RandomSource
    public var backoff: Backoff
    /// Watches ask the server to end them after a random time in this range, as client-go does,
    /// so a fleet of watchers does not reconnect at once.
    public var watchTimeoutSeconds: ClosedRange<Int> = 300...600
    /// Applied to listed items as they are decoded (the sink still sees every object once).
    public var transform: ObjectTransform = .identity
    let logger: Logger
    let name: String

    public init(listerWatcher: any ListerWatcher, name: String = "reflector", clock: any KubeClock = SystemClock(),
                random: any RandomSource = SystemRandom(), backoff: Backoff = Backoff(),
                logger: Logger = Logger(label: "causeway.reflector")) {
        self.listerWatcher = listerWatcher
        self.name = name
        self.clock = clock
        self.random = random
        self.backoff = backoff
        self.logger = logger
    }

    /// Runs until the task is cancelled.
    public func run(into sink: some ReflectorSink) async {
        var backoff = self.backoff
        var resourceVersion: String?
        while !Task.isCancelled {
            do {
                if resourceVersion == nil {
                    resourceVersion = try await relist(into: sink)
                    backoff.reset()
                }
                let span = watchTimeoutSeconds.upperBound - watchTimeoutSeconds.lowerBound
                let timeout = watchTimeoutSeconds.lowerBound + Int(random.nextUnit() * Double(span + 1))
                let stream = try await listerWatcher.watch(resourceVersion: resourceVersion!, timeoutSeconds: timeout)
                var delivered = 0
                for try await event in stream {
                    switch event.type {
                    case .error:
                        throw Self.error(fromWatchStatus: event.object)
                    case .bookmark:
                        if let rv = event.object.metaResourceVersion { resourceVersion = rv }
                    case .added, .modified, .deleted:
                        sink.apply(event)
                        if let rv = event.object.metaResourceVersion { resourceVersion = rv }
                    }
                    delivered += 1
                    if delivered == 1 { backoff.reset() }
                }
                // Closed by the server. Reopen at once if it was doing work; a watch that ends
                // without a single event may be a server in trouble, so wait before hammering it.
                if delivered == 0 { try await clock.sleep(for: backoff.next(random: random)) }
            } catch is CancellationError {
                return
            } catch let error as KubeAPIError where error.code == .gone {
                logger.info("watch resourceVersion expired, relisting", metadata: ["informer": "\(name)", "error": "\(error)"])
                resourceVersion = nil
            } catch {
                if Task.isCancelled { return }
                let wait = backoff.next(random: random)
                logger.warning("list/watch failed, retrying", metadata: [
                    "informer": "\(name)", "error": "\(error)", "retryInSeconds": "\(wait.seconds)",
                ])
                do { try await clock.sleep(for: wait) } catch { return }
            }
        }
    }

    /// Lists and replaces the sink's contents. A function of its own so the list — a second copy
    /// of every object once the sink has trimmed them — is freed before the watch starts.
    private func relist(into sink: some ReflectorSink) async throws -> String {
        let list = try await listerWatcher.list(transform: transform)
        sink.replace(list.items, resourceVersion: list.resourceVersion)
        return list.resourceVersion
    }

    /// An ERROR event's Status as a typed error (410 becomes `.gone`).
    static func error(fromWatchStatus object: JSONValue) -> KubeAPIError {
        let status = KubeAPIError.status(from: object) ?? APIStatus(message: "watch ERROR event without a Status", reason: nil, code: 500)
        return KubeAPIError(httpStatus: status.code, status: status, request: "WATCH")
    }
}
