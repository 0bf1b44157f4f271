import KubeModel
import Synchronization

/// One committed change, as the event log keeps it and watchers receive it.
public struct StoreEvent: Sendable {
    public enum Kind: String, Sendable {
        case added = "ADDED"
        case modified = "MODIFIED"
        case deleted = "DELETED"
    }

    public var kind: Kind
    public var storageKey: StorageKey
    public var objectKey: ObjectKey
    /// The object after the change; for a deletion, its last state carrying the deletion's revision.
    public var object: JSONValue
    /// The object before the change (nil for an addition), so selector watchers can tell
    /// "stopped matching" from "changed".
    public var previous: JSONValue?
    public var revision: UInt64
    /// The event's wire form, made once and shared by every watcher that shows it the same way.
    public let encoding = SharedEncoding()
}

/// Bytes computed once for many readers: ten watchers of a collection send the same line, so
/// the first to serialize an event leaves it here for the others.
public final class SharedEncoding: Sendable {
    private let lines = Mutex<[String: [UInt8]]>([:])

    public init() {}

    /// The bytes for `variant` (say "MODIFIED example.com/v1"), made by `make` the first time.
    public func bytes(for variant: String, _ make: () -> [UInt8]) -> [UInt8] {
        if let cached = lines.withLock({ $0[variant] }) { return cached }
        let made = make()
        lines.withLock { $0[variant] = made }
        return made
    }
}

/// What a watcher is sent: a change as that watcher sees it, or the end of what it can be told.
public enum WatchDelivery: Sendable {
    /// A change; `encoding` is shared with the other watchers of the same committed event
    /// (nil for the synthetic ADDED events of a watch's initial state).
    case event(StoreEvent.Kind, JSONValue, encoding: SharedEncoding?)
    /// The requested starting revision is older than the event log keeps (the 410 case).
    case expired(requested: UInt64, oldest: UInt64)
    /// "Everything up to this revision has been sent"; `initialEventsEnd` marks the end of the
    /// initial state when a client asked for `sendInitialEvents`.
    case bookmark(UInt64, initialEventsEnd: Bool)
}
