import KubeModel

/// `duration()`, `timestamp()`, their arithmetic, and the UTC accessors (`getHours()`, ...).
/// Time zone arguments to the accessors are not supported.
enum TimeLibrary {
    static func add(_ timestamp: CELTimestamp, _ nanos: Int64) throws(CELError) -> CELTimestamp {
        var seconds = timestamp.seconds + nanos / 1_000_000_000
        var fraction = Int64(timestamp.nanos) + nanos % 1_000_000_000
        if fraction < 0 {
            fraction += 1_000_000_000
            seconds -= 1
        } else if fraction >= 1_000_000_000 {
            fraction -= 1_000_000_000
            seconds += 1
        }
        guard seconds >= CELTimestamp.minimumSeconds && seconds <= CELTimestamp.maximumSeconds else {
            throw CELError("timestamp overflow")
        }
        return CELTimestamp(seconds: seconds, nanos: Int32(fraction))
    }

    static func difference(_ a: CELTimestamp, _ b: CELTimestamp) throws(CELError) -> Int64 {
        let (seconds, overflow) = (a.seconds - b.seconds).multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { throw .integerOverflow }
        return try OperatorLibrary.checked(seconds.addingReportingOverflow(Int64(a.nanos) - Int64(b.nanos)))
    }

    private static func timestamp(_ value: CELValue) throws(CELError) -> CELTimestamp {
        guard case .timestamp(let timestamp) = value else { throw .noSuchOverload }
        return timestamp
    }

    private static func civil(_ timestamp: CELTimestamp) -> (year: Int64, month: Int64, day: Int64, secondOfDay: Int64, days: Int64) {
        let days = timestamp.seconds >= 0 ? timestamp.seconds / 86_400 : (timestamp.seconds - 86_399) / 86_400
        let (year, month, day) = RFC3339.civilDate(daysSinceEpoch: days)
        return (year, month, day, timestamp.seconds - days * 86_400, days)
    }

    private static func accessor(_ name: String, timestamp read: @escaping @Sendable (CELTimestamp) -> Int64,
                                 duration readDuration: (@Sendable (Int64) -> Int64)? = nil) -> CELFunction {
        var overloads: [Overload] = [.member([.timestamp], .int)]
        if readDuration != nil { overloads.append(.member([.duration], .int)) }
        return CELFunction(name, overloads) { (arguments) throws(CELError) -> CELValue in
            switch arguments[0] {
            case .timestamp(let value): return .int(read(value))
            case .duration(let nanos) where readDuration != nil: return .int(readDuration!(nanos))
            default: throw .noSuchOverload
            }
        }
    }

    static let functions: [CELFunction] = [
        CELFunction("duration", [.global([.string], .duration), .global([.duration], .duration)]) { (arguments) throws(CELError) -> CELValue in
            switch arguments[0] {
            case .duration(let nanos): return .duration(nanos)
            case .string(let text):
                guard let nanos = TimeSyntax.duration(text) else {
                    throw CELError("type conversion error from 'string' to 'google.protobuf.Duration'")
                }
                return .duration(nanos)
            default: throw .noSuchOverload
            }
        },
        CELFunction("timestamp", [.global([.string], .timestamp), .global([.timestamp], .timestamp), .global([.int], .timestamp)]) { (arguments) throws(CELError) -> CELValue in
            switch arguments[0] {
            case .timestamp(let value): return .timestamp(value)
            case .int(let seconds):
                guard seconds >= CELTimestamp.minimumSeconds && seconds <= CELTimestamp.maximumSeconds else { throw CELError("timestamp overflow") }
                return .timestamp(CELTimestamp(seconds: seconds, nanos: 0))
            case .string(let text):
                guard let value = TimeSyntax.timestamp(text) else {
                    throw CELError("type conversion error from 'string' to 'google.protobuf.Timestamp'")
                }
                return .timestamp(value)
            default: throw .noSuchOverload
            }
        },
        accessor("getFullYear", timestamp: { civil($0).year }),
        accessor("getMonth", timestamp: { civil($0).month - 1 }),
        accessor("getDate", timestamp: { civil($0).day }),
        accessor("getDayOfMonth", timestamp: { civil($0).day - 1 }),
        accessor("getDayOfWeek", timestamp: { (civil($0).days % 7 + 11) % 7 }),
        accessor("getDayOfYear", timestamp: { value in
            let parts = civil(value)
            return parts.days - RFC3339.daysSinceEpoch(year: parts.year, month: 1, day: 1)
        }),
        accessor("getHours", timestamp: { civil($0).secondOfDay / 3600 }, duration: { $0 / 3_600_000_000_000 }),
        accessor("getMinutes", timestamp: { civil($0).secondOfDay / 60 % 60 }, duration: { $0 / 60_000_000_000 }),
        accessor("getSeconds", timestamp: { civil($0).secondOfDay % 60 }, duration: { $0 / 1_000_000_000 }),
        accessor("getMilliseconds", timestamp: { Int64($0.nanos) / 1_000_000 }, duration: { $0 / 1_000_000 % 1000 }),
    ]
}
