/// One lexical token of a CEL expression, with the UTF-8 offset it starts at (for error carets).
struct Token: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case identifier(String)
        case int(Int64)
        /// Magnitude of a decimal or hex literal too large for `Int64` unless negated (`-9223372036854775808`).
        case intMagnitude(UInt64)
        case uint(UInt64)
        case double(Double)
        case string(String)
        case bytes([UInt8])
        case punctuation(String)
        case end
    }

    let kind: Kind
    let offset: Int
}
