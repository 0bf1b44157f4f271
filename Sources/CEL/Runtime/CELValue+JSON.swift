import KubeModel

extension CELValue {
    /// Reads a JSON value as the schema declares it: `date-time` strings as timestamps,
    /// `duration` strings as durations, `byte` strings as bytes, `number` integers as doubles.
    /// A value the declared type cannot hold is read as its plain JSON type.
    public init(json: JSONValue, type: CELType) {
        switch (type, json) {
        case (_, .null): self = .null
        case (.int, .int(let value)): self = .int(value)
        case (.int, .double(let value)) where json.intValue != nil: self = .int(Int64(value))
        case (.double, .int(let value)): self = .double(Double(value))
        case (.timestamp, .string(let text)):
            self = TimeSyntax.timestamp(text).map(CELValue.timestamp) ?? .string(text)
        case (.duration, .string(let text)):
            self = TimeSyntax.duration(text).map(CELValue.duration) ?? .string(text)
        case (.bytes, .string(let text)):
            if case .success(let bytes) = Base64.decode(text) { self = .bytes(bytes) } else { self = .string(text) }
        case (.list(let element), .array(let items)): self = .list(CELList(json: items, element: element))
        case (.map(_, let value), .object(let members)): self = .map(CELMap(json: members, value: value))
        case (.object(let object), .object(let members)): self = .map(CELMap(json: members, object: object))
        case (_, .bool(let flag)): self = .bool(flag)
        case (_, .int(let value)): self = .int(value)
        case (_, .double(let value)): self = .double(value)
        case (_, .string(let text)): self = .string(text)
        case (_, .array(let items)): self = .list(CELList(json: items, element: .dyn))
        case (_, .object(let members)): self = .map(CELMap(json: members, value: .dyn))
        }
    }
}
