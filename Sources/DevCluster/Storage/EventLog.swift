/// A bounded ring of the most recent events, oldest first: the window a watch can resume from.
struct EventLog {
    private var buffer: [StoreEvent] = []
    private var start = 0
    private let capacity: Int
    /// The revision just before the oldest event that can be replayed.
    private(set) var floor: UInt64 = 0

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        buffer.reserveCapacity(min(self.capacity, 4096))
    }

    var oldestRevision: UInt64? { buffer.isEmpty ? nil : buffer[start].revision }

    mutating func append(_ event: StoreEvent) {
        if buffer.count < capacity {
            buffer.append(event)
        } else {
            floor = buffer[start].revision
            buffer[start] = event
            start = (start + 1) % capacity
        }
    }

    /// Drops every event: resuming is possible only from `revision` onwards.
    mutating func reset(after revision: UInt64) {
        buffer.removeAll(keepingCapacity: true)
        start = 0
        floor = revision
    }

    /// The events after `revision`, or nil when some of them were already dropped.
    func events(after revision: UInt64, current: UInt64) -> [StoreEvent]? {
        if revision >= current { return [] }
        if revision < floor { return nil }
        var result: [StoreEvent] = []
        for offset in 0..<buffer.count {
            let event = buffer[(start + offset) % buffer.count]
            if event.revision > revision { result.append(event) }
        }
        return result
    }
}
