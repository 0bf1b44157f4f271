/// A selector that cannot be parsed or is invalid; `message` reads as the API server's
/// (`unable to parse requirement: ...`, `found 'x', expected: ...`).
public struct SelectorError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
