import NIOCore

/// The most recent events, oldest first: the window a watch can resume from. Bounded by count
/// and by the bytes the events keep alive, whichever is reached first, so large objects written
/// often cannot grow it without end.
struct EventLog {
    private struct Entry {
        var event: StoreEvent
        var bytes: Int
    }

    private var entries = CircularBuffer<Entry>()
    private let capacity: Int
    private let byteLimit: Int
    /// The estimated bytes of the events kept (see `append`).
    private(set) var retainedBytes = 0
    /// The revision just before the oldest event that can be replayed.
    private(set) var floor: UInt64 = 0

    init(capacity: Int, byteLimit: Int = 64 * 1024 * 1024) {
        self.capacity = max(1, capacity)
        self.byteLimit = max(1, byteLimit)
    }

    var count: Int { entries.count }
    var oldestRevision: UInt64? { entries.first?.event.revision }

    /// Keeps `event`, weighed at `bytes`, and forgets the oldest events beyond either bound
    /// (but never the newest one, however large).
    mutating func append(_ event: StoreEvent, bytes: Int) {
        entries.append(Entry(event: event, bytes: bytes))
        retainedBytes += bytes
        while entries.count > capacity || (retainedBytes > byteLimit && entries.count > 1) {
            let oldest = entries.removeFirst()
            retainedBytes -= oldest.bytes
            floor = oldest.event.revision
        }
    }

    /// Drops every event: resuming is possible only from `revision` onwards.
    mutating func reset(after revision: UInt64) {
        entries.removeAll()
        retainedBytes = 0
        floor = revision
    }

    /// The events after `revision`, or nil when some of them were already dropped.
    func events(after revision: UInt64, current: UInt64) -> [StoreEvent]? {
        if revision >= current { return [] }
        if revision < floor { return nil }
        // Revisions rise through the log: find the first newer one by bisection.
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[entries.index(entries.startIndex, offsetBy: middle)].event.revision > revision {
                high = middle
            } else {
                low = middle + 1
            }
        }
        return entries[entries.index(entries.startIndex, offsetBy: low)...].map(\.event)
    }
}
