import NIOCore

/// The encoded events of one watch that its connection could not take yet, oldest first.
///
/// Live events are bounded in bytes: a watcher that falls further behind than `limit` is ended,
/// never buffered without end. The events a watch starts with (the current objects, or the
/// logged events it resumes after) are not: their size is fixed by the store, not by how long
/// the client stalls, and a client resuming from far back must be able to catch up at its own
/// pace — as kube-apiserver's cacher sends a watcher's initial events from the watcher's own
/// goroutine, outside the bounded channel that live events go through.
struct WatchOutbox {
    enum Admission: Equatable {
        case queued
        /// The watcher is too far behind: the queue was emptied and the watch must end.
        case overflow
    }

    private struct Entry {
        var line: ByteBuffer
        var bounded: Bool
    }

    let limit: Int
    private var entries = CircularBuffer<Entry>()
    /// Bytes of live events queued: what `limit` bounds.
    private(set) var queuedBytes = 0

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    var isEmpty: Bool { entries.isEmpty }

    /// Queues a live event. One larger than the whole limit is still accepted when no other
    /// live event waits, so a single big object never ends a watcher that is keeping up.
    mutating func append(_ line: ByteBuffer) -> Admission {
        guard queuedBytes == 0 || queuedBytes + line.readableBytes <= limit else {
            removeAll()
            return .overflow
        }
        entries.append(Entry(line: line, bounded: true))
        queuedBytes += line.readableBytes
        return .queued
    }

    /// Queues one of the events the watch starts with, outside the bound.
    mutating func appendInitial(_ line: ByteBuffer) {
        entries.append(Entry(line: line, bounded: false))
    }

    mutating func popFirst() -> ByteBuffer? {
        guard let entry = entries.popFirst() else { return nil }
        if entry.bounded { queuedBytes -= entry.line.readableBytes }
        return entry.line
    }

    mutating func removeAll() {
        entries.removeAll()
        queuedBytes = 0
    }
}
