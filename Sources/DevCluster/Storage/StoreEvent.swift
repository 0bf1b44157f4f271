import KubeModel

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
}

/// What a watcher is sent: a change as that watcher sees it, or the end of what it can be told.
public enum WatchDelivery: Sendable {
    case event(StoreEvent.Kind, JSONValue)
    /// The requested starting revision is older than the event log keeps (the 410 case).
    case expired(requested: UInt64, oldest: UInt64)
    /// "Everything up to this revision has been sent"; `initialEventsEnd` marks the end of the
    /// initial state when a client asked for `sendInitialEvents`.
    case bookmark(UInt64, initialEventsEnd: Bool)
}
