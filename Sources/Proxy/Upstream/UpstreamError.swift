/// Errors the upstream side reports; the downstream maps them to 502/503/504.
enum UpstreamError: Error, Equatable {
    case connectFailed(String)
    case connectionClosed
    case poolExhausted
    case timedOut
    /// The backend said it did not process the request: an HTTP/2 stream above the last stream
    /// id of its GOAWAY, or one it reset with REFUSED_STREAM (RFC 9113 §8.7). Sending it again,
    /// on another connection, is safe whatever the method.
    case notProcessed(String)
}
