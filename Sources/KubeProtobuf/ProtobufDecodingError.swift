/// Why a Kubernetes protobuf body could not be decoded. Two errors are equal when code and message are.
public struct ProtobufDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, Equatable {
        /// The body does not start with the `k8s\0` magic of a Kubernetes protobuf envelope.
        case badMagic
        /// The bytes end inside a varint, a length-delimited value or a fixed-width value.
        case truncated
        /// The bytes are not valid protobuf for the message they claim to be.
        case malformed
        /// The envelope names a kind this decoder has no descriptor for (answer 415).
        case unsupportedKind
        /// The envelope's content is compressed or not protobuf (answer 415).
        case unsupportedEncoding
    }

    public var code: Code
    /// A sentence for a person: what was wrong and where.
    public var message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    static func truncated(_ what: String) -> Self {
        Self(code: .truncated, message: "protobuf body ends inside \(what)")
    }

    static func malformed(_ message: String) -> Self {
        Self(code: .malformed, message: message)
    }
}
