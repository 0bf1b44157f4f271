/// A patch that cannot be applied; `message` reads as the API server's (which answers 422 for
/// an operation that does not apply and 400 for a malformed patch document).
public struct PatchError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    /// True when the patch document itself is malformed (the server answers 400 Bad Request)
    /// rather than well-formed but not applicable (422 Unprocessable Entity).
    public var isMalformed: Bool

    public init(_ message: String, isMalformed: Bool = false) {
        self.message = message
        self.isMalformed = isMalformed
    }

    public var description: String { message }
}
