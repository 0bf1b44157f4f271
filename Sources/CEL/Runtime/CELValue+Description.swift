import KubeModel

extension CELValue: Equatable, CustomStringConvertible {
    /// CEL equality (`1 == 1.0` holds, as in CEL's heterogeneous equality).
    public static func == (lhs: CELValue, rhs: CELValue) -> Bool {
        equal(lhs, rhs)
    }

    /// The value as a CEL literal would spell it, for messages and tests.
    public var description: String {
        switch self {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let value): return String(value)
        case .uint(let value): return "\(value)u"
        case .double(let value): return GoFloat.format(value)
        case .string(let text): return GoQuote.quote(text)
        case .bytes(let bytes): return "b" + GoQuote.quote(String(decoding: bytes, as: UTF8.self))
        case .duration(let nanos): return "duration(\"\(TimeSyntax.format(duration: nanos))\")"
        case .timestamp(let timestamp): return "timestamp(\"\(TimeSyntax.format(timestamp))\")"
        case .list(let list): return "[" + list.elements.map(\.description).joined(separator: ", ") + "]"
        case .map(let map):
            let entries = map.keys.map { key in "\(key): \(map.value(for: key)?.description ?? "null")" }
            return "{" + entries.joined(separator: ", ") + "}"
        case .type(let type): return type.description
        case .optional(let wrapped): return wrapped.map { "optional.of(\($0))" } ?? "optional.none()"
        case .opaque(let value): return "\(value.typeName)(\(value))"
        }
    }
}
