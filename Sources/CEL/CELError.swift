/// A runtime error while evaluating an expression, worded as cel-go words it
/// (`no such key: foo`, `integer overflow`, `division by zero`, `no such overload`).
public struct CELError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }

    static let noSuchOverload = CELError("no such overload")
    static let integerOverflow = CELError("integer overflow")
    static let unsignedOverflow = CELError("unsigned integer overflow")
    static let divisionByZero = CELError("division by zero")
    static let moduloByZero = CELError("modulus by zero")
    /// The evaluation ran out of its step budget (worded as cel-go's cost-limit cancellation).
    public static let costLimitExceeded = CELError("operation cancelled: actual cost limit exceeded")
}
