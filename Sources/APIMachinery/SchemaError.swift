/// A schema or expression that cannot be used (not structural, bad pattern, bad JSONPath).
public struct SchemaError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    /// The individual problems, with field paths under `openAPIV3Schema`, when there are several.
    public var errors: [FieldError]

    public init(_ message: String, errors: [FieldError] = []) {
        self.message = message
        self.errors = errors
    }

    public var description: String { message }
}
