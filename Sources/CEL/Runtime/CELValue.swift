import KubeModel

/// A CEL runtime value. Lists and maps read from a JSON document stay backed by it and convert
/// elements on access, so evaluating a rule does not copy the object it looks at.
public indirect enum CELValue: Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case string(String)
    case bytes([UInt8])
    /// Nanoseconds.
    case duration(Int64)
    case timestamp(CELTimestamp)
    case list(CELList)
    case map(CELMap)
    case type(CELType)
    case optional(CELValue?)
    case opaque(any CELOpaqueValue)

    /// The value's type name, for `type()` and messages.
    var typeName: String {
        switch self {
        case .null: return "null_type"
        case .bool: return "bool"
        case .int: return "int"
        case .uint: return "uint"
        case .double: return "double"
        case .string: return "string"
        case .bytes: return "bytes"
        case .duration: return "google.protobuf.Duration"
        case .timestamp: return "google.protobuf.Timestamp"
        case .list: return "list"
        case .map(let map): return map.object?.name ?? "map"
        case .type: return "type"
        case .optional: return "optional_type"
        case .opaque(let value): return value.typeName
        }
    }
}

/// A library value (IP, CIDR, URL, Quantity) that CEL only sees through its functions.
public protocol CELOpaqueValue: Sendable {
    var typeName: String { get }
    func isEqual(to other: any CELOpaqueValue) -> Bool
}

/// Seconds and nanoseconds since the Unix epoch, UTC.
public struct CELTimestamp: Sendable, Hashable, Comparable {
    public var seconds: Int64
    public var nanos: Int32

    public init(seconds: Int64, nanos: Int32) {
        self.seconds = seconds
        self.nanos = nanos
    }

    public static func < (lhs: CELTimestamp, rhs: CELTimestamp) -> Bool {
        (lhs.seconds, lhs.nanos) < (rhs.seconds, rhs.nanos)
    }

    /// cel-go's range: year 0001 to 9999.
    static let minimumSeconds: Int64 = -62_135_596_800
    static let maximumSeconds: Int64 = 253_402_300_799
}
