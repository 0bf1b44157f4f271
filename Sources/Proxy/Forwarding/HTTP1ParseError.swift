/// Why an HTTP/1.1 message could not be read. The proxy answers a client's with 400 (431 for
/// `headTooLarge`) and a backend's with 502; either way the connection closes, because nothing
/// after the error can be framed with confidence.
enum HTTP1ParseError: Error, Equatable, CustomStringConvertible {
    case malformed(String)
    /// The head is larger than the limit, or has more fields than it allows.
    case headTooLarge
    /// A response arrived on a connection with no request outstanding.
    case unexpectedResponse
    /// The connection closed in the middle of a message.
    case truncated

    var description: String {
        switch self {
        case .malformed(let what): "malformed HTTP/1.1 message: \(what)"
        case .headTooLarge: "HTTP/1.1 message head too large"
        case .unexpectedResponse: "a response arrived with no request outstanding"
        case .truncated: "the connection closed in the middle of a message"
        }
    }
}
