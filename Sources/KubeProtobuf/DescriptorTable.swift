/// The type of a field's values on the wire and in JSON.
enum ValueType: Sendable, Equatable {
    case string, bytes, int32, int64, bool, double, float
    /// A message by table name (`core.PodSpec`), including the hand-decoded ones in `WellKnownType`.
    case message(String)

    init(token: Substring) {
        switch token {
        case "string": self = .string
        case "bytes": self = .bytes
        case "int32": self = .int32
        case "int64": self = .int64
        case "bool": self = .bool
        case "double": self = .double
        case "float": self = .float
        default: self = .message(String(token))
        }
    }
}

/// One field of a message: where it sits on the wire and how it appears in the JSON object.
struct FieldDescriptor: Sendable {
    enum Shape: Sendable, Equatable {
        case single, repeated
        /// `map<string, value>`, sent as repeated entries {key = 1, value = 2}.
        case map
    }

    var number: Int
    /// The JSON member name; empty for an embedded struct whose fields are inlined into the parent.
    var jsonName: String
    var type: ValueType
    var shape: Shape
    /// A Go pointer: a present zero value (`replicas: 0`, `automountServiceAccountToken: false`) is kept.
    var isPointer: Bool
    /// `omitempty`: a zero value of a non-pointer field is left out, as encoding/json would.
    var omitsEmpty: Bool
    var isInline: Bool { jsonName.isEmpty }
}

/// A message's fields by number, or the element type of a Go named slice (`type ExtraValue []string`)
/// that protobuf wraps as `{repeated items = 1}` and JSON writes as a bare array.
struct MessageDescriptor: Sendable {
    var name: String
    var fields: [Int: FieldDescriptor] = [:]
    var listElement: ValueType?
}

/// The descriptors of every message reachable from the supported kinds, parsed once from the
/// generated schema text.
struct DescriptorTable: Sendable {
    var messages: [String: MessageDescriptor]
    /// "apiVersion/kind" key → root message name.
    var roots: [String: String]

    static let shared = DescriptorTable(schema: generatedSchema, roots: generatedRoots)

    static func rootKey(apiVersion: String, kind: String) -> String { "\(apiVersion) \(kind)" }

    init(schema: String, roots: [(apiVersion: String, kind: String, message: String)]) {
        var messages: [String: MessageDescriptor] = [:]
        var current: MessageDescriptor?
        for line in schema.split(separator: "\n") {
            let parts = line.split(separator: " ")
            switch parts.first {
            case "message":
                if let done = current { messages[done.name] = done }
                current = MessageDescriptor(name: String(parts[1]))
            case "list":
                if let done = current { messages[done.name] = done }
                current = nil
                let name = String(parts[1])
                messages[name] = MessageDescriptor(name: name, listElement: ValueType(token: parts[2]))
            default:
                // The schema is generated and checked by tests; a bad line is a generator bug.
                guard parts.count == 4, let number = Int(parts[0]), current != nil else {
                    preconditionFailure("bad descriptor line: \(line)")
                }
                let flags = parts[3]
                var type = parts[2]
                var shape: FieldDescriptor.Shape = flags.contains("r") ? .repeated : .single
                if type.hasPrefix("map:") {
                    type = type.dropFirst(4)
                    shape = .map
                }
                current?.fields[number] = FieldDescriptor(
                    number: number,
                    jsonName: parts[1] == "-" ? "" : String(parts[1]),
                    type: ValueType(token: type),
                    shape: shape,
                    isPointer: flags.contains("p"),
                    omitsEmpty: flags.contains("o")
                )
            }
        }
        if let done = current { messages[done.name] = done }
        self.messages = messages
        self.roots = Dictionary(
            roots.map { (Self.rootKey(apiVersion: $0.apiVersion, kind: $0.kind), $0.message) },
            uniquingKeysWith: { first, _ in first }
        )
    }
}
