/// Errors the upstream side reports; the downstream maps them to 502/503/504.
enum UpstreamError: Error, Equatable {
    case connectFailed(String)
    case connectionClosed
    case poolExhausted
    case timedOut
}
