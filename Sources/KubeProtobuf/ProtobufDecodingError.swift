/// Why a Kubernetes protobuf body could not be decoded. Two errors are equal when code, path and reason are.
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
    /// Where in the object it went wrong, as JSON members from the top: `["spec", "ports[1]", "targetPort"]`.
    public var path: [String]
    /// What went wrong there.
    public var reason: String

    public init(code: Code, reason: String, path: [String] = []) {
        self.code = code
        self.reason = reason
        self.path = path
    }

    /// A sentence for a person, e.g. `spec.ports[1]: protobuf body ends inside a varint`.
    public var message: String { path.isEmpty ? reason : path.joined(separator: ".") + ": " + reason }
    public var description: String { message }

    static func truncated(_ what: String) -> Self {
        Self(code: .truncated, reason: "protobuf body ends inside \(what)")
    }

    static func malformed(_ reason: String) -> Self {
        Self(code: .malformed, reason: reason)
    }

    /// The same error, located one member further out.
    func within(_ member: String) -> Self {
        var copy = self
        copy.path.insert(member, at: 0)
        return copy
    }
}
