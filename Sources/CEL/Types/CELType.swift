/// A CEL type, as the checker infers it and as schemas declare it.
public indirect enum CELType: Sendable, Hashable, CustomStringConvertible {
    case dyn
    case null
    case bool
    case int
    case uint
    case double
    case string
    case bytes
    case duration
    case timestamp
    case list(CELType)
    case map(CELType, CELType)
    /// An object whose fields are known (a schema with `properties`).
    case object(ObjectType)
    case type(CELType)
    case optional(CELType)
    /// A library value: `net.IP`, `net.CIDR`, `kubernetes.URL`, `kubernetes.Quantity`.
    case opaque(String)
    /// A type parameter of an overload signature (`A` in `list(A).size()`).
    case parameter(String)

    /// The name cel-go prints in checker messages.
    public var description: String {
        switch self {
        case .dyn: return "dyn"
        case .null: return "null_type"
        case .bool: return "bool"
        case .int: return "int"
        case .uint: return "uint"
        case .double: return "double"
        case .string: return "string"
        case .bytes: return "bytes"
        case .duration: return "google.protobuf.Duration"
        case .timestamp: return "google.protobuf.Timestamp"
        case .list(let element): return "list(\(element))"
        case .map(let key, let value): return "map(\(key), \(value))"
        case .object(let object): return object.name
        case .type(let type): return "type(\(type))"
        case .optional(let wrapped): return "optional_type(\(wrapped))"
        case .opaque(let name): return name
        case .parameter(let name): return name
        }
    }
}

/// The declared fields of an object schema. A class so that a schema's type is built once and
/// shared by every rule that sees it.
public final class ObjectType: Sendable, Hashable {
    public let name: String
    /// Field types by their name in CEL.
    public let fields: [String: CELType]
    /// The JSON member behind each CEL field name, where escaping made them differ (`x-y` is `x__dash__y`).
    public let jsonNames: [String: String]

    public init(name: String, fields: [String: CELType], jsonNames: [String: String] = [:]) {
        self.name = name
        self.fields = fields
        self.jsonNames = jsonNames
    }

    func jsonName(_ field: String) -> String { jsonNames[field] ?? field }

    public static func == (lhs: ObjectType, rhs: ObjectType) -> Bool { lhs === rhs }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
