import KubeModel

/// Splits a watch response into events: one JSON object per line, lines split anywhere across chunks.
public struct WatchEventDecoder: Sendable {
    private var pending: [UInt8] = []
    /// A line longer than this is refused rather than buffered forever.
    public var maxLineLength: Int

    public init(maxLineLength: Int = 64 << 20) { self.maxLineLength = maxLineLength }

    /// Feeds bytes; returns the events completed by them.
    public mutating func feed(_ chunk: [UInt8]) throws -> [WatchEvent] {
        var events: [WatchEvent] = []
        var start = 0
        var index = 0
        while index < chunk.count {
            if chunk[index] == 0x0A {
                if pending.isEmpty {
                    if let event = try Self.decodeLine(chunk[start..<index]) { events.append(event) }
                } else {
                    pending.append(contentsOf: chunk[start..<index])
                    if let event = try Self.decodeLine(pending[...]) { events.append(event) }
                    pending.removeAll(keepingCapacity: true)
                }
                start = index + 1
            }
            index += 1
        }
        if start < chunk.count {
            pending.append(contentsOf: chunk[start...])
            if pending.count > maxLineLength {
                throw KubeClientError.malformedResponse("watch event longer than \(maxLineLength) bytes")
            }
        }
        return events
    }

    /// The end of the stream: a final event without a trailing newline still counts.
    public mutating func finish() throws -> [WatchEvent] {
        defer { pending.removeAll() }
        return try Self.decodeLine(pending[...]).map { [$0] } ?? []
    }

    static func decodeLine(_ line: ArraySlice<UInt8>) throws -> WatchEvent? {
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { return nil }
        let json: JSONValue
        do {
            json = try JSONValue(parsing: line)
        } catch {
            throw KubeClientError.malformedResponse("watch event is not JSON: \(error)")
        }
        guard let typeName = json["type"]?.stringValue, let type = WatchEvent.EventType(rawValue: typeName) else {
            throw KubeClientError.malformedResponse("watch event has no known type: \(String(decoding: line.prefix(200), as: UTF8.self))")
        }
        return WatchEvent(type: type, object: json["object"] ?? .null)
    }

    /// Decodes a byte stream into an event stream. ERROR events are delivered as events; the
    /// consumer decides (a `Reflector` turns 410 into a relist).
    public static func events(from body: HTTPBody) -> AsyncThrowingStream<WatchEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream<WatchEvent, any Error>.makeStream()
        let task = Task {
            var decoder = WatchEventDecoder()
            do {
                for try await chunk in body {
                    for event in try decoder.feed(chunk) { continuation.yield(event) }
                }
                for event in try decoder.finish() { continuation.yield(event) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}
